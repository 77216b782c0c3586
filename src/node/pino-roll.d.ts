/** pino-roll ships no types; this covers what log.ts uses. */
declare module 'pino-roll' {
  import type { pino } from 'pino';

  type SonicBoom = ReturnType<typeof pino.destination>;

  interface PinoRollOptions {
    /** Base path; the file number goes before the extension (`tandem.log` → `tandem.1.log`). */
    file: string;
    /** Size before rotating, e.g. `512k`, `5m`. */
    size?: string | number;
    frequency?: 'daily' | 'hourly' | number;
    /** Rotated files kept besides the current one. */
    limit?: { count: number; removeOtherLogFiles?: boolean };
    mkdir?: boolean;
    sync?: boolean;
    /** File mode of each new file. */
    mode?: number;
  }

  export default function pinoRoll(options: PinoRollOptions): Promise<SonicBoom>;
}
