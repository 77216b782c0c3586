/**
 * The one TandemApi the UI talks to: the preload bridge in Electron (settled calls, see
 * shared/bridge.ts), the web shell's socket in a browser. Components never know which.
 */
import type { TandemApi } from '../shared/api.js';
import { unsettleFromBridge, type BridgedApi } from '../shared/bridge.js';
import type { ShellDialogs } from '../shared/shell-dialogs.js';
import { connectToWebShell } from '../web/browser-client.js';

declare global {
  interface Window {
    tandem?: BridgedApi;
    tandemShell?: ShellDialogs;
  }
}

export const api: TandemApi = window.tandem ? unsettleFromBridge(window.tandem) : connectToWebShell();
