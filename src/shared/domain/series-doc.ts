/**
 * The layout of one 1:1 relationship ("series") as a Y.Doc, and its validated reads. Every side
 * (core, renderer replica, tests) reads a series only through these functions and writes it only
 * through the commands in commands.ts, so the layout (docs/architecture.md) lives in one place:
 *
 *   meta      Y.Map  kind, cadence (see cadence.ts), title, state (active | paused | ended),
 *                    createdAt, createdBy, invitee {name, role}, participants: Y.Map id → {name, role}
 *   meetings  Y.Map  id → Y.Map { scheduledFor, status, origin (cadence | ad-hoc), slot (the cadence
 *                    date it was planned for), checkIn: Y.Text, notes: Y.XmlFragment, ... }
 *   meetingChanges Y.Map  id → { meetingId, kind (moved | canceled), by, at, reason, from, to,
 *                    carried }: every move and cancellation, who made it, when and why. A root map
 *                    keyed by a fresh id, so two people recording at once never overwrite each other.
 *   agenda    Y.Map  id → Y.Map { title: Y.Text, context: Y.Text, contextAt, contextBy (when and
 *                    by whom the context it holds was begun), purpose, async, authorId,
 *                    createdAt, meetingId (null = next meeting), targetMeetingId (a later meeting
 *                    it waits for), state, order, carriedCount, closedIn (the meeting it was
 *                    discussed or settled in), settledAt, settledBy, `reply:<id>`: {by, at, text} }
 *   removedItems Y.Map  item id → { meetingId }: items of a meeting that were removed (not moved to
 *                    an archive), see removeAgendaItem
 *   actions   Y.Map  id → Y.Map { text: Y.Text, ownerId, due, done, doneAt, meetingId }
 *   notesAuthors Y.Map  clientID → userId: whose client wrote which notes text (see notesAuthorsMap)
 *   questions Y.Map  id → { category, text, when, by, at }: questions shared in this 1:1 (questions.ts)
 *
 * A document is written by peers: any value may be missing or of another type. Reads check every
 * value against the schemas; an entry that does not fit is skipped (and listed, for whoever
 * reports it), never cast and trusted.
 */
import * as Y from 'yjs';
import { generateKeyBetween } from 'fractional-indexing';
import { z } from 'zod';
import { TandemError } from '../errors.js';
import { AgendaState, Purpose, Role, SeriesKind, type Cadence } from '../schemas.js';
import { readCadence } from './cadence.js';

export interface Participant {
  name: string;
  role: Role;
}

export const SeriesState = z.enum(['active', 'paused', 'ended']);
export type SeriesState = z.infer<typeof SeriesState>;

export interface SeriesMeta {
  kind: SeriesKind;
  cadence: Cadence;
  /** A name the participants gave the 1:1; empty: it is called by the other person's name. */
  title: string;
  /** Paused: no next meeting is planned. Ended: kept read-only among past 1:1s. */
  state: SeriesState;
  createdAt: string;
  createdBy: string;
  invitee: Participant;
  participants: Record<string, Participant>;
}

export const MeetingStatus = z.enum(['scheduled', 'held', 'canceled', 'moved']);
export type MeetingStatus = z.infer<typeof MeetingStatus>;

export const MeetingOrigin = z.enum(['cadence', 'ad-hoc']);
export type MeetingOrigin = z.infer<typeof MeetingOrigin>;

export interface Meeting {
  id: string;
  scheduledFor: string;
  status: MeetingStatus;
  origin: MeetingOrigin;
  /** The cadence date it was planned for (ISO); a moved meeting keeps it, so planning goes on from there. */
  slot: string | null;
}

export const MeetingChangeKind = z.enum(['moved', 'canceled']);

export const MeetingChange = z.object({
  meetingId: z.string().max(64),
  kind: MeetingChangeKind,
  by: z.string().max(64),
  at: z.string().max(40),
  reason: z.string().max(1000),
  /** Moved: the date before and after. */
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  /** Canceled: how many open items went on to the next meeting. */
  carried: z.number().int().min(0).optional(),
});
export type MeetingChange = z.infer<typeof MeetingChange> & { id: string };

export interface AgendaItem {
  id: string;
  title: string;
  context: string;
  /** null: nobody chose one (never guessed: the health insights count purposes). */
  purpose: Purpose | null;
  async: boolean;
  authorId: string;
  createdAt: string;
  meetingId: string | null;
  /** A later meeting the item waits for (it joins the agenda when that meeting is the next one). */
  targetMeetingId: string | null;
  state: AgendaState;
  order: string;
  carriedCount: number;
}

/** An entry a read skipped because a peer wrote something that does not fit the layout. */
export interface Skipped {
  id: string;
  reason: string;
}

