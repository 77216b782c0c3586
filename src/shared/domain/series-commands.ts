/**
 * Commands on the 1:1 as a whole: its cadence and the meetings planned from it, moving and
 * cancelling a meeting, its name, pausing and ending it. Same rules as commands.ts: one
 * transaction each, the clock and the user come from the context.
 *
 * A moved meeting is the same meeting re-dated (its id, agenda, notes and check-in stay; its
 * `slot` keeps the cadence date it stood for, so planning goes on from the cadence and not from
 * wherever it was moved to). Its history shows it through the change record. A new meeting for
 * the new date would have had to copy the agenda and notes across, which two people doing at
 * once would have duplicated.
 *
 * Meetings planned from the cadence get an id made from their date, so two people who end or
 * skip the same meeting offline plan the same next meeting and not two.
 */
import * as Y from 'yjs';
import { TandemError } from '../errors.js';
import { Cadence } from '../schemas.js';
import { nextOccurrence } from './cadence.js';
import { addMeeting, run, targetItem, type CommandContext } from './commands.js';
import {
  agendaFor,
  agendaMap,
  isOpenItem,
  listMeetings,
  meetingChangesMap,
  meetingsMap,
  metaMap,
  nextMeeting,
  readItem,
  readMeetingChanges,
  readMeta,
  type Meeting,
  type MeetingChange,
  type SeriesState,
} from './series-doc.js';

/** A UUID-shaped id that is the same on every device for the same planned date. */
export function plannedMeetingId(date: Date): string {
  return `00000000-0000-4000-8000-${date.getTime().toString(16).padStart(12, '0')}`;
}

/** The cadence date the series has planned up to: no new meeting goes before it. */
function plannedUntil(meetings: Meeting[]): number {
  return Math.max(0, ...meetings.map((m) => Math.max(Date.parse(m.scheduledFor), m.slot ? Date.parse(m.slot) : 0)));
}

/**
 * Makes sure the next meeting exists: the cadence's next date after both now and every meeting
 * already held, skipped or cancelled, unless a meeting still to come stands for that date or an
 * earlier one. A meeting planned further ahead (an item aimed at a later meeting, an ad hoc one)
 * so never takes the place of the ones in between. Does nothing while the 1:1 is paused or ended.
 * Returns the next meeting's id, or null. Whoever ends or skips a meeting calls this in the same
 * command.
 */
export function planNextMeeting(doc: Y.Doc, _input: Record<string, never>, ctx: CommandContext): string | null {
  const meetings = listMeetings(doc);
  const existing = meetings.find((m) => m.status === 'scheduled') ?? null;
  const meta = readMeta(doc);
  if (meta.state !== 'active') return existing?.id ?? null;
  const after = new Date(Math.max(ctx.now.getTime(), plannedUntil(meetings.filter((m) => m.status !== 'scheduled'))));
  const date = nextOccurrence(meta.cadence, after);
  if (existing && Date.parse(existing.slot ?? existing.scheduledFor) <= date.getTime()) return existing.id;
  const id = plannedMeetingId(date);
  if (meetingsMap(doc).has(id)) return existing?.id ?? id;
  return addMeeting(doc, { scheduledFor: date.toISOString(), id }, ctx);
}

export interface LaterMeeting {
  id: string;
  scheduledFor: string;
}

/**
 * The meetings after the next one an item can be aimed at: those already scheduled, and the
 * cadence's next dates (planned when first chosen), `count` of them in date order.
 */
export function laterMeetings(doc: Y.Doc, count: number, now: Date): LaterMeeting[] {
  const scheduled = listMeetings(doc).filter((m) => m.status === 'scheduled');
  const next = scheduled[0];
  if (!next) return [];
  const found = new Map(scheduled.slice(1).map((m) => [m.id, { id: m.id, scheduledFor: m.scheduledFor }]));
  const meta = readMeta(doc);
  if (meta.state === 'active') {
    let after = new Date(Math.max(now.getTime(), Date.parse(next.slot ?? next.scheduledFor)));
    for (let k = 0; k < count; k++) {
      after = nextOccurrence(meta.cadence, after);
      const id = plannedMeetingId(after);
      if (id !== next.id && !found.has(id)) found.set(id, { id, scheduledFor: after.toISOString() });
    }
  }
  return [...found.values()].sort((a, b) => a.scheduledFor.localeCompare(b.scheduledFor)).slice(0, count);
}

/**
 * Aims an item at a later meeting from `laterMeetings`, planning that meeting first when it is a
 * cadence date not planned yet (its id comes from its date, so two people choosing it plan one).
 */
export function aimAtLaterMeeting(doc: Y.Doc, input: { itemId: string; meeting: LaterMeeting }, ctx: CommandContext): void {
  const { id, scheduledFor } = input.meeting;
  run(doc, () => {
    if (!meetingsMap(doc).has(id)) {
      const date = new Date(scheduledFor);
      if (Number.isNaN(date.getTime()) || plannedMeetingId(date) !== id)
        throw new TandemError('invalid-input', 'That meeting is not planned.');
      addMeeting(doc, { scheduledFor: date.toISOString(), id }, ctx);
    }
    targetItem(doc, { itemId: input.itemId, meetingId: id }, ctx);
  });
}

