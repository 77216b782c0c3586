/**
 * The relay as plain JavaScript run by node alone (`npm run build:relay` → out/relay/): no
 * TypeScript loader and no hundreds of package files to resolve at start, which kept an idle relay
 * at about twice the reference server's memory. Three files: relay.js, the relay itself;
 * store-thread.js, what its SQLite store thread runs (server/store/sqlite-thread.ts); and
 * scan-thread.js, what its update-checking worker runs (server/scan-pool.ts). Each thread gets a
 * bundle of its own because loading all of relay.js there cost the store thread about 20 MB more,
 * and the scan worker about 200 ms of CPU at its start (against about 60 ms for its own), which the
 * first large update a relay receives waits for.
 */
import { resolve } from 'node:path';
import { build, defineConfig, type InlineConfig, type Plugin } from 'vite';
import { NODE_BUNDLE_EXTERNAL } from './scripts/bundle-externals.js';

const OUT = resolve(import.meta.dirname, 'out/relay');
export const RELAY_BUNDLE = resolve(OUT, 'relay.js');
/**
 * The options node runs the relay with, wherever it is started (package.json's `relay`,
 * deploy/Dockerfile, the README's start lines, the benchmarks): V8's heap kept near what is alive.
 * With V8's defaults a burst of connections grew the young generation to 2 x 16 MB and left the
 * old one holding the burst's promoted garbage until a full collection V8's default growth lets
 * come late: some 2 KB per idle connection at 10,000 (bench/relay-load.ts, idle phase). A young
 * generation of at most 2 x 8 MB and a full collection once the old one has grown by a fifth cost
 * more collections under load: in 20 s of the benchmark's active phase, on a shared machine, 74
 * scavenges and 7 full collections against 37 and 1, and 4.3 s of CPU against 4.0 s.
 * `--optimize-for-size` saved as much memory but scavenged sixteen times as often, which the
 * latency target cannot afford. `--heap-growing-percent` is refused in NODE_OPTIONS: these go on
 * node's command line.
 */
export const RELAY_NODE_OPTIONS = ['--max-semi-space-size=8', '--heap-growing-percent=20'];

/** One self-contained file for `entry`: everything inside but the native module and Node's built-ins. */
const bundle = (entry: string, file: string, emptyOutDir: boolean): InlineConfig => ({
  configFile: false,
  logLevel: 'warn',
  ssr: { noExternal: true },
  build: {
    ssr: resolve(import.meta.dirname, entry),
    outDir: OUT,
    emptyOutDir,
    minify: false,
    target: 'node20',
    // One file still: the PostgreSQL store, loaded on demand, goes inside it.
    rollupOptions: { external: NODE_BUNDLE_EXTERNAL, output: { entryFileNames: file, codeSplitting: false } },
  },
});

const threads: Plugin = {
  name: 'tandem-relay-threads',
  apply: 'build',
  async closeBundle() {
    await build(bundle('server/store/sqlite-thread.ts', 'store-thread.js', false));
    await build(bundle('server/scan-pool.ts', 'scan-thread.js', false));
  },
};

export default defineConfig({ ...bundle('server/main.ts', 'relay.js', true), plugins: [threads] });
