/**
 * `npm run bench`: the foundation benchmark, then every other benchmark module present in bench/
 * (they are written by others and may not exist yet, so each is found on disk and imported lazily).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runFoundationBench } from './foundation.js';

interface RelayLatencyModule {
  measureRelayLatency(options?: { edits?: number }): Promise<unknown[]>;
  formatLatency(results: unknown[]): string;
}

interface SyncLatencyModule {
  measureSyncLatency(options?: { edits?: number }): Promise<unknown>;
  formatSyncLatency(report: unknown): string;
}

interface SyncMergeModule {
  measureSyncMerge(options?: { edits?: number }): Promise<unknown>;
  formatSyncMerge(report: unknown): string;
}

/** Benchmarks other than the foundation one: the file, and how to run and print it. */
const others: { file: string; title: string; run: (mod: never) => Promise<string> }[] = [
  {
    file: 'relay-latency.ts',
    title: 'Keystroke-to-peer latency through the relay (method: see the header of bench/relay-latency.ts)',
    run: async (mod: RelayLatencyModule) => mod.formatLatency(await mod.measureRelayLatency()),
  },
  {
    file: 'sync-latency.ts',
    title: 'Keystroke-to-peer latency, core to core (method: see the header of bench/sync-latency.ts)',
    run: async (mod: SyncLatencyModule) => mod.formatSyncLatency(await mod.measureSyncLatency()),
  },
  {
    file: 'sync-merge.ts',
    title: 'Offline merge, core to core (method: see the header of bench/sync-merge.ts)',
    run: async (mod: SyncMergeModule) => mod.formatSyncMerge(await mod.measureSyncMerge()),
  },
];

await runFoundationBench();
for (const bench of others) {
  const path = fileURLToPath(new URL(bench.file, import.meta.url));
  console.log('');
  if (!existsSync(path)) {
    console.log(`(bench/${bench.file} is not in this checkout; skipped)`);
    continue;
  }
  console.log(bench.title);
  console.log(await bench.run((await import(pathToFileURL(path).href)) as never));
}
