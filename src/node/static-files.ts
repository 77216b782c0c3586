/**
 * Serving the built renderer safely, for both the desktop `app://` scheme and the web shell:
 * a request path maps to a file only if it stays inside the renderer folder.
 */
import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export const contentType = (path: string) => CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';

/** The file a URL path names inside `root`, or null when it would escape it. */
export function resolveInside(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const base = resolve(root);
  const path = resolve(base, '.' + (decoded === '/' ? '/index.html' : decoded));
  return path.startsWith(base + sep) ? path : null;
}

/**
 * A file the renderer build named after its content (`/assets/<name>-<hash>.js`, Vite's naming):
 * its address never serves other bytes, so a browser may keep it, and the code V8 compiled from
 * it, instead of fetching and compiling it again for every page.
 */
export const isContentHashed = (pathname: string): boolean => /^\/assets\/[\w.-]+-[\w-]{8}\.(?:js|css)$/.test(pathname);
