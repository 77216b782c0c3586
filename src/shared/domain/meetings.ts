/**
 * Holding a meeting: starting it, the check-in, walking the agenda (current item, timers, marking
 * items discussed), next steps, and ending it with the carry-over of what was not reached. Each
 * command is `(doc, input, ctx)` with one transaction, like those of commands.ts.
 *
 * Layout added to a meeting's Y.Map: startedAt, startedBy, endedAt, currentItemId, currentSince
 * (when the current item became current), `checkIn:<userId>`: Y.Text, each person's check-in line.
 * Older documents hold one shared `checkIn` Y.Text instead; it is still read (as `shared`).
 * Added to an agenda item: discussedAt, spentMs (time spent while current, before currentSince),
 * carriedFrom (the meeting that last carried it), `notReachedIn:<meetingId>`: true for every
 * meeting that ended without reaching it (its own key each, for the history), closedIn (the meeting it was
 * discussed or settled in; see series-doc.ts for the merge rule it serves), settledAt, settledBy,
 * and its written replies, each its own key `reply:<id>` → { by, at, text } so replies written at
 * once by both people never overwrite each other.
 * An action (next step): text: Y.Text, ownerId?, due?, done, doneAt, meetingId, fromItemId?,
 * createdAt, createdBy.
 *
 * Timers are never ticking counters in the document: elapsed time is computed from the stored
 * timestamps, so both people see the same figures.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { TandemError } from '../errors.js';
import { readArchived } from './archive.js';
import { replaceText, run, type CommandContext } from './commands.js';
import { planNextMeeting } from './series-commands.js';
import {
  actionsMap,
  agendaFor,
  agendaMap,
  isOpenItem,
  byOrder,
  listMeetings,
  meetingsMap,
  notesAuthorsMap,
  readItem,
  readMeeting,
  type AgendaItem,
  type Meeting,
} from './series-doc.js';

// A plain check rather than a schema: it runs several times for every meeting and item of a long history.
const optionalDate = (v: unknown): string | null => (typeof v === 'string' && v.length <= 40 && !Number.isNaN(Date.parse(v)) ? v : null);
const optionalString = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : null);

export interface MeetingState extends Meeting {
  startedAt: string | null;
  startedBy: string | null;
  endedAt: string | null;
  currentItemId: string | null;
  currentSince: string | null;
}

function meetingMap(doc: Y.Doc, meetingId: string): Y.Map<unknown> {
  const m = meetingsMap(doc).get(meetingId);
  if (!(m instanceof Y.Map)) throw new TandemError('not-found', `meeting ${meetingId} does not exist`);
  return m;
}

export function readMeetingState(doc: Y.Doc, meetingId: string): MeetingState | null {
  const m = meetingsMap(doc).get(meetingId);
  const meeting = readMeeting(meetingId, m);
  if ('reason' in meeting || !(m instanceof Y.Map)) return null;
  return {
    ...meeting,
    startedAt: optionalDate(m.get('startedAt')),
    startedBy: optionalString(m.get('startedBy')),
    endedAt: optionalDate(m.get('endedAt')),
    currentItemId: optionalString(m.get('currentItemId')),
    currentSince: optionalDate(m.get('currentSince')),
  };
}

/** The meeting being held or about to be: one started and not ended, else the next scheduled one. */
export function currentMeeting(doc: Y.Doc): MeetingState | null {
  // Only the scheduled ones can be current: a long history holds hundreds of others.
  const scheduled = listMeetings(doc).filter((m) => m.status === 'scheduled');
  const states = scheduled.map((m) => readMeetingState(doc, m.id)).filter((m): m is MeetingState => m !== null);
  return states.find((m) => m.status === 'scheduled' && m.startedAt) ?? states.find((m) => m.status === 'scheduled') ?? null;
}

/** The meeting held last before `meeting` (the one whose next steps it reviews). */
export function previousMeeting(doc: Y.Doc, meetingId: string): MeetingState | null {
  const meetings = listMeetings(doc);
  const at = meetings.findIndex((m) => m.id === meetingId);
  for (let i = at - 1; i >= 0; i--) if (meetings[i]!.status === 'held') return readMeetingState(doc, meetings[i]!.id);
  return null;
}

export interface ItemTiming {
  discussedAt: string | null;
  spentMs: number;
  carriedFrom: string | null;
  /** When and by whom the context the item holds was begun (commands.ts); null in items older than the stamp. */
  contextAt: string | null;
  contextBy: string | null;
}

