/**
 * "Export health report": the health of one 1:1, or of all of them, saved as a Markdown or JSON
 * file when the user asks. The core writes it out; nothing is sent anywhere.
 */
import { useState } from 'react';
import type { HealthExportFormat } from '../../shared/insights/report.js';
import { Button } from '../components/Button.js';
import { useToasts } from '../components/Toasts.js';
import { useApp } from '../lib/app-context.js';
import { saveTextFile } from '../lib/save-file.js';

export function ExportHealth({ seriesId }: { seriesId?: string }) {
  const { api } = useApp();
  const { showError } = useToasts();
  const [busy, setBusy] = useState(false);
  const save = (format: HealthExportFormat) => {
    setBusy(true);
    api
      .exportHealth({ format, ...(seriesId ? { seriesId } : {}) })
      .then(saveTextFile, showError)
      .finally(() => setBusy(false));
  };
  return (
    <div className="export-health" role="group" aria-label="Export health report">
      <span className="meta muted">Export health report</span>
      <Button size="small" variant="ghost" disabled={busy} onClick={() => save('markdown')}>
        Markdown
      </Button>
      <Button size="small" variant="ghost" disabled={busy} onClick={() => save('json')}>
        JSON
      </Button>
    </div>
  );
}