export const metaMap = (doc: Y.Doc) => doc.getMap<unknown>('meta');
export const meetingsMap = (doc: Y.Doc) => doc.getMap<unknown>('meetings');
export const agendaMap = (doc: Y.Doc) => doc.getMap<unknown>('agenda');
export const actionsMap = (doc: Y.Doc) => doc.getMap<unknown>('actions');
export const meetingChangesMap = (doc: Y.Doc) => doc.getMap<unknown>('meetingChanges');
/**
 * Who writes through each Yjs client: clientID (as a string) → user id, recorded by
 * `claimNotesAuthorship` (meetings.ts) when a client first edits shared notes. Yjs marks every
 * character with the client that inserted it, so the notes can be counted per person.
 */
export const notesAuthorsMap = (doc: Y.Doc) => doc.getMap<unknown>('notesAuthors');
/** Items pinned to a meeting that `removeAgendaItem` removed, with their meeting. */
export const removedItemsMap = (doc: Y.Doc) => doc.getMap<unknown>('removedItems');
/** Questions shared in this 1:1 (questions.ts). */
export const questionsMap = (doc: Y.Doc) => doc.getMap<unknown>('questions');

const ParticipantSchema = z.object({ name: z.string().max(200), role: Role });
// Built once: reads run for every entry of a long history, and building a schema costs far more
// than checking a value with it.
const TextOrEmpty = z.string().catch('');
const InviteeOrUnknown = ParticipantSchema.catch({ name: '', role: 'peer' });
const TitleOrEmpty = z.string().max(200).catch('');
const StateOrActive = SeriesState.catch('active');
const PurposeOrNone = Purpose.nullable().default(null);
const StateOrOpen = AgendaState.default('open');
const MeetingRef = z.string().nullable().default(null);
const TargetRef = z.string().max(64).nullable().catch(null);
const Count = z.number().int().min(0).catch(0);
const IsoDate = z.string().refine((v) => v.length <= 40 && !Number.isNaN(Date.parse(v)), 'is not a date');
const SlotOrNone = IsoDate.nullable().catch(null);
const OriginOrCadence = MeetingOrigin.catch('cadence');
/** A key fractional-indexing can place items around; anything else would make every later add fail. */
export const OrderKey = z.string().refine((key) => {
  try {
    generateKeyBetween(key, null);
    return true;
  } catch {
    return false;
  }
}, 'is not an order key');

/** Whether the document holds a series (its meta has arrived). */
export function hasMeta(doc: Y.Doc): boolean {
  return metaMap(doc).has('kind');
}

function damaged(what: string): TandemError {
  return new TandemError('invalid-input', `This 1:1 has damaged details (${what}); the other person's copy may hold the right ones.`);
}

export function readMeta(doc: Y.Doc): SeriesMeta {
  const meta = metaMap(doc);
  const kind = SeriesKind.safeParse(meta.get('kind'));
  if (!kind.success) throw damaged('its kind');
  const participants: Record<string, Participant> = {};
  const stored = meta.get('participants');
  if (stored instanceof Y.Map) {
    stored.forEach((value, id) => {
      const p = ParticipantSchema.safeParse(value);
      if (p.success) participants[id] = p.data;
    });
  }
  return {
    kind: kind.data,
    cadence: readCadence(meta.get('cadence'), () => firstMeetingDate(doc)),
    title: TitleOrEmpty.parse(meta.get('title')),
    state: StateOrActive.parse(meta.get('state')),
    createdAt: TextOrEmpty.parse(meta.get('createdAt')),
    createdBy: TextOrEmpty.parse(meta.get('createdBy')),
    invitee: InviteeOrUnknown.parse(meta.get('invitee')),
    participants,
  };
}

/** When the series first met, which an old cadence without a day and time is read from. */
function firstMeetingDate(doc: Y.Doc): Date {
  let first = Date.parse(TextOrEmpty.parse(metaMap(doc).get('createdAt')));
  meetingsMap(doc).forEach((m) => {
    const at = m instanceof Y.Map ? Date.parse(TextOrEmpty.parse(m.get('scheduledFor'))) : NaN;
    if (!Number.isNaN(at) && !(at >= first)) first = at;
  });
  return Number.isNaN(first) ? new Date(0) : new Date(first);
}

/** How the relationship looks from one participant's side: who the other person is, and my role. */
export function perspective(meta: SeriesMeta, userId: string): { partnerName: string; myRole: Role } {
  const me = meta.participants[userId];
  const others = Object.entries(meta.participants).filter(([id]) => id !== userId);
  const partner = others[0]?.[1] ?? (userId === meta.createdBy ? meta.invitee : undefined);
  return {
    partnerName: partner?.name ?? meta.invitee.name,
    myRole: me?.role ?? meta.invitee.role,
  };
}