// A plain check: most items have no time spent, and a schema's catch builds an error for each.
const spentMs = (v: unknown): number => (typeof v === 'number' && v >= 0 && v <= 1e10 ? v : 0);

export function readItemTiming(doc: Y.Doc, itemId: string): ItemTiming {
  const m = agendaMap(doc).get(itemId);
  if (!(m instanceof Y.Map)) return { discussedAt: null, spentMs: 0, carriedFrom: null, contextAt: null, contextBy: null };
  return {
    discussedAt: optionalDate(m.get('discussedAt')),
    spentMs: spentMs(m.get('spentMs')),
    carriedFrom: optionalString(m.get('carriedFrom')),
    contextAt: optionalDate(m.get('contextAt')),
    contextBy: optionalString(m.get('contextBy')),
  };
}

/** Milliseconds spent on an item so far, counting the running stretch when it is current. */
export function itemElapsedMs(doc: Y.Doc, meeting: MeetingState, itemId: string, now: Date): number {
  const { spentMs } = readItemTiming(doc, itemId);
  if (meeting.currentItemId !== itemId || !meeting.currentSince || meeting.endedAt) return spentMs;
  return spentMs + Math.max(0, now.getTime() - Date.parse(meeting.currentSince));
}

export function meetingElapsedMs(meeting: MeetingState, now: Date): number {
  if (!meeting.startedAt) return 0;
  const end = meeting.endedAt ? Date.parse(meeting.endedAt) : now.getTime();
  return Math.max(0, end - Date.parse(meeting.startedAt));
}

/**
 * The agenda of a meeting: items pinned to it (discussed there, or targeted at it) and, while it
 * is the next one to hold, the items waiting for "the next meeting".
 */
export function meetingAgenda(doc: Y.Doc, meetingId: string): AgendaItem[] {
  const isNext = currentMeeting(doc)?.id === meetingId;
  return [...agendaFor(doc, meetingId), ...(isNext ? agendaFor(doc, null) : [])].sort(byOrder);
}

export function startMeeting(doc: Y.Doc, input: { meetingId: string }, ctx: CommandContext): void {
  const meeting = meetingMap(doc, input.meetingId);
  if (optionalDate(meeting.get('startedAt'))) return;
  run(doc, () => {
    meeting.set('startedAt', ctx.now.toISOString());
    meeting.set('startedBy', ctx.userId);
  });
}

function itemMap(doc: Y.Doc, itemId: string): Y.Map<unknown> {
  const m = agendaMap(doc).get(itemId);
  if (!(m instanceof Y.Map)) throw new TandemError('not-found', `agenda item ${itemId} does not exist`);
  return m;
}

/** Adds the running stretch of the current item to its time spent, and clears it. */
function stopCurrent(doc: Y.Doc, meeting: Y.Map<unknown>, now: Date): void {
  const current = optionalString(meeting.get('currentItemId'));
  const since = optionalDate(meeting.get('currentSince'));
  if (current && since) {
    const item = agendaMap(doc).get(current);
    if (item instanceof Y.Map) item.set('spentMs', readItemTiming(doc, current).spentMs + Math.max(0, now.getTime() - Date.parse(since)));
  }
  meeting.set('currentItemId', null);
  meeting.set('currentSince', null);
}

/** Makes `itemId` the item being discussed (null: none), starting its timer. */
export function setCurrentItem(doc: Y.Doc, input: { meetingId: string; itemId: string | null }, ctx: CommandContext): void {
  const meeting = meetingMap(doc, input.meetingId);
  if (input.itemId) itemMap(doc, input.itemId);
  run(doc, () => {
    stopCurrent(doc, meeting, ctx.now);
    if (!optionalDate(meeting.get('startedAt'))) {
      meeting.set('startedAt', ctx.now.toISOString());
      meeting.set('startedBy', ctx.userId);
    }
    if (!input.itemId) return;
    meeting.set('currentItemId', input.itemId);
    meeting.set('currentSince', ctx.now.toISOString());
  });
}

/** Marks an item discussed in this meeting (pinning it there for the history), or open again. */
export function markDiscussed(doc: Y.Doc, input: { meetingId: string; itemId: string; discussed: boolean }, ctx: CommandContext): void {
  const item = itemMap(doc, input.itemId);
  meetingMap(doc, input.meetingId);
  run(doc, () => {
    if (input.discussed) {
      item.set('state', 'discussed');
      item.set('discussedAt', ctx.now.toISOString());
      item.set('meetingId', input.meetingId);
      item.set('closedIn', input.meetingId);
    } else {
      item.set('state', 'open');
      item.delete('discussedAt');
      item.delete('closedIn');
    }
  });
}

