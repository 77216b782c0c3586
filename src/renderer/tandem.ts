/**
 * The one TandemApi the UI talks to: the preload bridge in Electron, the web shell's socket in a
 * browser. Components never know which.
 */
import type { TandemApi } from '../shared/api.js';
import { connectToWebShell } from '../web/browser-client.js';

declare global {
  interface Window {
    tandem?: TandemApi;
  }
}

export const api: TandemApi = window.tandem ?? connectToWebShell();
