/**
 * The 1:1's past: every meeting that was held, moved or cancelled, newest first, with the reason,
 * the check-ins, its items (discussed, settled async, not reached) and the next steps made in it.
 * A meeting's notes open read-only; "Edit notes" makes them editable on purpose.
 */
import { useMemo, useState } from 'react';
import { listNextSteps, notReachedIn, readCheckIns } from '../../shared/domain/meetings.js';
import { agendaFor, type Meeting, type MeetingChange } from '../../shared/domain/series-doc.js';
import type { AgendaState } from '../../shared/schemas.js';
import { Button } from '../components/Button.js';
import { Dialog } from '../components/Dialog.js';
import { meetingDate } from '../lib/labels.js';
import type { SeriesReplica } from '../replica/series-replica.js';
import { useMeetingChanges, useMeetings, useMeta } from '../replica/use-doc-part.js';
import { NotesEditor } from './NotesEditor.js';

function describe(change: MeetingChange): string {
  if (change.kind === 'moved') return `Moved from ${meetingDate(change.from ?? '')} to ${meetingDate(change.to ?? '')}: ${change.reason}`;
  const carried = change.carried ? ` (${change.carried} ${change.carried === 1 ? 'item' : 'items'} carried forward)` : '';
  return `Cancelled: ${change.reason}${carried}`;
}

const STATUS = { held: 'Held', canceled: 'Cancelled', moved: 'Moved', scheduled: 'Upcoming' } as const;
const ITEM_STATE: Partial<Record<AgendaState, string>> = { discussed: 'discussed', settled: 'settled async' };

export function HistoryDialog({
  replica,
  open,
  onOpenChange,
}: {
  replica: SeriesReplica;
  open: boolean;
  onOpenChange(open: boolean): void;
}) {
  const meetings = useMeetings(replica.doc);
  const changes = useMeetingChanges(replica.doc);
  const past = useMemo(() => {
    const changed = new Set(changes.map((c) => c.meetingId));
    return meetings.filter((m) => m.status !== 'scheduled' || changed.has(m.id)).reverse();
  }, [meetings, changes]);

  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="History">
      {past.length === 0 ? (
        <p className="muted">No meeting has been held, moved or cancelled yet.</p>
      ) : (
        <ol className="history" aria-label="Past meetings">
          {past.map((m) => (
            <HistoryEntry key={m.id} replica={replica} meeting={m} changes={changes.filter((c) => c.meetingId === m.id)} />
          ))}
        </ol>
      )}
    </Dialog>
  );
}

function HistoryEntry({ replica, meeting, changes }: { replica: SeriesReplica; meeting: Meeting; changes: MeetingChange[] }) {
  const [showNotes, setShowNotes] = useState(false);
  const [editing, setEditing] = useState(false);
  const { participants } = useMeta(replica.doc);
  const nameOf = (id: string | null) => (id ? (participants[id]?.name ?? 'Someone no longer in this 1:1') : 'No owner');
  const items = agendaFor(replica.doc, meeting.id);
  const notReached = notReachedIn(replica.doc, meeting.id);
  const checkIns = Object.entries(readCheckIns(replica.doc, meeting.id).byUser).filter(([, line]) => line.trim());
  const steps = listNextSteps(replica.doc).filter((s) => s.meetingId === meeting.id);
  const date = meetingDate(meeting.scheduledFor);
  const heading = `${date} · ${STATUS[meeting.status]}`;
  return (
    <li className="history__entry">
      <h3 className="history__title">{heading}</h3>
      {changes.map((c) => (
        <p key={c.id} className="meta">
          {describe(c)}
        </p>
      ))}
      {checkIns.length > 0 && (
        <>
          <p className="history__label meta muted">Check-in</p>
          <ul className="history__items" aria-label={`Check-ins of ${date}`}>
            {checkIns.map(([userId, line]) => (
              <li key={userId}>
                <span className="meta muted">{nameOf(userId)}: </span>
                {line}
              </li>
            ))}
          </ul>
        </>
      )}
      {items.length + notReached.length > 0 && (
        <>
          <p className="history__label meta muted">Items</p>
          <ul className="history__items" aria-label={`Items of ${date}`}>
            {items.map((i) => (
              <li key={i.id}>
                {i.title}
                {ITEM_STATE[i.state] && <span className="meta muted"> · {ITEM_STATE[i.state]}</span>}
              </li>
            ))}
            {notReached.map((i) => (
              <li key={i.id}>
                {i.title}
                <span className="meta muted"> · not reached, carried on</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {steps.length > 0 && (
        <>
          <p className="history__label meta muted">Next steps</p>
          <ul className="history__items" aria-label={`Next steps of ${date}`}>
            {steps.map((s) => (
              <li key={s.id}>
                {s.text}
                <span className="meta muted">
                  {' '}
                  · {nameOf(s.ownerId)}, {s.due ?? 'no due date'}
                  {s.done ? ', done' : ''}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="history__tools">
        <Button variant="ghost" aria-expanded={showNotes} onClick={() => setShowNotes((v) => !v)}>
          {showNotes ? 'Hide notes' : 'Show notes'}
        </Button>
        {showNotes && (
          <Button variant="ghost" aria-pressed={editing} onClick={() => setEditing((v) => !v)}>
            Edit notes
          </Button>
        )}
      </div>
      {showNotes && <NotesEditor doc={replica.doc} meetingId={meeting.id} awareness={replica.awareness} editable={editing} />}
    </li>
  );
}
