/**
 * Serves the renderer from the custom `app://tandem/` scheme instead of file://, so the page has
 * a real origin, gets the same CSP as the web shell, and can only read files inside the renderer
 * build.
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../shared/csp.js';
import { contentType, resolveInside } from '../node/static-files.js';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://tandem`;

/**
 * Must run before the app is ready. `codeCache`: V8 keeps the code it compiled from our scripts,
 * as it does for http(s), so a window opened again (the main window, a re-made quick-add window)
 * does not compile the renderer anew.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const path = url.host === 'tandem' ? resolveInside(rendererDir, url.pathname) : null;
    if (!path) return new Response('not found', { status: 404 });
    try {
      return new Response(await readFile(path), {
        headers: {
          'content-type': contentType(path),
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}
