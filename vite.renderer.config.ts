/**
 * The renderer build, shared by the desktop build (electron.vite.config.ts) and the web shell
 * (`npm run build:renderer`), so both serve byte-identical UI.
 */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Every page needs React's DOM renderer, which the entry imports only after it has run (the
 * quick-add route shows its input first): hinting it in the HTML lets the browser fetch and compile
 * it while the page's CSS and entry load.
 */
const preloadReactDom = (): Plugin => ({
  name: 'tandem-preload-react-dom',
  transformIndexHtml: {
    order: 'post',
    handler: (_html, ctx) =>
      Object.values(ctx.bundle ?? {})
        .filter((chunk) => chunk.type === 'chunk' && /[\\/]react-dom[\\/]client\.js$/.test(chunk.facadeModuleId ?? ''))
        .map((chunk) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `./${chunk.fileName}` },
          injectTo: 'head',
        })),
  },
});

export const rendererConfig = {
  root: resolve(import.meta.dirname, 'src/renderer'),
  base: './',
  plugins: [react(), preloadReactDom()],
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
