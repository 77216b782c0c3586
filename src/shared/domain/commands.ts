/**
 * Every change to a 1:1 document is one of these named commands: `(doc, input, ctx)`, one
 * `doc.transact` each, with the COMMAND origin so an undo manager can track exactly the user's own
 * commands (and never a peer's change). The renderer, the core (quick-add, joining) and the tests
 * all write through them.
 */
import * as Y from 'yjs';
import { generateKeyBetween as keyBetween, generateNKeysBetween as keysBetween } from 'fractional-indexing';
import { TandemError } from '../errors.js';
import type { AgendaState, Cadence, Purpose, SeriesKind } from '../schemas.js';
import { diffText, isNoChange, type TextChange } from './text-change.js';
import {
  OrderKey,
  agendaFor,
  agendaMap,
  liveAgenda,
  meetingsMap,
  metaMap,
  readItem,
  readMeeting,
  readMeta,
  removedItemsMap,
  type AgendaItem,
  type MeetingOrigin,
  type Participant,
} from './series-doc.js';

/** Who acts, and when: commands never read the clock or the profile themselves. */
export interface CommandContext {
  now: Date;
  userId: string;
}

/** The transaction origin of every command. */
export const COMMAND = Symbol('tandem-command');

/** Runs `fn` as one command: one transaction with the COMMAND origin, shared by every command module (nested calls join the outer one). */
export const run = <T>(doc: Y.Doc, fn: () => T): T => {
  let result!: T;
  doc.transact(() => {
    result = fn();
  }, COMMAND);
  return result;
};

export interface CreateSeries {
  kind: SeriesKind;
  cadence: Cadence;
  me: Participant;
  partner: Participant;
  firstMeetingAt: string;
}

/** Writes the skeleton of a new series: its meta, the creator, and the first scheduled meeting. */
export function createSeries(doc: Y.Doc, input: CreateSeries, ctx: CommandContext): void {
  run(doc, () => {
    const meta = metaMap(doc);
    meta.set('kind', input.kind);
    meta.set('cadence', input.cadence);
    meta.set('createdAt', ctx.now.toISOString());
    meta.set('createdBy', ctx.userId);
    meta.set('invitee', { name: input.partner.name, role: input.partner.role });
    const participants = new Y.Map<Participant>();
    participants.set(ctx.userId, { name: input.me.name, role: input.me.role });
    meta.set('participants', participants);
    addMeeting(doc, { scheduledFor: input.firstMeetingAt }, ctx);
  });
}

/** Adds the acting user to a shared series in the role the invite gave them, once. */
export function joinSeries(doc: Y.Doc, input: { name: string }, ctx: CommandContext): void {
  const meta = readMeta(doc);
  if (meta.participants[ctx.userId]) return;
  const participants = metaMap(doc).get('participants');
  if (!(participants instanceof Y.Map)) throw new TandemError('invalid-input', 'This 1:1 has damaged details (its participants).');
  run(doc, () => participants.set(ctx.userId, { name: input.name, role: meta.invitee.role }));
}

export interface AddMeeting {
  scheduledFor: string;
  id?: string;
  /** Default `cadence`, with `scheduledFor` as its slot. */
  origin?: MeetingOrigin;
}

export function addMeeting(doc: Y.Doc, input: AddMeeting, _ctx: CommandContext): string {
  const id = input.id ?? crypto.randomUUID();
  const origin = input.origin ?? 'cadence';
  return run(doc, () => {
    const meeting = new Y.Map<unknown>();
    meetingsMap(doc).set(id, meeting);
    meeting.set('scheduledFor', input.scheduledFor);
    meeting.set('status', 'scheduled');
    meeting.set('origin', origin);
    meeting.set('slot', origin === 'cadence' ? input.scheduledFor : null);
    meeting.set('checkIn', new Y.Text());
    // Notes start as one empty paragraph, the document an editor shows for empty notes: were the
    // fragment empty, the editor would fill in that paragraph itself and write it back after an undo
    // that empties the notes, leaving a blank line at the top once the text is redone.
    const notes = new Y.XmlFragment();
    meeting.set('notes', notes);
    notes.insert(0, [new Y.XmlElement('paragraph')]);
    return id;
  });
}

