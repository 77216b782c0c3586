/**
 * The layout of one 1:1 relationship ("series") as a Y.Doc, with typed accessors. Every side
 * (core, renderer replica, tests) reads and writes a series only through these functions, so
 * the layout of ../shared/DESIGN.md §2 lives in exactly one place:
 *
 *   meta      Y.Map  kind, cadence, createdAt, createdBy, invitee {name, role},
 *                    participants: Y.Map id → {name, role}
 *   meetings  Y.Map  id → Y.Map { scheduledFor, status, checkIn: Y.Text, notes: Y.XmlFragment, ... }
 *   agenda    Y.Map  id → Y.Map { title: Y.Text, context: Y.Text, purpose, async, authorId,
 *                    createdAt, meetingId (null = next meeting), state, order, carriedCount }
 *   actions   Y.Map  id → Y.Map { text: Y.Text, ownerId, due, done, doneAt, meetingId }
 */
import * as Y from 'yjs';
import { generateKeyBetween as keyBetween, generateNKeysBetween as keysBetween } from 'fractional-indexing';
import { Role, type AgendaState, type Cadence, type Purpose, type SeriesKind } from '../schemas.js';

export interface Participant {
  name: string;
  role: Role;
}

export interface SeriesMeta {
  kind: SeriesKind;
  cadence: Cadence;
  createdAt: string;
  createdBy: string;
  invitee: Participant;
  participants: Record<string, Participant>;
}

export type MeetingStatus = 'scheduled' | 'held' | 'canceled' | 'moved';

export interface Meeting {
  id: string;
  scheduledFor: string;
  status: MeetingStatus;
}

export interface AgendaItem {
  id: string;
  title: string;
  context: string;
  purpose: Purpose;
  async: boolean;
  authorId: string;
  createdAt: string;
  meetingId: string | null;
  state: AgendaState;
  order: string;
  carriedCount: number;
}

export const metaMap = (doc: Y.Doc) => doc.getMap<unknown>('meta');
export const meetingsMap = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('meetings');
export const agendaMap = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('agenda');
export const actionsMap = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('actions');

export interface NewSeries {
  kind: SeriesKind;
  cadence: Cadence;
  createdAt: string;
  me: { id: string } & Participant;
  partner: Participant;
  firstMeetingAt: string;
}

/** Writes the skeleton of a new series: its meta, the creator, and the first scheduled meeting. */
export function initSeriesDoc(doc: Y.Doc, init: NewSeries): void {
  doc.transact(() => {
    const meta = metaMap(doc);
    meta.set('kind', init.kind);
    meta.set('cadence', init.cadence);
    meta.set('createdAt', init.createdAt);
    meta.set('createdBy', init.me.id);
    meta.set('invitee', { name: init.partner.name, role: init.partner.role });
    const participants = new Y.Map<Participant>();
    participants.set(init.me.id, { name: init.me.name, role: init.me.role });
    meta.set('participants', participants);
    addMeeting(doc, init.firstMeetingAt);
  });
}

/** Whether the document holds a series (its meta has arrived). */
export function hasMeta(doc: Y.Doc): boolean {
  return metaMap(doc).has('kind');
}

/** A participant as stored, or undefined when a peer wrote something else there. */
function asParticipant(value: unknown): Participant | undefined {
  const v = value as Partial<Participant> | null | undefined;
  return typeof v?.name === 'string' && Role.safeParse(v.role).success ? { name: v.name, role: v.role! } : undefined;
}

