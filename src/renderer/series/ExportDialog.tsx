/**
 * Exports this 1:1 as Markdown, one file per meeting, into a folder; private notes only when ticked.
 * The desktop app picks the folder with the system's dialog; a browser types its full path (the web
 * shell runs on this machine, and the core checks the path).
 */
import { useState, type FormEvent } from 'react';
import type { ExportResult } from '../../shared/api.js';
import { Dialog, FormFooter } from '../components/Dialog.js';
import { Button } from '../components/Button.js';
import { TextField } from '../components/TextField.js';
import { useApp } from '../lib/app-context.js';
import { shellDialogs } from '../lib/shell.js';
import { useFormAction } from '../lib/use-form-action.js';

export function ExportDialog({ seriesId, open, onOpenChange }: { seriesId: string; open: boolean; onOpenChange(open: boolean): void }) {
  const { api } = useApp();
  const [dir, setDir] = useState('');
  const [includePrivate, setIncludePrivate] = useState(false);
  const [done, setDone] = useState<ExportResult | null>(null);
  const { busy, error, run } = useFormAction();
  const dialogs = shellDialogs();
  const pickFolder = async () => {
    const picked = await dialogs?.pickFolder({ title: 'Choose a folder to export into' });
    if (picked) setDir(picked);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => setDone(await api.exportMarkdown({ seriesId, dir: dir.trim(), includePrivate })));
  };

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Export to Markdown"
      description="One file per meeting, with its agenda, notes and next steps."
    >
      <form onSubmit={submit}>
        <TextField
          label="Folder"
          hint="The full path of a folder; it is created if needed."
          value={dir}
          onChange={(e) => setDir(e.target.value)}
        />
        {dialogs && <Button onClick={() => void pickFolder()}>Choose a folder…</Button>}
        <label className="library__share">
          <input type="checkbox" checked={includePrivate} onChange={(e) => setIncludePrivate(e.target.checked)} /> Include my private notes
        </label>
        {done && (
          <p role="status">
            Exported {done.files.length} meeting{done.files.length === 1 ? '' : 's'} to {done.dir}
            {done.skipped ? ` (${done.skipped} too damaged to export)` : ''}.
          </p>
        )}
        <FormFooter error={error} submitLabel="Export" disabled={busy || !dir.trim()} onCancel={() => onOpenChange(false)} />
      </form>
    </Dialog>
  );
}