export interface Reply {
  id: string;
  by: string;
  at: string;
  text: string;
}

const REPLY_PREFIX = 'reply:';
const ReplyValue = z.object({
  by: z.string().max(200),
  at: z.string().refine((v) => optionalDate(v) !== null),
  text: z.string().max(10_000),
});
export const REPLY_MAX = 10_000;

/** The written replies to an item, oldest first; what does not fit is skipped. */
export function readReplies(doc: Y.Doc, itemId: string): Reply[] {
  const m = agendaMap(doc).get(itemId);
  const replies: Reply[] = [];
  if (!(m instanceof Y.Map)) return replies;
  m.forEach((value, key) => {
    if (!key.startsWith(REPLY_PREFIX)) return;
    const reply = ReplyValue.safeParse(value);
    if (reply.success) replies.push({ id: key.slice(REPLY_PREFIX.length), ...reply.data });
  });
  return replies.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
}

/** Answers an item in writing, so it can be settled without meeting time. */
export function replyToItem(doc: Y.Doc, input: { itemId: string; text: string; id?: string }, ctx: CommandContext): string {
  const item = itemMap(doc, input.itemId);
  const text = input.text.trim();
  if (!text) throw new TandemError('invalid-input', 'A reply needs a few words.');
  if (text.length > REPLY_MAX) throw new TandemError('invalid-input', `A reply can be up to ${REPLY_MAX.toLocaleString('en')} characters.`);
  const id = input.id ?? crypto.randomUUID();
  run(doc, () => item.set(REPLY_PREFIX + id, { by: ctx.userId, at: ctx.now.toISOString(), text }));
  return id;
}

/**
 * Closes an item as settled in writing (or opens it again). A settled item leaves the live agenda
 * and is kept with the meeting it was settled before (`meetingId`, null when none is planned), so
 * that meeting's summary and history show it as settled async.
 */
export function settleItem(doc: Y.Doc, input: { itemId: string; meetingId: string | null; settled: boolean }, ctx: CommandContext): void {
  const item = itemMap(doc, input.itemId);
  if (input.meetingId) meetingMap(doc, input.meetingId);
  run(doc, () => {
    if (input.settled) {
      item.set('state', 'settled');
      item.set('settledAt', ctx.now.toISOString());
      item.set('settledBy', ctx.userId);
      item.set('meetingId', input.meetingId);
      if (input.meetingId) item.set('closedIn', input.meetingId);
    } else {
      item.set('state', 'open');
      item.delete('settledAt');
      item.delete('settledBy');
      item.delete('closedIn');
      item.set('meetingId', null);
    }
  });
}

/**
 * Records that this document's client writes as the acting user, so the notes it writes can be
 * counted as theirs. Once per client: a document gets a new client id each time it is loaded.
 */
export function claimNotesAuthorship(doc: Y.Doc, _input: Record<string, never>, ctx: CommandContext): void {
  const key = String(doc.clientID);
  if (notesAuthorsMap(doc).get(key) === ctx.userId) return;
  run(doc, () => notesAuthorsMap(doc).set(key, ctx.userId));
}

const CHECK_IN_PREFIX = 'checkIn:';

export interface CheckIns {
  /** Each participant's line, by user id. */
  byUser: Record<string, string>;
  /** The one shared check-in text of documents written before there was one per person. */
  shared: string;
}

export function readCheckIns(doc: Y.Doc, meetingId: string): CheckIns {
  const m = meetingsMap(doc).get(meetingId);
  const byUser: Record<string, string> = {};
  if (!(m instanceof Y.Map)) return { byUser, shared: '' };
  m.forEach((t, key) => {
    if (key.startsWith(CHECK_IN_PREFIX) && t instanceof Y.Text) byUser[key.slice(CHECK_IN_PREFIX.length)] = t.toString();
  });
  const shared = m.get('checkIn');
  return { byUser, shared: shared instanceof Y.Text ? shared.toString() : '' };
}

/**
 * Writes the acting user's check-in line. Each person's line is its own key of the meeting
 * (`checkIn:<userId>`), not an entry of a shared map: two people checking in for the first time at
 * once would each create that map, and Yjs would keep only one of them.
 */
