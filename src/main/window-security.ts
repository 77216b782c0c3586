/**
 * Electron's security checklist applied to every window and session: no navigation away from
 * the app, no new windows, external links only as vetted web and mail addresses in the user's browser,
 * every permission request denied.
 */
import { app, shell, type Session, type WebContents } from 'electron';
import { isSafeLink } from '../shared/links.js';
import { APP_ORIGIN } from './app-protocol.js';

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

export function hardenApp(): void {
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
}
