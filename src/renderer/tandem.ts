/**
 * The one TandemApi the UI talks to: the preload bridge in Electron (settled calls, see
 * shared/bridge.ts), the web shell's socket in a browser. Components never know which. The web
 * shell's client (and zod, which checks what the core sends) loads on the first call, so a page's
 * first paint never waits for it (shared/deferred-api.ts).
 */
import type { TandemApi } from '../shared/api.js';
import { unsettleFromBridge, type BridgedApi } from '../shared/bridge.js';
import { deferredApi } from '../shared/deferred-api.js';
import type { ShellDialogs } from '../shared/shell-dialogs.js';

declare global {
  interface Window {
    tandem?: BridgedApi;
    tandemShell?: ShellDialogs;
  }
}

export const api: TandemApi = window.tandem
  ? unsettleFromBridge(window.tandem)
  : deferredApi(() => import('../web/browser-client.js').then((m) => m.connectToWebShell()));
