/**
 * The private pane of a meeting: notes only this device keeps, in the 1:1's local-only document
 * (shared/domain/private-notes.ts), opened as its own replica and edited with the same editor.
 */
import { useMemo } from 'react';
import { ensurePrivateNotes, privateDocId } from '../../shared/domain/private-notes.js';
import type { SeriesReplica } from '../replica/series-replica.js';
import { useSeries } from '../replica/use-series.js';
import { NotesEditor } from '../series/NotesEditor.js';

export function PrivateNotes({ seriesId, meetingId, editable }: { seriesId: string; meetingId: string; editable: boolean }) {
  const notes = useSeries(privateDocId(seriesId));
  return (
    <section className="panel" aria-labelledby="private-heading">
      <div className="panel__head">
        <h2 id="private-heading">Private notes</h2>
        <span className="meta muted">Only on this device</span>
      </div>
      {notes.status === 'ready' ? (
        <PrivateEditor key={meetingId} replica={notes.replica} meetingId={meetingId} editable={editable} />
      ) : notes.status === 'failed' ? (
        <p className="inline-alert" role="alert">
          {notes.error.message}
        </p>
      ) : null}
    </section>
  );
}

function PrivateEditor({ replica, meetingId, editable }: { replica: SeriesReplica; meetingId: string; editable: boolean }) {
  const fragment = useMemo(() => replica.run(ensurePrivateNotes, { meetingId }), [replica, meetingId]);
  return (
    <NotesEditor
      doc={replica.doc}
      meetingId={meetingId}
      fragment={fragment}
      awareness={replica.awareness}
      editable={editable}
      label="Private notes"
      placeholder="Only you see these: thoughts, reminders…"
    />
  );
}
