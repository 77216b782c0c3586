/**
 * Where a search result lands: the meeting it came from, read-only, with the place it was found
 * (an item, the notes, the check-in, a next step, the private notes) marked and scrolled to. A
 * meeting moved to an archive document (shared/domain/archive.ts) is read from there.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import type * as Y from 'yjs';
import { archiveDocId, readArchived } from '../../shared/domain/archive.js';
import { checkInPromptFor } from '../../shared/domain/check-in-prompts.js';
import { currentMeeting, listNextSteps, meetingAgenda, readCheckIns } from '../../shared/domain/meetings.js';
import { notesText } from '../../shared/domain/notes-text.js';
import { privateDocId, privateNotes } from '../../shared/domain/private-notes.js';
import { listMeetings, meetingNotes, perspective, readMeta, type Meeting } from '../../shared/domain/series-doc.js';
import { Dialog } from '../components/Dialog.js';
import { useApp } from '../lib/app-context.js';
import { meetingDate } from '../lib/meeting-date.js';
import type { SeriesReplica } from '../replica/series-replica.js';
import { useSeries } from '../replica/use-series.js';

function Place({ found, label, children }: { found: boolean; label: string; children: ReactNode }) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (found) ref.current?.scrollIntoView?.({ block: 'center' });
  }, [found]);
  return (
    <section
      ref={ref}
      tabIndex={-1}
      data-autofocus={found || undefined}
      className={found ? 'found found--here' : 'found'}
      aria-label={label}
      aria-current={found ? 'location' : undefined}
    >
      <h3>{label}</h3>
      {children}
    </section>
  );
}

const paragraphs = (text: string) =>
  text ? text.split('\n').map((line, i) => <p key={i}>{line}</p>) : <p className="muted">Nothing written.</p>;

export function FoundMeeting({
  replica,
  meetingId,
  at,
  onClose,
}: {
  replica: SeriesReplica;
  /** `next`: the items waiting for the next meeting. */
  meetingId: string;
  at: string | undefined;
  onClose(): void;
}) {
  const { doc } = replica;
  const id = meetingId === 'next' ? currentMeeting(doc)?.id : meetingId;
  const meeting = listMeetings(doc).find((m) => m.id === id);
  const archived = meeting ? undefined : readArchived(doc).find((m) => m.id === id);
  if (meeting) return <MeetingFound doc={doc} series={replica} meeting={meeting} at={at} onClose={onClose} />;
  if (archived) return <ArchivedFound series={replica} year={archived.year} meetingId={archived.id} at={at} onClose={onClose} />;
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title="Meeting not found">
      <p className="muted">That meeting is no longer in this 1:1.</p>
    </Dialog>
  );
}

/** A meeting moved to its year's archive document: loaded for this view alone. */
function ArchivedFound({
  series,
  year,
  meetingId,
  at,
  onClose,
}: {
  series: SeriesReplica;
  year: number;
  meetingId: string;
  at: string | undefined;
  onClose(): void;
}) {
  const archive = useSeries(archiveDocId(series.seriesId, year));
  const meeting = archive.status === 'ready' ? listMeetings(archive.replica.doc).find((m) => m.id === meetingId) : undefined;
  if (archive.status === 'ready' && meeting)
    return <MeetingFound doc={archive.replica.doc} series={series} meeting={meeting} at={at} onClose={onClose} />;
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title={`A meeting of ${year}`}>
      {archive.status === 'failed' ? (
        <p role="alert">{archive.error.message}</p>
      ) : (
        <p className="muted">
          {archive.status === 'loading' ? `Loading ${year}…` : `The meetings of ${year} have not arrived from the relay yet.`}
        </p>
      )}
    </Dialog>
  );
}

/**
 * The meeting from the document holding it (the series document, or its year's archive). An
 * archived meeting's open next steps stay in the series document, and names come from there.
 */
function MeetingFound({
  doc,
  series,
  meeting,
  at,
  onClose,
}: {
  doc: Y.Doc;
  series: SeriesReplica;
  meeting: Meeting;
  at: string | undefined;
  onClose(): void;
}) {
  const { profile } = useApp();
  const meta = readMeta(series.doc);
  const name = (userId: string) =>
    userId === profile.id ? 'You' : (meta.participants[userId]?.name ?? perspective(meta, profile.id).partnerName);
  const items = meetingAgenda(doc, meeting.id);
  const { byUser, shared } = readCheckIns(doc, meeting.id);
  const docs = doc === series.doc ? [doc] : [doc, series.doc];
  const steps = [...new Map(docs.flatMap((d) => listNextSteps(d)).map((s) => [s.id, s])).values()].filter(
    (s) => s.meetingId === meeting.id,
  );
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title={`Meeting of ${meetingDate(meeting.scheduledFor)}`}>
      <div className="found-meeting">
        <Place found={at?.startsWith('item:') ?? false} label="Agenda">
          {items.length ? (
            <ul>
              {items.map((i) => (
                <li key={i.id} className={at === `item:${i.id}` ? 'found__entry found__entry--here' : 'found__entry'}>
                  <strong>{i.title}</strong>
                  {i.context && <span className="muted"> · {i.context}</span>}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No items.</p>
          )}
        </Place>
        <Place found={at === 'check-in'} label="Check-in">
          <p className="meeting__prompt">{checkInPromptFor(doc, meeting.id)}</p>
          {Object.entries(byUser).map(([userId, line]) => (
            <p key={userId}>
              <span className="meta muted">{name(userId)}: </span>
              {line}
            </p>
          ))}
          {shared && <p>{shared}</p>}
        </Place>
        <Place found={at === 'notes'} label="Shared notes">
          {paragraphs(notesText(meetingNotes(doc, meeting.id)))}
        </Place>
        <Place found={at?.startsWith('step:') ?? false} label="Next steps">
          {steps.length ? (
            <ul>
              {steps.map((s) => (
                <li key={s.id} className={at === `step:${s.id}` ? 'found__entry found__entry--here' : 'found__entry'}>
                  {s.done ? '☑' : '☐'} {s.text}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">None.</p>
          )}
        </Place>
        {at === 'private' && <FoundPrivate seriesId={series.seriesId} meetingId={meeting.id} />}
      </div>
    </Dialog>
  );
}

function FoundPrivate({ seriesId, meetingId }: { seriesId: string; meetingId: string }) {
  const notes = useSeries(privateDocId(seriesId));
  const fragment = notes.status === 'ready' ? privateNotes(notes.replica.doc, meetingId) : null;
  return (
    <Place found label="Private notes (only on this device)">
      {notes.status === 'ready' ? paragraphs(fragment ? notesText(fragment) : '') : null}
    </Place>
  );
}
