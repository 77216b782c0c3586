/**
 * Desktop build. Main and the core's utility process are ESM bundles with their dependencies
 * inside, except what scripts/bundle-externals.ts leaves out (measured: bench/foundation.ts).
 * The preload is CommonJS, also bundled, because a sandboxed preload can neither be an ES module
 * nor require packages.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { NODE_BUNDLE_EXTERNAL } from './scripts/bundle-externals.js';
import { rendererConfig } from './vite.renderer.config.js';

export default defineConfig({
  main: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        external: NODE_BUNDLE_EXTERNAL,
        input: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          'core-process': resolve(import.meta.dirname, 'src/main/core-process.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: resolve(import.meta.dirname, 'src/preload/index.ts'),
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
});