export interface AddAgendaItem {
  title: string;
  context?: string;
  purpose?: Purpose;
  async?: boolean;
  /** null or absent: the next meeting. */
  meetingId?: string | null;
  id?: string;
}

/**
 * Appends an item to the end of its meeting's agenda and returns its id. In a manager–report 1:1
 * the report owns the agenda: an item the report adds goes after the report's items at the top
 * instead, ahead of the manager's. That is the only place the rule acts: nobody's order is ever
 * re-sorted, so once either person drags an item, their order stands.
 */
export function addAgendaItem(doc: Y.Doc, input: AddAgendaItem, ctx: CommandContext): string {
  const meetingId = input.meetingId ?? null;
  const id = input.id ?? crypto.randomUUID();
  const order = isReport(doc, ctx.userId) ? reportSlot(doc, meetingId) : null;
  // The highest key among this meeting's items, found on raw values in one pass (quick-add must
  // stay fast on long histories); only the winner is then checked, and a peer's unusable key is
  // passed over for the next one.
  const keys: string[] = [];
  agendaMap(doc).forEach((m) => {
    if (!(m instanceof Y.Map) || (m.get('meetingId') ?? null) !== meetingId) return;
    const order = m.get('order');
    if (typeof order === 'string') keys.push(order);
  });
  keys.sort();
  let lastOrder: string | null = null;
  for (let k = keys.length - 1; k >= 0 && lastOrder === null; k--) if (OrderKey.safeParse(keys[k]).success) lastOrder = keys[k]!;
  return run(doc, () => {
    const item = new Y.Map<unknown>();
    agendaMap(doc).set(id, item);
    item.set('title', new Y.Text(input.title));
    item.set('context', new Y.Text(input.context ?? ''));
    if (hasText(input.context ?? '')) stampContext(item, ctx);
    if (input.purpose) item.set('purpose', input.purpose);
    item.set('async', input.async ?? false);
    item.set('authorId', ctx.userId);
    item.set('createdAt', ctx.now.toISOString());
    item.set('meetingId', meetingId);
    item.set('state', 'open');
    item.set('order', order ?? keyBetween(lastOrder, null));
    item.set('carriedCount', 0);
    return id;
  });
}

const participantRole = (doc: Y.Doc, userId: string): unknown => {
  const participants = metaMap(doc).get('participants');
  const p: unknown = participants instanceof Y.Map ? participants.get(userId) : undefined;
  return typeof p === 'object' && p !== null && 'role' in p ? p.role : undefined;
};

/** Whether `userId` is the report of a manager–report 1:1. */
export function isReport(doc: Y.Doc, userId: string): boolean {
  return metaMap(doc).get('kind') === 'manager-report' && participantRole(doc, userId) === 'report';
}

/** The key just after the report's run of items at the top of the agenda, or null to append. */
function reportSlot(doc: Y.Doc, meetingId: string | null): string | null {
  const items = agendaFor(doc, meetingId);
  const firstOther = items.findIndex((i) => participantRole(doc, i.authorId) !== 'report');
  if (firstOther === -1) return null;
  const prev = items[firstOther - 1]?.order ?? null;
  const next = items[firstOther]!.order;
  // Equal keys (two concurrent adds) leave no room between them: append instead.
  return prev === null || prev < next ? keyBetween(prev, next) : null;
}

function itemMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  const m = agendaMap(doc).get(id);
  if (!(m instanceof Y.Map)) throw new TandemError('not-found', `agenda item ${id} does not exist`);
  return m;
}

