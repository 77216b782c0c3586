/**
 * The desktop app's file dialogs, offered to the page beside the contract (`window.tandemShell`,
 * see src/preload): the page asks, the main process shows the system's dialog over its window
 * and answers with the path chosen, or null. The web shell has none; its pages type paths, which
 * the core checks. Requests are checked here on arrival in the main process.
 */
import { z } from 'zod';

const Title = z.string().min(1).max(100);
const FileFilter = z
  .object({
    name: z.string().min(1).max(60),
    extensions: z
      .array(z.string().regex(/^[a-z0-9-]{1,20}$/))
      .min(1)
      .max(5),
  })
  .strict();

export const PickFolderRequest = z.object({ title: Title }).strict();
export const PickFileRequest = z.object({ title: Title, filters: z.array(FileFilter).max(5) }).strict();
export const SaveFileRequest = z
  .object({ title: Title, defaultName: z.string().min(1).max(200), filters: z.array(FileFilter).max(5) })
  .strict();

export const SHELL_DIALOG_CHANNELS = {
  pickFolder: 'tandem:dialog:pick-folder',
  pickFile: 'tandem:dialog:pick-file',
  saveFile: 'tandem:dialog:save-file',
} as const;

export interface ShellDialogs {
  /** A folder (which the dialog can create). */
  pickFolder(request: z.input<typeof PickFolderRequest>): Promise<string | null>;
  /** An existing file. */
  pickFile(request: z.input<typeof PickFileRequest>): Promise<string | null>;
  /** Where to save a new file. */
  saveFile(request: z.input<typeof SaveFileRequest>): Promise<string | null>;
}

export const BACKUP_FILES = { name: 'Tandem backup', extensions: ['tandem-backup'] };