function scheduledMeeting(doc: Y.Doc, meetingId: string): Meeting {
  const meeting = listMeetings(doc).find((m) => m.id === meetingId);
  if (!meeting) throw new TandemError('not-found', 'That meeting is not in this 1:1 any more.');
  if (meeting.status !== 'scheduled') throw new TandemError('invalid-input', 'Only a meeting still to come can be moved or cancelled.');
  return meeting;
}

function meetingMap(doc: Y.Doc, meetingId: string): Y.Map<unknown> {
  const m = meetingsMap(doc).get(meetingId);
  if (!(m instanceof Y.Map)) throw new TandemError('not-found', 'That meeting is not in this 1:1 any more.');
  return m;
}

function record(doc: Y.Doc, change: Omit<MeetingChange, 'id' | 'by' | 'at'>, ctx: CommandContext): void {
  meetingChangesMap(doc).set(crypto.randomUUID(), { ...change, by: ctx.userId, at: ctx.now.toISOString() });
}

/** The moves and cancellations of one meeting, oldest first. */
export const changesOf = (doc: Y.Doc, meetingId: string): MeetingChange[] =>
  readMeetingChanges(doc).filter((c) => c.meetingId === meetingId);

/**
 * Saves a new cadence and moves the future meetings planned from the old one to the new one's
 * dates, in order, keeping their ids and agendas. Past meetings, ad hoc meetings and meetings
 * someone moved by hand stay where they are.
 */
export function setCadence(doc: Y.Doc, input: { cadence: Cadence }, ctx: CommandContext): void {
  const cadence = Cadence.parse(input.cadence);
  const moved = new Set(readMeetingChanges(doc).flatMap((c) => (c.kind === 'moved' ? [c.meetingId] : [])));
  const replan = listMeetings(doc).filter(
    (m) => m.status === 'scheduled' && m.origin === 'cadence' && !moved.has(m.id) && Date.parse(m.scheduledFor) > ctx.now.getTime(),
  );
  run(doc, () => {
    metaMap(doc).set('cadence', cadence);
    let after = ctx.now;
    for (const meeting of replan) {
      after = nextOccurrence(cadence, after);
      const m = meetingMap(doc, meeting.id);
      m.set('scheduledFor', after.toISOString());
      m.set('slot', after.toISOString());
    }
  });
}

/** A meeting outside the cadence, e.g. to talk something through before the next one. */
export function addAdHocMeeting(doc: Y.Doc, input: { scheduledFor: string; id?: string }, ctx: CommandContext): string {
  return addMeeting(doc, { ...input, origin: 'ad-hoc' }, ctx);
}

/** Re-dates a meeting still to come; its agenda, notes and check-in go with it. */
export function moveMeeting(doc: Y.Doc, input: { meetingId: string; to: string; reason: string }, ctx: CommandContext): void {
  const meeting = scheduledMeeting(doc, input.meetingId);
  const to = new Date(input.to);
  if (Number.isNaN(to.getTime())) throw new TandemError('invalid-input', 'Choose a new date and time for the meeting.');
  run(doc, () => {
    meetingMap(doc, meeting.id).set('scheduledFor', to.toISOString());
    record(doc, { meetingId: meeting.id, kind: 'moved', reason: input.reason, from: meeting.scheduledFor, to: to.toISOString() }, ctx);
  });
}

/** Items that would go on to the next meeting if this one were skipped: the open ones meant for it. */
export function itemsAtStake(doc: Y.Doc, meetingId: string): string[] {
  const isNext = nextMeeting(doc)?.id === meetingId;
  return [...agendaFor(doc, meetingId), ...(isNext ? agendaFor(doc, null) : [])].filter(isOpenItem).map((i) => i.id);
}

/**
 * Cancels a meeting still to come. Its open items go on to the next meeting, each counted as
 * carried once more, and the next meeting is planned if this was the last one scheduled.
 * Cancelling a meeting that is already cancelled changes nothing; two people cancelling the same
 * meeting offline both set each item's count to the same value, so it is carried exactly once.
 */
export function skipMeeting(doc: Y.Doc, input: { meetingId: string; reason: string }, ctx: CommandContext): void {
  const meeting = listMeetings(doc).find((m) => m.id === input.meetingId);
  if (meeting?.status === 'canceled') return;
  scheduledMeeting(doc, input.meetingId);
  const carried = itemsAtStake(doc, input.meetingId);
  run(doc, () => {
    meetingMap(doc, input.meetingId).set('status', 'canceled');
    for (const id of carried) {
      const m = agendaMap(doc).get(id) as Y.Map<unknown>;
      const item = readItem(id, m);
      if ('reason' in item) continue;
      m.set('meetingId', null);
      m.delete('targetMeetingId');
      m.set('state', 'carried');
      m.set('carriedCount', item.carriedCount + 1);
    }
    record(doc, { meetingId: input.meetingId, kind: 'canceled', reason: input.reason, carried: carried.length }, ctx);
    planNextMeeting(doc, {}, ctx);
  });
}

export function renameSeries(doc: Y.Doc, input: { title: string }, _ctx: CommandContext): void {
  run(doc, () => metaMap(doc).set('title', input.title.trim().slice(0, 200)));
}

/** Pausing stops planning new meetings; resuming plans the next one; an ended 1:1 is kept read-only. */
export function setSeriesState(doc: Y.Doc, input: { state: SeriesState }, ctx: CommandContext): void {
  run(doc, () => {
    metaMap(doc).set('state', input.state);
    if (input.state === 'active') planNextMeeting(doc, {}, ctx);
  });
}
