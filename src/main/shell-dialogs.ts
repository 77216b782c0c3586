/** The system file dialogs the page may ask for (contract: shared/shell-dialogs.ts), shown over the asking window. */
import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { z } from 'zod';
import { PickFileRequest, PickFolderRequest, SHELL_DIALOG_CHANNELS, SaveFileRequest } from '../shared/shell-dialogs.js';
import { APP_ORIGIN } from './app-protocol.js';

function answer<S extends z.ZodType>(
  channel: string,
  schema: S,
  show: (win: BrowserWindow, request: z.output<S>) => Promise<string | null>,
) {
  ipcMain.handle(channel, (event: IpcMainInvokeEvent, raw: unknown) => {
    // Only our own page, in one of our windows.
    const win = BrowserWindow.fromWebContents(event.sender);
    if (!win || !event.senderFrame?.url.startsWith(`${APP_ORIGIN}/`)) throw new Error('refused: not a Tandem window');
    return show(win, schema.parse(raw));
  });
}

const first = (result: { canceled: boolean; filePaths: string[] }) => (result.canceled ? null : (result.filePaths[0] ?? null));

export function serveShellDialogs(): void {
  answer(SHELL_DIALOG_CHANNELS.pickFolder, PickFolderRequest, async (win, r) =>
    first(await dialog.showOpenDialog(win, { title: r.title, properties: ['openDirectory', 'createDirectory'] })),
  );
  answer(SHELL_DIALOG_CHANNELS.pickFile, PickFileRequest, async (win, r) =>
    first(await dialog.showOpenDialog(win, { title: r.title, filters: r.filters, properties: ['openFile'] })),
  );
  answer(SHELL_DIALOG_CHANNELS.saveFile, SaveFileRequest, async (win, r) => {
    const result = await dialog.showSaveDialog(win, { title: r.title, defaultPath: r.defaultName, filters: r.filters });
    return result.canceled ? null : (result.filePath ?? null);
  });
}