export function writeCheckIn(doc: Y.Doc, input: { meetingId: string; value: string }, ctx: CommandContext): void {
  const meeting = meetingMap(doc, input.meetingId);
  const key = CHECK_IN_PREFIX + ctx.userId;
  run(doc, () => {
    let text = meeting.get(key);
    if (!(text instanceof Y.Text)) {
      text = new Y.Text();
      meeting.set(key, text);
    }
    replaceText(text as Y.Text, input.value);
  });
}

export interface NextStep {
  id: string;
  text: string;
  ownerId: string | null;
  due: string | null;
  done: boolean;
  doneAt: string | null;
  meetingId: string | null;
  fromItemId: string | null;
  createdAt: string;
}

const DueDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const DueOrNone = DueDate.nullable().catch(null);

export function readNextStep(id: string, m: unknown): NextStep | null {
  if (!(m instanceof Y.Map)) return null;
  const text = m.get('text');
  if (!(text instanceof Y.Text)) return null;
  return {
    id,
    text: text.toString(),
    ownerId: optionalString(m.get('ownerId')),
    due: DueOrNone.parse(m.get('due') ?? null),
    done: m.get('done') === true,
    doneAt: optionalDate(m.get('doneAt')),
    meetingId: optionalString(m.get('meetingId')),
    fromItemId: optionalString(m.get('fromItemId')),
    createdAt: optionalDate(m.get('createdAt')) ?? '',
  };
}

