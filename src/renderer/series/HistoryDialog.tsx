/**
 * The 1:1's past: every meeting that was held, moved or cancelled, newest first, with the reason,
 * the check-ins, its items (discussed, settled async, not reached) and the next steps made in it.
 * A meeting's notes open read-only; "Edit notes" makes them editable on purpose.
 * Older years live in archive documents (shared/domain/archive.ts): each is listed by year from
 * the series document's index and loaded only when that year is shown. An archived meeting's
 * open next steps and the items it carried on stay in the series document, so an entry reads
 * both documents, and names come from the series document's participants.
 */
import { useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { archiveDocId } from '../../shared/domain/archive.js';
import { listNextSteps, notReachedIn, readCheckIns } from '../../shared/domain/meetings.js';
import { agendaFor, type Meeting, type MeetingChange } from '../../shared/domain/series-doc.js';
import type { AgendaState } from '../../shared/schemas.js';
import { Button } from '../components/Button.js';
import { Dialog } from '../components/Dialog.js';
import { meetingDate } from '../lib/meeting-date.js';
import type { SeriesReplica } from '../replica/series-replica.js';
import { useArchived, useMeetingChanges, useMeetings, useMeta } from '../replica/use-doc-part.js';
import { useSeries } from '../replica/use-series.js';
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
  const archived = useArchived(replica.doc);
  const past = usePast(meetings, changes);
  const years = useMemo(() => {
    const counts = new Map<number, number>();
    for (const m of archived) counts.set(m.year, (counts.get(m.year) ?? 0) + 1);
    return [...counts].sort((a, b) => b[0] - a[0]);
  }, [archived]);

  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="History">
      {past.length === 0 && years.length === 0 ? (
        <p className="muted">No meeting has been held, moved or cancelled yet.</p>
      ) : (
        <ol className="history" aria-label="Past meetings">
          {past.map((m) => (
            <HistoryEntry
              key={m.id}
              replica={replica}
              series={replica.doc}
              meeting={m}
              changes={changes.filter((c) => c.meetingId === m.id)}
            />
          ))}
        </ol>
      )}
      {years.map(([year, count]) => (
        <ArchivedYear key={year} series={replica} year={year} count={count} />
      ))}
    </Dialog>
  );
}

/** Meetings held, moved or cancelled, newest first. */
function usePast(meetings: Meeting[], changes: MeetingChange[]): Meeting[] {
  return useMemo(() => {
    const changed = new Set(changes.map((c) => c.meetingId));
    return meetings.filter((m) => m.status !== 'scheduled' || changed.has(m.id)).reverse();
  }, [meetings, changes]);
}

/** A year of archived meetings: its count until shown, then its meetings, loaded from its archive document. */
function ArchivedYear({ series, year, count }: { series: SeriesReplica; year: number; count: number }) {
  const [shown, setShown] = useState(false);
  return (
    <section className="history__year" aria-label={`Meetings of ${year}`}>
      <div className="history__tools">
        <h3 className="history__title">
          {year} · {count} {count === 1 ? 'meeting' : 'meetings'}
        </h3>
        <Button variant="ghost" aria-expanded={shown} onClick={() => setShown((v) => !v)}>
          {shown ? `Hide ${year}` : `Show ${year}`}
        </Button>
      </div>
      {shown && <ArchivedMeetings docId={archiveDocId(series.seriesId, year)} series={series.doc} year={year} />}
    </section>
  );
}

function ArchivedMeetings({ docId, series, year }: { docId: string; series: Y.Doc; year: number }) {
  const archive = useSeries(docId);
  if (archive.status === 'loading') return <p className="muted">Loading {year}…</p>;
  if (archive.status === 'failed') return <p role="alert">{archive.error.message}</p>;
  return <ArchivedList replica={archive.replica} series={series} year={year} />;
}

function ArchivedList({ replica, series, year }: { replica: SeriesReplica; series: Y.Doc; year: number }) {
  const changes = useMeetingChanges(replica.doc);
  const past = usePast(useMeetings(replica.doc), changes);
  if (past.length === 0) return <p className="muted">The meetings of {year} have not arrived from the relay yet.</p>;
  return (
    <ol className="history" aria-label={`Past meetings of ${year}`}>
      {past.map((m) => (
        <HistoryEntry key={m.id} replica={replica} series={series} meeting={m} changes={changes.filter((c) => c.meetingId === m.id)} />
      ))}
    </ol>
  );
}

function HistoryEntry({
  replica,
  series,
  meeting,
  changes,
}: {
  replica: SeriesReplica;
  series: Y.Doc;
  meeting: Meeting;
  changes: MeetingChange[];
}) {
  const [showNotes, setShowNotes] = useState(false);
  const [editing, setEditing] = useState(false);
  const { participants } = useMeta(series);
  const docs = series === replica.doc ? [series] : [replica.doc, series];
  const nameOf = (id: string | null) => (id ? (participants[id]?.name ?? 'Someone no longer in this 1:1') : 'No owner');
  const items = agendaFor(replica.doc, meeting.id);
  const notReached = uniqueById(docs.flatMap((doc) => notReachedIn(doc, meeting.id)));
  const checkIns = Object.entries(readCheckIns(replica.doc, meeting.id).byUser).filter(([, line]) => line.trim());
  const steps = uniqueById(docs.flatMap((doc) => listNextSteps(doc)).filter((s) => s.meetingId === meeting.id));
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

function uniqueById<T extends { id: string }>(list: T[]): T[] {
  return [...new Map(list.map((entry) => [entry.id, entry])).values()];
}