export function readMeeting(id: string, m: unknown): Meeting | Skipped {
  if (!(m instanceof Y.Map)) return { id, reason: 'meeting is not a map' };
  const scheduledFor = IsoDate.safeParse(m.get('scheduledFor'));
  if (!scheduledFor.success) return { id, reason: 'meeting date is not a date' };
  const status = MeetingStatus.safeParse(m.get('status'));
  if (!status.success) return { id, reason: 'meeting status is unknown' };
  const slot = SlotOrNone.parse(m.get('slot') ?? null);
  return {
    id,
    scheduledFor: new Date(scheduledFor.data).toISOString(),
    status: status.data,
    // Meetings from before origins were recorded were all planned from the cadence.
    origin: OriginOrCadence.parse(m.get('origin')),
    slot: slot === null ? null : new Date(slot).toISOString(),
  };
}

const isSkipped = (v: object): v is Skipped => 'reason' in v;

export function readMeetings(doc: Y.Doc): { meetings: Meeting[]; skipped: Skipped[] } {
  const meetings: Meeting[] = [];
  const skipped: Skipped[] = [];
  meetingsMap(doc).forEach((m, id) => {
    const read = readMeeting(id, m);
    if (isSkipped(read)) skipped.push(read);
    else meetings.push(read);
  });
  meetings.sort((a, b) => a.scheduledFor.localeCompare(b.scheduledFor) || a.id.localeCompare(b.id));
  return { meetings, skipped };
}

export const listMeetings = (doc: Y.Doc): Meeting[] => readMeetings(doc).meetings;

/** The earliest meeting still scheduled: the one the agenda is being built for. */
export function nextMeeting(doc: Y.Doc): Meeting | null {
  return listMeetings(doc).find((m) => m.status === 'scheduled') ?? null;
}

/** Every readable move and cancellation, oldest first; what does not fit is skipped. */
export function readMeetingChanges(doc: Y.Doc): MeetingChange[] {
  const changes: MeetingChange[] = [];
  meetingChangesMap(doc).forEach((value, id) => {
    const change = MeetingChange.safeParse(value);
    if (change.success) changes.push({ ...change.data, id });
  });
  return changes.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
}

/** The shared notes of a meeting, the fragment a Tiptap Collaboration editor binds to. */
export function meetingNotes(doc: Y.Doc, meetingId: string): Y.XmlFragment {
  const meeting = meetingsMap(doc).get(meetingId);
  const notes = meeting instanceof Y.Map ? meeting.get('notes') : undefined;
  if (!(notes instanceof Y.XmlFragment)) throw damaged('the meeting notes');
  return notes;
}

const optionalText = (v: unknown): string | null => (v === undefined ? '' : v instanceof Y.Text ? v.toString() : null);

export function readItem(id: string, m: unknown): AgendaItem | Skipped {
  if (!(m instanceof Y.Map)) return { id, reason: 'item is not a map' };
  const title = m.get('title');
  if (!(title instanceof Y.Text)) return { id, reason: 'title is not text' };
  const context = optionalText(m.get('context'));
  if (context === null) return { id, reason: 'context is not text' };
  const purpose = PurposeOrNone.safeParse(m.get('purpose'));
  if (!purpose.success) return { id, reason: 'purpose is unknown' };
  const state = StateOrOpen.safeParse(m.get('state'));
  if (!state.success) return { id, reason: 'state is unknown' };
  const order = OrderKey.safeParse(m.get('order'));
  if (!order.success) return { id, reason: 'order key is invalid' };
  const meetingId = MeetingRef.safeParse(m.get('meetingId'));
  if (!meetingId.success) return { id, reason: 'meeting is not an id' };
  const closedIn = closedInCarriedMeeting(m);
  const carriedCount = Count.parse(m.get('carriedCount'));
  return {
    id,
    title: title.toString(),
    context,
    purpose: purpose.data,
    async: m.get('async') === true,
    authorId: TextOrEmpty.parse(m.get('authorId')),
    createdAt: TextOrEmpty.parse(m.get('createdAt')),
    meetingId: closedIn ?? meetingId.data,
    targetMeetingId: TargetRef.parse(m.get('targetMeetingId') ?? null),
    state: closedIn ? (m.get('settledAt') ? 'settled' : 'discussed') : state.data,
    order: order.data,
    carriedCount: closedIn ? Math.max(0, carriedCount - 1) : carriedCount,
  };
}