function readableItem(doc: Y.Doc, id: string): AgendaItem {
  const item = readItem(id, itemMap(doc, id));
  if ('reason' in item) throw new TandemError('invalid-input', `agenda item ${id} cannot be changed: its ${item.reason}`);
  return item;
}

/**
 * Moves an item to position `toIndex` among its meeting's agenda. Only the moved item's order key
 * changes, unless its new neighbours share a key (concurrent adds); then that run is re-keyed so
 * the order stays total.
 */
export function moveAgendaItem(doc: Y.Doc, input: { itemId: string; toIndex: number }, _ctx: CommandContext): void {
  const item = readableItem(doc, input.itemId);
  const others = siblingsOf(doc, item).filter((i) => i.id !== item.id);
  const index = Math.max(0, Math.min(input.toIndex, others.length));
  const ordered = [...others.slice(0, index), item, ...others.slice(index)];
  const prev = others[index - 1];
  const next = others[index];
  run(doc, () => {
    if (!prev || !next || prev.order < next.order) {
      itemMap(doc, item.id).set('order', keyBetween(prev?.order ?? null, next?.order ?? null));
      return;
    }
    // Re-key the run of equal keys around the gap, keeping the visible order.
    let start = index - 1;
    while (start > 0 && others[start - 1]!.order >= prev.order) start--;
    let end = index;
    while (end < others.length - 1 && others[end + 1]!.order <= next.order) end++;
    const runOfEqual = ordered.slice(start, end + 2);
    const keys = keysBetween(ordered[start - 1]?.order ?? null, ordered[end + 2]?.order ?? null, runOfEqual.length);
    runOfEqual.forEach((r, k) => itemMap(doc, r.id).set('order', keys[k]!));
  });
}

/** The agenda an item is shown in: its meeting's, or the later one's it waits for. */
function siblingsOf(doc: Y.Doc, item: AgendaItem): AgendaItem[] {
  const live = liveAgenda(doc);
  if (live.some((i) => i.id === item.id)) return live;
  const own = agendaFor(doc, item.meetingId);
  return own.some((i) => i.id === item.id) || !item.targetMeetingId ? own : agendaFor(doc, item.targetMeetingId);
}

/**
 * Aims an item at a later meeting (null: the next one again). Only a meeting still to come can be
 * aimed at; the item waits outside the next meeting's agenda until that meeting is the next one.
 */
export function targetItem(doc: Y.Doc, input: { itemId: string; meetingId: string | null }, _ctx: CommandContext): void {
  const item = itemMap(doc, input.itemId);
  if (input.meetingId !== null) {
    const meeting = readMeeting(input.meetingId, meetingsMap(doc).get(input.meetingId));
    if ('reason' in meeting || meeting.status !== 'scheduled')
      throw new TandemError('invalid-input', 'Only a meeting still to come can be chosen.');
  }
  run(doc, () => (input.meetingId ? item.set('targetMeetingId', input.meetingId) : item.delete('targetMeetingId')));
}

export function setItemState(doc: Y.Doc, input: { itemId: string; state: AgendaState }, _ctx: CommandContext): void {
  run(doc, () => itemMap(doc, input.itemId).set('state', input.state));
}

/** A purpose, or null to take it away again (no purpose chosen). */
export function setItemPurpose(doc: Y.Doc, input: { itemId: string; purpose: Purpose | null }, _ctx: CommandContext): void {
  run(doc, () => {
    const item = itemMap(doc, input.itemId);
    if (input.purpose) item.set('purpose', input.purpose);
    else item.delete('purpose');
  });
}

/** Async items are for reading, not for meeting time (FYIs, updates). */
export function setItemAsync(doc: Y.Doc, input: { itemId: string; async: boolean }, _ctx: CommandContext): void {
  run(doc, () => itemMap(doc, input.itemId).set('async', input.async));
}

