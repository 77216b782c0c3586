/**
 * Settings' backups: Backup now, Restore…, and the backups kept in the data directory. The desktop
 * app saves a backup where the person picks and picks files and folders with the system's dialogs;
 * in a browser "Backup now" writes into the backups folder and every backup there downloads, and
 * paths are typed (the core checks them).
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { BackupFile, BackupList, RestoreResult } from '../../shared/api.js';
import { BACKUP_FILES } from '../../shared/shell-dialogs.js';
import { Button } from '../components/Button.js';
import { Dialog, FormFooter } from '../components/Dialog.js';
import { TextField } from '../components/TextField.js';
import { useApp } from '../lib/app-context.js';
import { meetingDate } from '../lib/meeting-date.js';
import { backupDownloadHref, shellDialogs } from '../lib/shell.js';
import { useFormAction } from '../lib/use-form-action.js';

const size = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function BackupSection() {
  const { api } = useApp();
  const [list, setList] = useState<BackupList | null>(null);
  const [written, setWritten] = useState<string | null>(null);
  const [restoring, setRestoring] = useState<string | null>(null);
  const { busy, error, setError, run } = useFormAction();

  const refresh = useCallback(() => api.listBackups().then(setList), [api]);
  useEffect(() => {
    refresh().catch((err: unknown) => setError((err as Error).message));
  }, [refresh, setError]);

  const backupNow = () =>
    run(async () => {
      const dialogs = shellDialogs();
      let file: string | undefined;
      if (dialogs) {
        const picked = await dialogs.saveFile({
          title: 'Save a backup of Tandem',
          defaultName: 'tandem.tandem-backup',
          filters: [BACKUP_FILES],
        });
        if (!picked) return;
        file = picked;
      }
      const done = await api.backupNow(file ? { file } : {});
      setWritten(`Backup written: ${done.name ?? done.file} (${size(done.bytes)}).`);
      await refresh();
    });

  return (
    <section className="form__section" aria-labelledby="settings-backups">
      <h3 id="settings-backups" className="form__section-title">
        Backups
      </h3>
      <p className="meta muted">
        One file holds everything on this device, private notes included. Tandem keeps a backup of each of the last seven days
        {list ? ` in ${list.folder}` : ''}.
      </p>
      <div className="backups__tools">
        <Button onClick={() => void backupNow()} disabled={busy}>
          Backup now
        </Button>
        <Button onClick={() => setRestoring('')}>Restore…</Button>
      </div>
      {written && <p role="status">{written}</p>}
      {error && (
        <p className="inline-alert" role="alert">
          {error}
        </p>
      )}
      {list && list.backups.length === 0 && <p className="muted">No backup yet.</p>}
      {list && list.backups.length > 0 && (
        <ul className="backups" aria-label="Backups on this device">
          {list.backups.map((b) => (
            <BackupRow key={b.name} backup={b} onRestore={() => setRestoring(b.file)} />
          ))}
        </ul>
      )}
      {restoring !== null && <RestoreDialog file={restoring} onClose={() => setRestoring(null)} />}
    </section>
  );
}

function BackupRow({ backup, onRestore }: { backup: BackupFile; onRestore(): void }) {
  const href = backupDownloadHref(backup.name);
  return (
    <li className="backups__row">
      <span>
        {meetingDate(backup.createdAt)} · {backup.kind === 'daily' ? 'daily' : 'made by you'} · {size(backup.bytes)}
      </span>
      {href && (
        <a className="btn btn--ghost btn--small" href={href} download={backup.name}>
          Download
        </a>
      )}
      <Button size="small" variant="ghost" onClick={onRestore} aria-label={`Restore the backup of ${meetingDate(backup.createdAt)}`}>
        Restore…
      </Button>
    </li>
  );
}

/** Restores a backup into an empty folder: the data this Tandem runs on is never replaced while it runs. */
function RestoreDialog({ file: initialFile, onClose }: { file: string; onClose(): void }) {
  const { api } = useApp();
  const dialogs = shellDialogs();
  const [file, setFile] = useState(initialFile);
  const [dataDir, setDataDir] = useState('');
  const [done, setDone] = useState<RestoreResult | null>(null);
  const { busy, error, run } = useFormAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    // The dialog is rendered inside the settings form: its submit must not save the settings too.
    e.stopPropagation();
    void run(async () => setDone(await api.restoreBackup({ file: file.trim(), dataDir: dataDir.trim() })));
  };
  const pickFile = async () => {
    const picked = await dialogs?.pickFile({ title: 'Choose a Tandem backup', filters: [BACKUP_FILES] });
    if (picked) setFile(picked);
  };
  const pickFolder = async () => {
    const picked = await dialogs?.pickFolder({ title: 'Choose an empty folder to restore into' });
    if (picked) setDataDir(picked);
  };

  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title="Restore a backup"
      description="Into an empty folder: the data this Tandem runs on is left as it is. Then start Tandem on that folder."
    >
      <form className="form" onSubmit={submit} noValidate>
        <TextField label="Backup file" hint="Its full path." value={file} onChange={(e) => setFile(e.target.value)} />
        {dialogs && <Button onClick={() => void pickFile()}>Choose a file…</Button>}
        <TextField
          label="Empty folder to restore into"
          hint="Its full path; it is created if needed."
          value={dataDir}
          onChange={(e) => setDataDir(e.target.value)}
        />
        {dialogs && <Button onClick={() => void pickFolder()}>Choose a folder…</Button>}
        {done && (
          <p role="status">
            Restored the backup of {meetingDate(done.createdAt)} into {done.dataDir}. Start Tandem with --data-dir {done.dataDir} (or
            TANDEM_DATA_DIR) to open it.
          </p>
        )}
        <FormFooter error={error} submitLabel="Restore" disabled={busy || !file.trim() || !dataDir.trim()} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