/**
 * The merge rule for an item closed (discussed or settled) in a meeting by one person while the
 * other, not yet seeing it, ended that meeting and carried the item on: the item was dealt with, so
 * it stays closed in that meeting and the carry does not count. Both writes leave their own keys
 * (`closedIn`, `carriedFrom`) whichever of them wins `state` and `meetingId`, so every copy reads
 * the same. Returns that meeting, or null when the rule does not apply.
 */
function closedInCarriedMeeting(m: Y.Map<unknown>): string | null {
  const closedIn = m.get('closedIn');
  return typeof closedIn === 'string' && closedIn === m.get('carriedFrom') ? closedIn : null;
}

/** The meeting an item is pinned to, read from raw values (see `closedInCarriedMeeting`). */
function pinnedMeeting(m: Y.Map<unknown>): unknown {
  return closedInCarriedMeeting(m) ?? m.get('meetingId') ?? null;
}

/** Ties in order keys (two people adding at the same spot at once) are broken by id, the same everywhere. */
export const byOrder = (a: AgendaItem, b: AgendaItem) =>
  a.order < b.order ? -1 : a.order > b.order ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** Every readable agenda item of the series in agenda order, and what was skipped. */
export function readAgenda(doc: Y.Doc): { items: AgendaItem[]; skipped: Skipped[] } {
  const items: AgendaItem[] = [];
  const skipped: Skipped[] = [];
  agendaMap(doc).forEach((m, id) => {
    const read = readItem(id, m);
    if (isSkipped(read)) skipped.push(read);
    else items.push(read);
  });
  return { items: items.sort(byOrder), skipped };
}

export const listAgenda = (doc: Y.Doc): AgendaItem[] => readAgenda(doc).items;

/** Scheduled meetings after the next one: those an item can wait for. */
export function laterMeetingIds(doc: Y.Doc): Set<string> {
  const scheduled = listMeetings(doc).filter((m) => m.status === 'scheduled');
  return new Set(scheduled.slice(1).map((m) => m.id));
}

/**
 * The agenda of one meeting (null: the next one), in order: items pinned to it, and items waiting
 * for it while it is still a later meeting (once it is the next one they are simply the next
 * meeting's; if it is skipped or gone they join the next meeting rather than vanish). Entries of
 * other meetings are passed over on their raw meeting id, before the full read: a long history
 * must not cost every edit of the next meeting's agenda a check of every item ever written.
 */
export function agendaFor(doc: Y.Doc, meetingId: string | null): AgendaItem[] {
  const items: AgendaItem[] = [];
  let later: Set<string> | undefined;
  agendaMap(doc).forEach((m, id) => {
    if (!(m instanceof Y.Map)) return;
    const pinned = pinnedMeeting(m);
    if (pinned !== null && pinned !== meetingId) return;
    if (pinned === null) {
      const target = m.get('targetMeetingId');
      const waiting = typeof target === 'string' && (later ??= laterMeetingIds(doc)).has(target) ? target : null;
      if (waiting !== meetingId) return;
    }
    const read = readItem(id, m);
    if (!isSkipped(read)) items.push(read);
  });
  return items.sort(byOrder);
}

/**
 * The agenda being built and walked: items for the next meeting, including those already
 * discussed in it, without those settled in writing. The order moves and the UI work on.
 */
export function liveAgenda(doc: Y.Doc): AgendaItem[] {
  const next = nextMeeting(doc);
  return [...agendaFor(doc, null), ...(next ? agendaFor(doc, next.id) : [])].filter((i) => i.state !== 'settled').sort(byOrder);
}

/** Items waiting for a meeting after the next one, soonest meeting first. */
export function waitingItems(doc: Y.Doc): AgendaItem[] {
  const later = laterMeetingIds(doc);
  return [...later].flatMap((id) => agendaFor(doc, id).filter((i) => i.meetingId === null));
}

/** Still waiting to be discussed: open, or carried over from a meeting that did not reach it (not settled async). */
export function isOpenItem(item: Pick<AgendaItem, 'state'>): boolean {
  return item.state === 'open' || item.state === 'carried';
}

/**
 * Whether to point out to `userId` that their own item has no context yet: before the meeting,
 * so it is spent discussing rather than briefing. Only the author is told; the other person
 * cannot add someone else's background.
 */
export function needsContext(item: AgendaItem, userId: string): boolean {
  return item.authorId === userId && isOpenItem(item) && item.context.trim() === '';
}

/** The live text of an item's title or context, which editors bind to. */
export function itemText(doc: Y.Doc, id: string, field: 'title' | 'context'): Y.Text {
  const m = agendaMap(doc).get(id);
  const t = m instanceof Y.Map ? m.get(field) : undefined;
  if (!(t instanceof Y.Text)) throw new TandemError('not-found', `agenda item ${id} has no ${field}`);
  return t;
}
