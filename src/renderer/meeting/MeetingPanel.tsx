/**
 * Meeting mode for the current meeting: "Start 1:1", then the check-in, the next steps from last
 * time, the agenda walked item by item (the current one highlighted, with timers), the next steps
 * agreed, and ending the meeting. Everything is in the shared document, so both people see the
 * same state: who started, which item is current, the same elapsed times.
 */
import { useState, type FormEvent } from 'react';
import { checkInPromptFor } from '../../shared/domain/check-in-prompts.js';
import {
  addNextStep,
  itemElapsedMs,
  markDiscussed,
  meetingAgenda,
  meetingElapsedMs,
  nextStepsFor,
  readCheckIns,
  setCurrentItem,
  startMeeting,
  writeCheckIn,
  type MeetingState,
} from '../../shared/domain/meetings.js';
import { Button } from '../components/Button.js';
import { meetingDate } from '../lib/meeting-date.js';
import type { SeriesReplica } from '../replica/series-replica.js';
import { EndMeetingDialog } from './EndMeetingDialog.js';
import { NextStepRow, type People } from './NextStepRow.js';
import { formatElapsed, useAllItems, useAllNextSteps, useCurrentMeeting, useNow } from './use-meeting.js';

export function MeetingPanel({ replica, people }: { replica: SeriesReplica; people: People }) {
  const meeting = useCurrentMeeting(replica.doc);
  const running = !!meeting?.startedAt && !meeting.endedAt;
  const now = useNow(running);
  if (!meeting) return null;
  return (
    <section className="panel meeting" aria-labelledby="meeting-heading">
      <div className="panel__head">
        <h2 id="meeting-heading">{running ? '1:1 in progress' : `Next 1:1 · ${meetingDate(meeting.scheduledFor)}`}</h2>
        {running ? (
          <span className="meta muted">
            Started by {meeting.startedBy === people.me.id ? 'you' : people.partner.name} ·{' '}
            <span aria-label="Meeting time">{formatElapsed(meetingElapsedMs(meeting, now))}</span>
          </span>
        ) : (
          <Button variant="primary" onClick={() => replica.run(startMeeting, { meetingId: meeting.id })}>
            Start 1:1
          </Button>
        )}
      </div>
      {running && <CheckIn replica={replica} meeting={meeting} people={people} />}
      <ReviewSteps replica={replica} meeting={meeting} people={people} />
      {running && <AgendaWalk replica={replica} meeting={meeting} now={now} people={people} />}
    </section>
  );
}

function CheckIn({ replica, meeting, people }: { replica: SeriesReplica; meeting: MeetingState; people: People }) {
  const { byUser, shared } = readCheckIns(replica.doc, meeting.id);
  const partnerLine = people.partner.id ? byUser[people.partner.id] : undefined;
  return (
    <div className="meeting__part" role="group" aria-labelledby="check-in-heading">
      <h3 id="check-in-heading">Check-in</h3>
      <p className="meeting__prompt">{checkInPromptFor(replica.doc, meeting.id)}</p>
      <label className="field">
        <span className="field__label">Your check-in</span>
        <input
          className="input"
          value={byUser[people.me.id] ?? ''}
          onChange={(e) => replica.run(writeCheckIn, { meetingId: meeting.id, value: e.target.value })}
        />
      </label>
      <p>
        <span className="meta muted">{people.partner.name}: </span>
        <span aria-label={`${people.partner.name}'s check-in`}>{partnerLine || 'not written yet'}</span>
      </p>
      {shared && <p className="meta muted">Earlier check-in: {shared}</p>}
    </div>
  );
}

function ReviewSteps({ replica, meeting, people }: { replica: SeriesReplica; meeting: MeetingState; people: People }) {
  useAllNextSteps(replica.doc);
  const earlier = nextStepsFor(replica.doc, meeting.id).filter((s) => s.meetingId !== meeting.id);
  return (
    <div className="meeting__part" role="group" aria-labelledby="review-heading">
      <h3 id="review-heading">Next steps from last time</h3>
      {earlier.length === 0 ? (
        <p className="muted">Nothing open from earlier meetings.</p>
      ) : (
        <ul className="next-steps" aria-labelledby="review-heading">
          {earlier.map((s) => (
            <NextStepRow key={s.id} replica={replica} step={s} people={people} />
          ))}
        </ul>
      )}
    </div>
  );
}