/**
 * An item pinned to a meeting is recorded as removed, in the same transaction: its meeting may be
 * moving to an archive at that moment on the other side (archive.ts), where a deletion alone would
 * look like the move and the item come back in the archive. The record is a root entry, since
 * anything written inside the item is collected with it. Undo (the window's undo manager covers
 * both maps) takes the record back with the removal.
 */
export function removeAgendaItem(doc: Y.Doc, input: { itemId: string }, _ctx: CommandContext): void {
  run(doc, () => {
    const item = agendaMap(doc).get(input.itemId);
    const meetingId = item instanceof Y.Map ? item.get('meetingId') : null;
    if (typeof meetingId === 'string') removedItemsMap(doc).set(input.itemId, { meetingId });
    agendaMap(doc).delete(input.itemId);
  });
}

/**
 * Replaces an item's title or context with `value`, touching only the changed middle so that a
 * concurrent edit elsewhere in the same text survives.
 */
export function editItemText(doc: Y.Doc, input: { itemId: string; field: 'title' | 'context'; value: string }, ctx: CommandContext): void {
  const text = itemField(doc, input.itemId, input.field);
  run(doc, () => writingContext(doc, input, ctx, () => replaceText(text, input.value)));
}

/** Titles longer than this are cut, here and in every editor, so no peer's title overflows the rest. */
export const TITLE_MAX = 500;
export const CONTEXT_MAX = 10_000;

/**
 * One keystroke (or paste, or cut) in an item's title or context, as an editor binding computes it
 * with `diffText`: stored and synced as it is typed. A change that no longer fits the text (a
 * concurrent edit shortened it) is clamped to it; what would pass the field's limit is cut off.
 */
export function changeItemText(doc: Y.Doc, input: { itemId: string; field: 'title' | 'context' } & TextChange, ctx: CommandContext): void {
  const text = itemField(doc, input.itemId, input.field);
  const index = Math.max(0, Math.min(input.index, text.length));
  const remove = Math.max(0, Math.min(input.remove, text.length - index));
  const room = (input.field === 'title' ? TITLE_MAX : CONTEXT_MAX) - (text.length - remove);
  const insert = input.insert.slice(0, Math.max(0, room));
  if (isNoChange({ index, remove, insert })) return;
  run(doc, () =>
    writingContext(doc, input, ctx, () => {
      if (remove > 0) text.delete(index, remove);
      if (insert) text.insert(index, insert);
    }),
  );
}

const hasText = (value: string) => value.trim().length > 0;

/** Marks when and by whom an item's context was begun: what "prepared before the meeting" is judged on. */
function stampContext(item: Y.Map<unknown>, ctx: CommandContext): void {
  item.set('contextAt', ctx.now.toISOString());
  item.set('contextBy', ctx.userId);
}

/**
 * Runs an edit of an item's text; when it is the context and the edit takes it from empty to
 * holding text, stamps it. Context emptied and begun again is stamped again: the stamp dates the
 * context the item holds now.
 */
function writingContext(doc: Y.Doc, input: { itemId: string; field: 'title' | 'context' }, ctx: CommandContext, edit: () => void): void {
  if (input.field !== 'context') return edit();
  const item = itemMap(doc, input.itemId);
  const text = itemField(doc, input.itemId, 'context');
  const before = hasText(text.toString());
  edit();
  if (!before && hasText(text.toString())) stampContext(item, ctx);
}

function itemField(doc: Y.Doc, itemId: string, field: 'title' | 'context'): Y.Text {
  const text = itemMap(doc, itemId).get(field);
  if (!(text instanceof Y.Text)) throw new TandemError('invalid-input', `agenda item ${itemId} has no ${field} text`);
  return text;
}

/** The smallest edit turning `text` into `value`: common prefix and suffix stay untouched. */
export function replaceText(text: Y.Text, value: string): void {
  const change = diffText(text.toString(), value);
  if (change.remove > 0) text.delete(change.index, change.remove);
  if (change.insert) text.insert(change.index, change.insert);
}
