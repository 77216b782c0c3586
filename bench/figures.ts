/**
 * Machine-readable output of `npm run bench -- --json FILE`: every figure as `{ "name": number }`,
 * in milliseconds unless the name says otherwise. Names are stable across versions so that runs can
 * be compared; a bench adds new names rather than renaming old ones.
 */
import { writeFileSync } from 'node:fs';

export type Figures = Record<string, number>;

/** The FILE of `--json FILE` (or `--json=FILE`), or null when no JSON output was asked for. */
export function jsonFile(argv: string[]): string | null {
  const i = argv.findIndex((a) => a === '--json' || a.startsWith('--json='));
  if (i < 0) return null;
  const file = argv[i]!.includes('=') ? argv[i]!.slice('--json='.length) : argv[i + 1];
  if (!file) throw new Error('--json needs a file name: npm run bench -- --json FILE');
  return file;
}

export function writeFigures(file: string, figures: Figures): void {
  const rounded = Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, Math.round(v * 1000) / 1000]));
  writeFileSync(file, `${JSON.stringify(rounded, null, 2)}\n`);
}

/** The figures of one latency distribution under `prefix`: `<prefix>_ms_p50`, `_p95`, `_p99`, `_max`. */
export function latencyFigures(prefix: string, d: { p50: number; p95: number; p99: number; max: number }): Figures {
  return { [`${prefix}_ms_p50`]: d.p50, [`${prefix}_ms_p95`]: d.p95, [`${prefix}_ms_p99`]: d.p99, [`${prefix}_ms_max`]: d.max };
}

/** A short name for a server in a bench's results: our relay at its default (NORMAL) has none. */
export function serverSuffix(server: string): string {
  if (server.includes('reference')) return '_reference';
  if (server.includes('FULL')) return '_full';
  return '';
}

export function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((x, y) => x - y);
  return {
    n: samples.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? NaN,
  };
}

/** Milliseconds of CPU (user + system) this process used since `start` (a process.cpuUsage() reading). */
export function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