function AgendaWalk({ replica, meeting, now, people }: { replica: SeriesReplica; meeting: MeetingState; now: Date; people: People }) {
  useAllItems(replica.doc);
  useAllNextSteps(replica.doc);
  const [draft, setDraft] = useState<{ text: string; fromItemId: string | null } | null>(null);
  const [ending, setEnding] = useState(false);
  const items = meetingAgenda(replica.doc, meeting.id);
  const made = nextStepsFor(replica.doc, meeting.id).filter((s) => s.meetingId === meeting.id);
  return (
    <>
      <div className="meeting__part" role="group" aria-labelledby="walk-heading">
        <h3 id="walk-heading">Walk the agenda</h3>
        {items.length === 0 && <p className="muted">Nothing on the agenda.</p>}
        <ol className="walk" aria-labelledby="walk-heading">
          {items.map((item) => {
            const current = meeting.currentItemId === item.id;
            const discussed = item.state === 'discussed';
            if (item.state === 'settled') {
              return (
                <li key={item.id} className="walk__item">
                  <span className="walk__title">{item.title}</span>
                  <span className="carried">settled async</span>
                </li>
              );
            }
            return (
              <li
                key={item.id}
                className={`walk__item${current ? ' walk__item--current' : ''}`}
                aria-current={current ? 'step' : undefined}
              >
                <span className="walk__title">{item.title}</span>
                {item.carriedCount > 0 && <span className="carried">carried ×{item.carriedCount}</span>}
                <span className="meta muted" aria-label={`Time on ${item.title}`}>
                  {formatElapsed(itemElapsedMs(replica.doc, meeting, item.id, now))}
                </span>
                <span className="walk__actions">
                  {!current && !discussed && (
                    <Button size="small" onClick={() => replica.run(setCurrentItem, { meetingId: meeting.id, itemId: item.id })}>
                      Discuss {item.title}
                    </Button>
                  )}
                  <label className="walk__check">
                    <input
                      type="checkbox"
                      aria-label={`${item.title} discussed`}
                      checked={discussed}
                      onChange={(e) => {
                        if (current && e.target.checked) replica.run(setCurrentItem, { meetingId: meeting.id, itemId: null });
                        replica.run(markDiscussed, { meetingId: meeting.id, itemId: item.id, discussed: e.target.checked });
                      }}
                    />
                    Discussed
                  </label>
                  <Button size="small" variant="ghost" onClick={() => setDraft({ text: item.title, fromItemId: item.id })}>
                    Next step from {item.title}
                  </Button>
                </span>
              </li>
            );
          })}
        </ol>
      </div>
      <div className="meeting__part" role="group" aria-labelledby="made-heading">
        <h3 id="made-heading">Next steps</h3>
        {made.length > 0 && (
          <ul className="next-steps" aria-labelledby="made-heading">
            {made.map((s) => (
              <NextStepRow key={s.id} replica={replica} step={s} people={people} />
            ))}
          </ul>
        )}
        <AddNextStep
          key={draft?.fromItemId ?? 'own'}
          initial={draft?.text ?? ''}
          people={people}
          onAdd={(step) => {
            replica.run(addNextStep, { meetingId: meeting.id, fromItemId: draft?.fromItemId ?? null, ...step });
            setDraft(null);
          }}
        />
      </div>
      <div className="meeting__end">
        <Button variant="primary" onClick={() => setEnding(true)}>
          End 1:1
        </Button>
      </div>
      <EndMeetingDialog replica={replica} meeting={meeting} people={people} open={ending} onOpenChange={setEnding} />
    </>
  );
}

function AddNextStep({
  initial,
  people,
  onAdd,
}: {
  initial: string;
  people: People;
  onAdd(step: { text: string; ownerId: string | null; due: string | null }): void;
}) {
  const [text, setText] = useState(initial);
  const [ownerId, setOwnerId] = useState('');
  const [due, setDue] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    onAdd({ text, ownerId: ownerId || null, due: due || null });
    setText('');
    setOwnerId('');
    setDue('');
  };
  return (
    <form className="add-step" onSubmit={submit} aria-label="Add a next step">
      <input className="input" aria-label="Next step" placeholder="A next step…" value={text} onChange={(e) => setText(e.target.value)} />
      <select aria-label="Owner" value={ownerId} onChange={(e) => setOwnerId(e.target.value)}>
        <option value="">No owner</option>
        <option value={people.me.id}>Me ({people.me.name})</option>
        {people.partner.id && <option value={people.partner.id}>{people.partner.name}</option>}
      </select>
      <input type="date" aria-label="Due date" value={due} onChange={(e) => setDue(e.target.value)} />
      <Button type="submit" disabled={!text.trim()}>
        Add next step
      </Button>
    </form>
  );
}
