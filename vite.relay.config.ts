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
