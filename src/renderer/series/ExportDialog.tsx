/** Exports this 1:1 as Markdown, one file per meeting, into a folder; private notes only when ticked. */
import { useState, type FormEvent } from 'react';
import type { ExportResult } from '../../shared/api.js';
import { Dialog, FormFooter } from '../components/Dialog.js';
import { TextField } from '../components/TextField.js';
import { useApp } from '../lib/app-context.js';
import { useFormAction } from '../lib/use-form-action.js';

export function ExportDialog({ seriesId, open, onOpenChange }: { seriesId: string; open: boolean; onOpenChange(open: boolean): void }) {
  const { api } = useApp();
  const [dir, setDir] = useState('');
  const [includePrivate, setIncludePrivate] = useState(false);
  const [done, setDone] = useState<ExportResult | null>(null);
  const { busy, error, run } = useFormAction();

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
