/**
 * Desktop build. Main runs as ESM; the preload is CommonJS because sandboxed preloads cannot be
 * ES modules. better-sqlite3 stays external: it is a native module rebuilt for Electron's ABI
 * (scripts/start.mjs).
 */
import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config.js';

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: { rollupOptions: { input: resolve(import.meta.dirname, 'src/main/index.ts') } },
  },
  preload: {
    build: {
      rollupOptions: {
        input: resolve(import.meta.dirname, 'src/preload/index.ts'),
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
});
