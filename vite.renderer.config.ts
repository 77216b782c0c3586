/**
 * The renderer build, shared by the desktop build (electron.vite.config.ts) and the web shell
 * (`npm run build:renderer`), so both serve byte-identical UI.
 */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export const rendererConfig = {
  root: resolve(import.meta.dirname, 'src/renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    // The 1:1 view's chunk is the editor (Tiptap and ProseMirror) as one unit, read from local
    // disk; splitting it further would only add requests.
    chunkSizeWarningLimit: 600,
    rollupOptions: { input: resolve(import.meta.dirname, 'src/renderer/index.html') },
  },
};

export default defineConfig(rendererConfig);