export function readMeta(doc: Y.Doc): SeriesMeta {
  const meta = metaMap(doc);
  const participants = meta.get('participants');
  return {
    kind: meta.get('kind') as SeriesKind,
    cadence: (meta.get('cadence') as Cadence | undefined) ?? 'weekly',
    createdAt: String(meta.get('createdAt') ?? ''),
    createdBy: String(meta.get('createdBy') ?? ''),
    invitee: asParticipant(meta.get('invitee')) ?? { name: '', role: 'peer' },
    participants: participants instanceof Y.Map ? (participants.toJSON() as Record<string, Participant>) : {},
  };
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

/** Adds (or renames) a participant; used when someone joins a shared series. */
export function setParticipant(doc: Y.Doc, userId: string, participant: Participant): void {
  const participants = metaMap(doc).get('participants');
  if (participants instanceof Y.Map) participants.set(userId, participant);
}

export function addMeeting(doc: Y.Doc, scheduledFor: string): string {
  const id = crypto.randomUUID();
  const meeting = new Y.Map<unknown>();
  doc.transact(() => {
    meetingsMap(doc).set(id, meeting);
    meeting.set('scheduledFor', scheduledFor);
    meeting.set('status', 'scheduled');
    meeting.set('checkIn', new Y.Text());
    meeting.set('notes', new Y.XmlFragment());
  });
  return id;
}

export function listMeetings(doc: Y.Doc): Meeting[] {
  const out: Meeting[] = [];
  meetingsMap(doc).forEach((m, id) => {
    if (!(m instanceof Y.Map)) return;
    out.push({ id, scheduledFor: String(m.get('scheduledFor')), status: m.get('status') as MeetingStatus });
  });
  return out.sort((a, b) => a.scheduledFor.localeCompare(b.scheduledFor) || a.id.localeCompare(b.id));
}

/** The earliest meeting still scheduled: the one the agenda is being built for. */
export function nextMeeting(doc: Y.Doc): Meeting | null {
  return listMeetings(doc).find((m) => m.status === 'scheduled') ?? null;
}

/** The shared notes of a meeting, the fragment a Tiptap Collaboration editor binds to. */
export function meetingNotes(doc: Y.Doc, meetingId: string): Y.XmlFragment {
  const notes = meetingsMap(doc).get(meetingId)?.get('notes');
  if (!(notes instanceof Y.XmlFragment)) throw new Error(`meeting ${meetingId} has no notes`);
  return notes;
}

function readItem(id: string, m: Y.Map<unknown>): AgendaItem {
  return {
    id,
    title: String(m.get('title') ?? ''),
    context: String(m.get('context') ?? ''),
    purpose: (m.get('purpose') as Purpose | undefined) ?? 'status',
    async: m.get('async') === true,
    authorId: String(m.get('authorId') ?? ''),
    createdAt: String(m.get('createdAt') ?? ''),
    meetingId: (m.get('meetingId') as string | null | undefined) ?? null,
    state: (m.get('state') as AgendaState | undefined) ?? 'open',
    order: String(m.get('order') ?? ''),
    carriedCount: Number(m.get('carriedCount') ?? 0),
  };
}

/** Ties in order keys (two people adding at the same spot at once) are broken by id, the same everywhere. */
const byOrder = (a: AgendaItem, b: AgendaItem) => (a.order < b.order ? -1 : a.order > b.order ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Every agenda item of the series, in agenda order. */
export function listAgenda(doc: Y.Doc): AgendaItem[] {
  const out: AgendaItem[] = [];
  agendaMap(doc).forEach((m, id) => {
    if (m instanceof Y.Map) out.push(readItem(id, m));
  });
  return out.sort(byOrder);
}

/** The agenda of one meeting (null: the next one), in order. */
export function agendaFor(doc: Y.Doc, meetingId: string | null): AgendaItem[] {
  return listAgenda(doc).filter((item) => item.meetingId === meetingId);
}

export interface NewAgendaItem {
  title: string;
  context?: string;
  purpose?: Purpose;
  async?: boolean;
  authorId: string;
  meetingId?: string | null;
  createdAt?: string;
}

/** Appends an item to the end of its meeting's agenda and returns its id. */
export function addAgendaItem(doc: Y.Doc, input: NewAgendaItem, id: string = crypto.randomUUID()): string {
  const meetingId = input.meetingId ?? null;
  // One pass for the highest key, not a sorted list: quick-add must stay fast on long histories.
  let lastOrder: string | null = null;
  agendaMap(doc).forEach((m) => {
    const order = m.get('order') as string | undefined;
    if (((m.get('meetingId') as string | null | undefined) ?? null) === meetingId && order && (!lastOrder || order > lastOrder))
      lastOrder = order;
  });
  const item = new Y.Map<unknown>();
  doc.transact(() => {
    agendaMap(doc).set(id, item);
    item.set('title', new Y.Text(input.title));
    item.set('context', new Y.Text(input.context ?? ''));
    item.set('purpose', input.purpose ?? 'status');
    item.set('async', input.async ?? false);
    item.set('authorId', input.authorId);
    item.set('createdAt', input.createdAt ?? new Date().toISOString());
    item.set('meetingId', meetingId);
    item.set('state', 'open');
    item.set('order', keyBetween(lastOrder, null));
    item.set('carriedCount', 0);
  });
  return id;
}

function itemMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  const m = agendaMap(doc).get(id);
  if (!m) throw new Error(`agenda item ${id} does not exist`);
  return m;
}

export function itemText(doc: Y.Doc, id: string, field: 'title' | 'context'): Y.Text {
  const t = itemMap(doc, id).get(field);
  if (!(t instanceof Y.Text)) throw new Error(`agenda item ${id} has no ${field}`);
  return t;
}

/**
 * Moves an item to position `toIndex` among its meeting's agenda. Only the moved item's order key
 * changes, unless its new neighbours share a key (concurrent adds); then that run is re-keyed so
 * the order stays total.
 */
export function moveAgendaItem(doc: Y.Doc, id: string, toIndex: number): void {
  const item = readItem(id, itemMap(doc, id));
  const others = agendaFor(doc, item.meetingId).filter((i) => i.id !== id);
  const index = Math.max(0, Math.min(toIndex, others.length));
  const ordered = [...others.slice(0, index), item, ...others.slice(index)];
  const prev = others[index - 1];
  const next = others[index];
  doc.transact(() => {
    if (!prev || !next || prev.order < next.order) {
      itemMap(doc, id).set('order', keyBetween(prev?.order ?? null, next?.order ?? null));
      return;
    }
    // Re-key the run of equal keys around the gap, keeping the visible order.
    let start = index - 1;
    while (start > 0 && others[start - 1]!.order >= prev.order) start--;
    let end = index;
    while (end < others.length - 1 && others[end + 1]!.order <= next.order) end++;
    const run = ordered.slice(start, end + 2);
    const keys = keysBetween(ordered[start - 1]?.order ?? null, ordered[end + 2]?.order ?? null, run.length);
    run.forEach((r, k) => itemMap(doc, r.id).set('order', keys[k]!));
  });
}

export function setAgendaState(doc: Y.Doc, id: string, state: AgendaState): void {
  itemMap(doc, id).set('state', state);
}

export function removeAgendaItem(doc: Y.Doc, id: string): void {
  agendaMap(doc).delete(id);
}

/**
 * Replaces a Y.Text's content with `value`, touching only the changed middle so that a
 * concurrent edit elsewhere in the same text survives.
 */
export function replaceText(text: Y.Text, value: string): void {
  const old = text.toString();
  if (old === value) return;
  let start = 0;
  while (start < old.length && start < value.length && old[start] === value[start]) start++;
  let endOld = old.length;
  let endNew = value.length;
  while (endOld > start && endNew > start && old[endOld - 1] === value[endNew - 1]) {
    endOld--;
    endNew--;
  }
  const apply = () => {
    if (endOld > start) text.delete(start, endOld - start);
    if (endNew > start) text.insert(start, value.slice(start, endNew));
  };
  if (text.doc) text.doc.transact(apply);
  else apply();
}

export function setAgendaPurpose(doc: Y.Doc, id: string, purpose: Purpose): void {
  itemMap(doc, id).set('purpose', purpose);
}

/** Async items are for reading, not for meeting time (FYIs, updates). */
export function setAgendaAsync(doc: Y.Doc, id: string, async: boolean): void {
  itemMap(doc, id).set('async', async);
}
