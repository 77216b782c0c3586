/**
 * Desktop build. Main and the core's utility process run as ESM with their dependencies loaded
 * from node_modules (better-sqlite3 is native, rebuilt for Electron's ABI by scripts/start.mjs).
 * The preload is CommonJS with every dependency bundled in, because a sandboxed preload can
 * neither be an ES module nor require packages.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config.js';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
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
