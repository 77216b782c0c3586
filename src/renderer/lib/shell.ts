/**
 * What differs between the desktop app and a browser for files: the desktop app shows the
 * system's file dialogs (shared/shell-dialogs.ts); in a browser paths are typed (the core checks
 * them) and backups are downloaded from the web shell.
 */
import type { ShellDialogs } from '../../shared/shell-dialogs.js';
import { backupDownloadUrl } from '../../web/browser-client.js';

/** The desktop app's file dialogs; null in a browser. */
export const shellDialogs = (): ShellDialogs | null => window.tandemShell ?? null;

/** Where a backup of the backups folder downloads from in the web shell; null in the desktop app. */
export const backupDownloadHref = (name: string): string | null => (window.tandem ? null : backupDownloadUrl(name));
