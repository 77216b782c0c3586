/** Keeping the data safe: a backup now, the backups kept in the data directory, restoring into an empty one. */
import { BackupNowInput, RestoreInput } from '../../../shared/schemas.js';
import { NoInput, handler } from '../define.js';

export const backupHandlers = {
  backupNow: handler(BackupNowInput, async ({ core }, input) => core.backupNow(input)),
  listBackups: handler(NoInput, async ({ core }) => core.listBackups()),
  restoreBackup: handler(RestoreInput, async ({ core }, input) => core.restoreInto(input)),
  storageCheck: handler(NoInput, async ({ core }) => core.storageCheck),
};
