/**
 * What the relay benchmarks (relay-load.ts, relay-scale.ts) share: load-generator processes
 * (relay-load-clients.ts) driven over IPC, the room names they split between them, the limits our
 * relay needs raised to hold every client from one loopback address, and CPU time from /proc.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadCommand, LoadReport } from './relay-load-clients.js';

export const GENERATORS = 2;
export const SECRET = { secret: 'bench-secret-0123456789abcdef0123456789abcdef' };
/** Our relay caps connections and room creation per address; every bench client comes from 127.0.0.1. */
export const LOOPBACK_LIMITS = ['--max-connections', '20000', '--max-connections-per-ip', '20000', '--rooms-per-minute', '1000000'];

export interface Generator {
  child: ChildProcess;
  run(command: LoadCommand): Promise<LoadReport>;
}

function startGenerator(): Generator {
  const child = fork(join(import.meta.dirname, 'relay-load-clients.ts'), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  return {
    child,
    run: (command) =>
      new Promise((resolve, reject) => {
        child.once('message', (report: LoadReport) =>
          report.type === 'failed' ? reject(new Error(`load generator failed: ${report.error}`)) : resolve(report),
        );
        child.send(command);
      }),
  };
}

export async function withGenerators<T>(fn: (generators: Generator[]) => Promise<T>): Promise<T> {
  const generators = Array.from({ length: GENERATORS }, startGenerator);
  try {
    return await fn(generators);
  } finally {
    for (const g of generators) {
      if (g.child.connected) g.child.send({ type: 'stop' } satisfies LoadCommand);
      const exited = new Promise((r) => g.child.once('exit', r));
      const killer = setTimeout(() => g.child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
  }
}

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export const roomNames = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
export const share = <T>(items: T[], parts: number, i: number) => items.filter((_, j) => j % parts === i);