export function listNextSteps(doc: Y.Doc): NextStep[] {
  const steps: NextStep[] = [];
  actionsMap(doc).forEach((m, id) => {
    const step = readNextStep(id, m);
    if (step) steps.push(step);
  });
  return steps.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/**
 * The next steps a meeting shows: those made in it, and those made in an earlier meeting that were
 * still open when it started (ticking one off during the review does not hide it, and history
 * shows what was open then).
 */
export function nextStepsFor(doc: Y.Doc, meetingId: string): NextStep[] {
  // Open next steps of meetings that moved to an archive stay here, dated by the archive's index.
  const when = new Map([...readArchived(doc), ...listMeetings(doc)].map((m) => [m.id, m.scheduledFor]));
  const at = when.get(meetingId);
  const state = readMeetingState(doc, meetingId);
  if (at === undefined || !state) return [];
  // Done after this meeting started: it was still open here (ticked off during it, or later).
  const openHere = (step: NextStep) => !step.done || (step.doneAt !== null && state.startedAt !== null && step.doneAt >= state.startedAt);
  return listNextSteps(doc).filter((step) => {
    if (step.meetingId === meetingId) return true;
    const madeAt = step.meetingId ? when.get(step.meetingId) : undefined;
    if (madeAt === undefined || madeAt >= at) return false;
    return openHere(step);
  });
}

export interface AddNextStep {
  meetingId: string;
  text: string;
  ownerId?: string | null;
  due?: string | null;
  fromItemId?: string | null;
  id?: string;
}

export function addNextStep(doc: Y.Doc, input: AddNextStep, ctx: CommandContext): string {
  const id = input.id ?? crypto.randomUUID();
  const text = input.text.trim();
  if (!text) throw new TandemError('invalid-input', 'A next step needs a few words saying what will be done.');
  meetingMap(doc, input.meetingId);
  return run(doc, () => {
    const step = new Y.Map<unknown>();
    actionsMap(doc).set(id, step);
    step.set('text', new Y.Text(text));
    if (input.ownerId) step.set('ownerId', input.ownerId);
    if (input.due) step.set('due', DueDate.parse(input.due));
    step.set('done', false);
    step.set('doneAt', null);
    step.set('meetingId', input.meetingId);
    if (input.fromItemId) step.set('fromItemId', input.fromItemId);
    step.set('createdAt', ctx.now.toISOString());
    step.set('createdBy', ctx.userId);
    return id;
  });
}

function stepMap(doc: Y.Doc, stepId: string): Y.Map<unknown> {
  const m = actionsMap(doc).get(stepId);
  if (!(m instanceof Y.Map)) throw new TandemError('not-found', `next step ${stepId} does not exist`);
  return m;
}

export function setNextStepDone(doc: Y.Doc, input: { stepId: string; done: boolean }, ctx: CommandContext): void {
  const step = stepMap(doc, input.stepId);
  run(doc, () => {
    step.set('done', input.done);
    step.set('doneAt', input.done ? ctx.now.toISOString() : null);
  });
}

/** Rewrites a next step's text, touching only what changed so a concurrent edit elsewhere in it survives. */
export function editNextStepText(doc: Y.Doc, input: { stepId: string; value: string }, _ctx: CommandContext): void {
  const text = stepMap(doc, input.stepId).get('text');
  if (!(text instanceof Y.Text)) throw new TandemError('invalid-input', `next step ${input.stepId} has no text`);
  if (!input.value.trim()) throw new TandemError('invalid-input', 'A next step needs a few words saying what will be done.');
  run(doc, () => replaceText(text, input.value.slice(0, REPLY_MAX)));
}

export function setNextStepOwner(doc: Y.Doc, input: { stepId: string; ownerId: string | null }, _ctx: CommandContext): void {
  const step = stepMap(doc, input.stepId);
  run(doc, () => (input.ownerId ? step.set('ownerId', input.ownerId) : step.delete('ownerId')));
}

export function setNextStepDue(doc: Y.Doc, input: { stepId: string; due: string | null }, _ctx: CommandContext): void {
  const step = stepMap(doc, input.stepId);
  const due = input.due ? DueDate.safeParse(input.due) : null;
  if (due && !due.success) throw new TandemError('invalid-input', 'A due date looks like 2030-01-31.');
  run(doc, () => (due ? step.set('due', due.data) : step.delete('due')));
}

const NOT_REACHED_PREFIX = 'notReachedIn:';

/** The items a held meeting did not reach and carried on, for its history. */
export function notReachedIn(doc: Y.Doc, meetingId: string): AgendaItem[] {
  const items: AgendaItem[] = [];
  agendaMap(doc).forEach((m, id) => {
    if (!(m instanceof Y.Map) || m.get(NOT_REACHED_PREFIX + meetingId) !== true) return;
    const item = readItem(id, m);
    // The merge rule may have kept it closed in this meeting after all (see series-doc.ts).
    if (!('reason' in item) && item.meetingId !== meetingId) items.push(item);
  });
  return items.sort(byOrder);
}

export interface MeetingSummary {
  discussed: AgendaItem[];
  /** Answered in writing and closed without meeting time. */
  settled: AgendaItem[];
  notReached: AgendaItem[];
  nextSteps: NextStep[];
  /** Next steps made in this meeting still lacking an owner or a due date. */
  incomplete: NextStep[];
}

export function summarizeMeeting(doc: Y.Doc, meetingId: string): MeetingSummary {
  const agenda = meetingAgenda(doc, meetingId);
  const made = listNextSteps(doc).filter((s) => s.meetingId === meetingId);
  return {
    discussed: agenda.filter((i) => i.state === 'discussed'),
    settled: agenda.filter((i) => i.state === 'settled'),
    notReached: agenda.filter((i) => isOpenItem(i) && !i.async),
    nextSteps: made,
    incomplete: made.filter((s) => !s.ownerId || !s.due),
  };
}

/**
 * Ends a meeting: marks it held with its start and end, carries every item not reached to the next
 * meeting, and plans the next meeting. Carrying is idempotent and convergent: a carried item leaves
 * the meeting's agenda (for the next one), so ending again finds nothing to carry; and two people
 * ending the same meeting offline write the same values from the same state, and plan the same
 * next meeting (its id derives from this one), so the merge counts each carry exactly once.
 */
export function endMeeting(doc: Y.Doc, input: { meetingId: string }, ctx: CommandContext): void {
  const meeting = meetingMap(doc, input.meetingId);
  const read = readMeeting(input.meetingId, meeting);
  if ('reason' in read) throw new TandemError('invalid-input', `meeting ${input.meetingId} cannot be ended: its ${read.reason}`);
  const agenda = meetingAgenda(doc, input.meetingId);
  run(doc, () => {
    stopCurrent(doc, meeting, ctx.now);
    if (!optionalDate(meeting.get('startedAt'))) meeting.set('startedAt', ctx.now.toISOString());
    if (!optionalDate(meeting.get('endedAt'))) meeting.set('endedAt', ctx.now.toISOString());
    meeting.set('status', 'held');
    for (const item of agenda) {
      if (!isOpenItem(item) || item.async) continue;
      const m = itemMap(doc, item.id);
      m.set('state', 'carried');
      m.set('carriedCount', item.carriedCount + 1);
      m.set('carriedFrom', input.meetingId);
      m.set(NOT_REACHED_PREFIX + input.meetingId, true);
      m.set('meetingId', null);
      m.delete('targetMeetingId');
    }
    planNextMeeting(doc, {}, ctx);
  });
}
