/**
 * Finding and taking out: search, Markdown export and backup over the foundation history (30 1:1s,
 * five years of weekly meetings with notes, check-ins and 40,000 agenda items; bench/foundation.ts).
 *
 * Method, in one process with the core open on the history (its search index already built,
 * as after normal use):
 *  - search      QUERIES searches for common words of the history's titles, notes and check-ins
 *                (one or two words, the last as a prefix, as typed), each through core.search()
 *                as the search operation runs it after the projection is flushed; the first
 *                WARMUP are not recorded. p50 / p99 / max, and p50 / p99 of the process's CPU time
 *                over each search (process.cpuUsage): on a loaded machine the wall time is mostly
 *                waiting for a core. The archived years are indexed too.
 *  - export      one whole 1:1 (260 meetings, 208 of them in archive documents) to Markdown files in a temp folder, RUNS times
 *                after one warm-up, through the exportMarkdown operation; median and max.
 *  - backup      the whole history to one backup file (SQLite online backup, SHA-256, fsync),
 *                RUNS times; median and max.
 *
 * Run: npm run bench (with the other benchmarks) or npx tsx bench/prepare.ts
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TandemCore } from '../src/core/tandem-core.js';
import { buildHistory } from './foundation.js';
import { cpuSince, latencyFigures, percentiles, type Figures } from './figures.js';

const QUERIES = 200;
const WARMUP = 20;
const RUNS = 5;
const TARGETS = { searchP99Ms: 20, exportSeriesMs: 1000 } as const;
const WORDS = ['quarter', 'went', 'well', 'change', 'agreed', 'next', 'steps', 'owners', 'topic', 'week', 'context', 'busy', 'good'];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export async function runPrepareBench(): Promise<Figures> {
  console.log('\nSearch, export and backup (method: see the header of bench/prepare.ts)');
  const history = await buildHistory();
  const scratch = mkdtempSync(join(tmpdir(), 'tandem-prepare-'));
  const core = await TandemCore.open({ dataDir: history.dataDir, sync: false });
  try {
    const api = core.connect();
    const queries = Array.from({ length: QUERIES + WARMUP }, (_, i) => {
      const a = WORDS[i % WORDS.length]!;
      const b = WORDS[(i * 7 + 3) % WORDS.length]!;
      return i % 3 === 0 ? `${a} ${b.slice(0, 3)}` : a.slice(0, 3 + (i % (a.length - 2)));
    });
    const samples: number[] = [];
    const cpuSamples: number[] = [];
    let hits = 0;
    for (const [i, query] of queries.entries()) {
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      const results = await api.search({ query });
      const ms = performance.now() - t0;
      if (i >= WARMUP) {
        samples.push(ms);
        cpuSamples.push(cpuSince(cpu));
      }
      hits += results.length;
    }
    const search = percentiles(samples);
    const searchCpu = percentiles(cpuSamples);
    console.log(
      `  search, ${QUERIES} queries of common words (up to 50 results each, ${(hits / queries.length).toFixed(0)} on average): ` +
        `p50 ${fmt(search.p50)}   p99 ${fmt(search.p99)} (target < ${TARGETS.searchP99Ms} ms)   max ${fmt(search.max)}; ` +
        `CPU time p50 ${fmt(searchCpu.p50)}   p99 ${fmt(searchCpu.p99)}`,
    );

    const seriesId = history.seriesIds[0]!;
    const exportOnce = (run: number) => api.exportMarkdown({ seriesId, dir: join(scratch, `export-${run}`) });
    await exportOnce(-1);
    const exports: number[] = [];
    let files = 0;
    for (let run = 0; run < RUNS; run++) exports.push(await timed(async () => (files = (await exportOnce(run)).files.length)));
    console.log(
      `  export one 1:1 (${files} meetings) to Markdown: median ${fmt(median(exports))}, max ${fmt(Math.max(...exports))} (target < ${TARGETS.exportSeriesMs} ms)`,
    );

    const backups: number[] = [];
    const file = join(scratch, 'tandem.tandem-backup');
    for (let run = 0; run < RUNS; run++) backups.push(await timed(() => core.backup(file)));
    console.log(
      `  backup of the whole history (${(statSync(file).size / 1024 / 1024).toFixed(1)} MiB): median ${fmt(median(backups))}, max ${fmt(Math.max(...backups))}`,
    );
    return {
      ...latencyFigures('search', search),
      search_cpu_ms_p50: searchCpu.p50,
      search_cpu_ms_p99: searchCpu.p99,
      export_series_5y_ms: median(exports),
      export_series_5y_max_ms: Math.max(...exports),
      backup_ms: median(backups),
      backup_max_ms: Math.max(...backups),
      backup_bytes: statSync(file).size,
    };
  } finally {
    await core.close();
    rmSync(scratch, { recursive: true, force: true });
    rmSync(history.dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runPrepareBench();
