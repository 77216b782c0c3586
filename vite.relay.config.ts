/**
 * The relay as one plain JavaScript bundle (`npm run build:relay` → out/relay/relay.js), run by
 * node alone: no TypeScript loader and no hundreds of package files to resolve at start, which
 * kept an idle relay at about twice the reference server's memory.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { NODE_BUNDLE_EXTERNAL } from './scripts/bundle-externals.js';

export const RELAY_BUNDLE = resolve(import.meta.dirname, 'out/relay/relay.js');

export default defineConfig({
  logLevel: 'warn',
  ssr: { noExternal: true },
  build: {
    ssr: resolve(import.meta.dirname, 'server/main.ts'),
    outDir: resolve(import.meta.dirname, 'out/relay'),
    emptyOutDir: true,
    minify: false,
    target: 'node20',
    // One file still: the PostgreSQL store, loaded on demand, goes inside it.
    rollupOptions: { external: NODE_BUNDLE_EXTERNAL, output: { entryFileNames: 'relay.js', codeSplitting: false } },
  },
});
