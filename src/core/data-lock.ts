/**
 * One Tandem process writes a data directory at a time: the app, the web shell and the command
 * line each hold `tandem.lock` (the holder's process id) while they have the database open. A lock
 * left by a process that is gone is taken over; one held by a live process is refused with a
 * sentence saying what to do.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { TandemError } from '../shared/errors.js';

export const LOCK_FILE = 'tandem.lock';

/** Lock files this process wrote: a file naming this process and not among them is left from an earlier process. */
const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the data directory's lock; returns how to give it back. */
export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(file);
      return () => {
        held.delete(file);
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
      const live = holder === process.pid ? held.has(file) : Number.isInteger(holder) && holder > 0 && alive(holder);
      if (live) {
        throw new TandemError(
          'storage',
          `Another Tandem (process ${holder}) is using ${dataDir}. Close it first, or use another data directory (--data-dir or TANDEM_DATA_DIR).`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new TandemError('storage', `Tandem could not lock its data directory ${dataDir}. Try again.`);
}
