/**
 * Archive documents: the held past of a 1:1, one document per calendar year (UTC) of meetings, so
 * the series document stays small however long the history.
 *
 *   series doc  archived  Y.Map  meetingId → { year, scheduledFor, status, slot }: the index of what moved
 *   archive doc meetings, agenda, actions, meetingChanges: the same layout as the series document,
 *               holding the year's meetings and what belongs to them (their agenda items, their
 *               next steps that are done, their moves and cancellations)
 *
 * A year moves once the meeting held last is in a later year and none of its meetings is still to
 * come: the meeting held last (whose next steps the next meeting reviews), the current meeting and
 * every open next step stay in the series document. Both people's Tandems move the same years, into
 * documents whose ids derive from the series id and the year, so doing it at once or offline moves
 * each meeting into the same place.
 *
 * Moving copies, then tombstones, and the copy keeps the Yjs identity of what it copies: the
 * archive receives the very items (same ids, same content) of the moved entries, taken from the
 * series document in the transaction that deletes them there (`extractArchived`, run before Yjs
 * discards deleted content). Two copies of the same meeting are therefore one meeting, merged as
 * Yjs merges any two replicas. An edit the other person made to a meeting before their Tandem learnt
 * it had moved is still in their series document when the deletion arrives: their extraction takes
 * it along into the archive, instead of it vanishing into a deleted type (the loss the move would
 * otherwise cause). Entries that reach the series document for a meeting already moved (a next step
 * written offline in it) are moved by the next pass. A window's keystroke that crosses the move on
 * its way to the core is re-homed by the core (`rehomeLateEdits`), and an item removed by someone who
 * had not yet learnt its meeting moved is removed from the archive too (`watchMoves`).
 *
 * The tombstones stay: each moved entry leaves an item with its key in the series document (about
 * 47 bytes), since a late write to that key has it as its origin and every replica must integrate
 * that write the same way; docs/architecture.md says why no other layout or compaction can drop
 * them without breaking devices that were offline, and what they cost.
 */
import { writeVarUint } from 'lib0/encoding';
import * as Y from 'yjs';
import { z } from 'zod';
import { run, type CommandContext } from './commands.js';
import {
  MeetingStatus,
  actionsMap,
  agendaMap,
  listMeetings,
  meetingChangesMap,
  meetingsMap,
  removedItemsMap,
  type Meeting,
} from './series-doc.js';

export const ARCHIVE_DOC_KIND = 'archive';
const INFIX = '.archive.';
const ARCHIVE_ID = /^(.+)\.archive\.(\d{4})$/;

export const archiveDocId = (seriesId: string, year: number): string => `${seriesId}${INFIX}${year}`;

/** The series and year of an archive document's id, or null when `docId` is not one. */
export function parseArchiveDocId(docId: string): { seriesId: string; year: number } | null {
  const m = ARCHIVE_ID.exec(docId);
  return m ? { seriesId: m[1]!, year: Number(m[2]) } : null;
}

export const archivedMap = (doc: Y.Doc) => doc.getMap<unknown>('archived');

const ArchivedEntry = z.object({
  year: z.number().int().min(1970).max(9999),
  scheduledFor: z.string().max(40),
  status: MeetingStatus,
  // Absent from entries written before the index kept it; one that does not read as a date is as if absent.
  slot: z
    .string()
    .max(40)
    .refine((v) => !Number.isNaN(Date.parse(v)))
    .transform((v) => new Date(v).toISOString())
    .nullable()
    .optional()
    .catch(undefined),
});

/** A moved meeting as the series document still knows it. */
export interface ArchivedMeeting {
  id: string;
  year: number;
  scheduledFor: string;
  status: MeetingStatus;
  /**
   * The cadence date it stood for (null: added outside the cadence), as its meeting keeps it: what
   * places a moved or cancelled meeting in the calendar while its year's archive has not arrived.
   * Undefined for entries written before the index kept it.
   */
  slot?: string | null;
}

/** One entry of the index, or null when it does not fit. */
export function readArchivedEntry(id: string, value: unknown): ArchivedMeeting | null {
  const entry = ArchivedEntry.safeParse(value);
  return entry.success ? { id, ...entry.data } : null;
}

/** The meetings that moved to archive documents, oldest first; entries that do not fit are skipped. */
export function readArchived(doc: Y.Doc): ArchivedMeeting[] {
  const moved: ArchivedMeeting[] = [];
  archivedMap(doc).forEach((value, id) => {
    const entry = readArchivedEntry(id, value);
    if (entry) moved.push(entry);
  });
  return moved.sort((a, b) => a.scheduledFor.localeCompare(b.scheduledFor) || a.id.localeCompare(b.id));
}

/** The years of history in archive documents, newest first. */
export const archivedYears = (doc: Y.Doc): number[] => [...new Set(readArchived(doc).map((m) => m.year))].sort((a, b) => b - a);

const yearOf = (m: Pick<Meeting, 'scheduledFor'>) => new Date(m.scheduledFor).getUTCFullYear();

/** Where archive documents are loaded from: the core's documents, reference-counted. */
export interface ArchiveDocSource {
  exists(docId: string): boolean;
  acquire(docId: string): Y.Doc;
  release(docId: string): void;
}

/**
 * Runs `fn` with the archive documents of a series that are on this device loaded (a year the
 * other person moved may not have arrived yet), releasing them afterwards.
 */
export function withArchiveDocs<T>(docs: ArchiveDocSource, seriesId: string, series: Y.Doc, fn: (archives: Y.Doc[]) => T): T {
  const ids = archivedYears(series)
    .map((year) => archiveDocId(seriesId, year))
    .filter((id) => docs.exists(id));
  const held: string[] = [];
  try {
    const archives = ids.map((id) => {
      const archive = docs.acquire(id);
      held.push(id);
      return archive;
    });
    return fn(archives);
  } finally {
    for (const id of held) docs.release(id);
  }
}

/** Years whose meetings can move: before the year of the meeting held last, with nothing still to come. */
export function archivableYears(meetings: Meeting[]): number[] {
  const held = meetings.filter((m) => m.status === 'held');
  if (held.length === 0) return [];
  const lastHeldYear = yearOf(held[held.length - 1]!);
  const open = new Set(meetings.filter((m) => m.status === 'scheduled').map(yearOf));
  return [...new Set(meetings.map(yearOf))].filter((y) => y < lastHeldYear && !open.has(y)).sort((a, b) => a - b);
}

const ROOTS: [string, (doc: Y.Doc) => Y.Map<unknown>][] = [
  ['meetings', meetingsMap],
  ['agenda', agendaMap],
  ['actions', actionsMap],
  ['meetingChanges', meetingChangesMap],
];

/**
 * Moves the archivable years (and anything left behind for meetings that moved before) out of the
 * series document: records each meeting in the index and deletes its entries, in one transaction.
 * The copy into the archive documents is made from that transaction by whoever holds both
 * (`extractArchived`). Returns the years moved now; running it again moves nothing.
 */
export function archiveOldYears(doc: Y.Doc, _input: Record<string, never>, _ctx: CommandContext): number[] {
  const meetings = listMeetings(doc);
  const years = new Set(archivableYears(meetings));
  const moving = meetings.filter((m) => years.has(yearOf(m)));
  const moved = new Set([...archivedMap(doc).keys(), ...moving.map((m) => m.id)]);
  const doomed: [Y.Map<unknown>, string][] = [];
  for (const [name, map] of ROOTS) {
    map(doc).forEach((value, key) => {
      const owner = ownerOf(name, key, value);
      // Open next steps stay where every later meeting reviews them.
      const openStep = name === 'actions' && value instanceof Y.Map && value.get('done') !== true;
      if (owner !== null && moved.has(owner) && !openStep) doomed.push([map(doc), key]);
    });
  }
  if (doomed.length === 0) return [];
  run(doc, () => {
    for (const m of moving) archivedMap(doc).set(m.id, { year: yearOf(m), scheduledFor: m.scheduledFor, status: m.status, slot: m.slot });
    for (const [map, key] of doomed) map.delete(key);
  });
  return [...years];
}

// ---------------------------------------------------------------------------------------------
// The copy: the deleted entries' own items, taken before Yjs discards deleted content.

/** The value an entry held before it was deleted (reads of deleted types return nothing). */
function rawValue(item: Y.Item): unknown {
  const content = item.content.getContent();
  return content[content.length - 1];
}

function rawGet(map: Y.Map<unknown>, key: string): unknown {
  const item = map._map.get(key);
  return item ? rawValue(item) : undefined;
}

/**
 * The meeting an entry of a top-level map belongs to. Read raw (see rawGet), so it also tells for
 * an entry deleted in the transaction being copied.
 */
function ownerOf(root: string, key: string, value: unknown): string | null {
  if (root === 'meetings') return key;
  const meetingId: unknown = value instanceof Y.Map ? rawGet(value, 'meetingId') : (value as { meetingId?: unknown } | null)?.meetingId;
  return typeof meetingId === 'string' ? meetingId : null;
}

/** Every item of an entry: its map slot (and the values it replaced) and, for a type, everything inside. */
function collect(item: Y.Item, into: Y.Item[]): void {
  for (let i: Y.Item | null = item; i !== null; i = i.left as Y.Item | null) {
    if (!(i instanceof Y.Item)) break;
    into.push(i);
    if (i.content instanceof Y.ContentType) collectType(i.content.type, into);
  }
}

function collectType(type: Y.AbstractType<unknown>, into: Y.Item[]): void {
  for (let i = type._start; i !== null; i = i.right) {
    into.push(i);
    if (i.content instanceof Y.ContentType) collectType(i.content.type, into);
  }
  for (const last of type._map.values()) collect(last, into);
}

type Ranges = Map<number, [number, number][]>;

/**
 * Encodes `items` as one update (v1) with the ids they have: each client's structs from `from`
 * (its first item's clock at most), the clocks between the items taken written as GC (as if
 * collected), and `deleted` as the update's deletions.
 */
function encodeItems(items: Y.Item[], deleted: Ranges, from: (client: number, first: number) => number): Uint8Array {
  const byClient = new Map<number, Y.Item[]>();
  for (const item of items) {
    let list = byClient.get(item.id.client);
    if (!list) byClient.set(item.id.client, (list = []));
    list.push(item);
  }
  const encoder = new Y.UpdateEncoderV1();
  const rest = encoder.restEncoder;
  const clients = [...byClient.keys()].sort((a, b) => b - a);
  writeVarUint(rest, clients.length);
  for (const client of clients) {
    const list = byClient.get(client)!.sort((a, b) => a.id.clock - b.id.clock);
    const start = Math.min(from(client, list[0]!.id.clock), list[0]!.id.clock);
    const structs: (Y.Item | Y.GC)[] = [];
    let clock = start;
    for (const item of list) {
      if (item.id.clock < clock) continue;
      if (item.id.clock > clock) structs.push(new Y.GC(Y.createID(client, clock), item.id.clock - clock));
      structs.push(item);
      clock = item.id.clock + item.length;
    }
    writeVarUint(rest, structs.length);
    encoder.writeClient(client);
    writeVarUint(rest, start);
    for (const s of structs) s.write(encoder, 0);
  }
  const dsClients = [...deleted.keys()].sort((a, b) => b - a);
  writeVarUint(rest, dsClients.length);
  for (const client of dsClients) {
    encoder.resetDsCurVal();
    writeVarUint(rest, client);
    const ranges = deleted.get(client)!;
    writeVarUint(rest, ranges.length);
    for (const [clock, len] of ranges) {
      encoder.writeDsClock(clock);
      encoder.writeDsLen(len);
    }
  }
  return encoder.toUint8Array();
}

function addRange(ranges: Ranges, client: number, clock: number, len: number): void {
  let list = ranges.get(client);
  if (!list) ranges.set(client, (list = []));
  list.push([clock, len]);
}

/**
 * For a transaction on a series document: the entries it deleted that belong to moved meetings,
 * as one update per archive year, to be applied to that year's archive document. Must run in the
 * document's `afterTransaction` event, before Yjs discards the deleted content.
 */
export function extractArchived(doc: Y.Doc, transaction: Y.Transaction): Map<number, Uint8Array> {
  const index = new Map(readArchived(doc).map((m) => [m.id, m.year]));
  const byYear = new Map<number, Y.Item[]>();
  if (index.size === 0) return new Map();
  for (const [name, map] of ROOTS) {
    const root = map(doc);
    const keys = transaction.changed.get(root as never);
    if (!keys) continue;
    for (const key of keys) {
      if (key === null) continue;
      const item = root._map.get(key);
      if (!item || !item.deleted || !Y.isDeleted(transaction.deleteSet, item.id)) continue;
      // Arrived already collected (a replica that moved it long ago sent only its tombstone):
      // nothing to copy, and the empty entry, copied, would delete the real one in the archive.
      if (item.content instanceof Y.ContentDeleted) continue;
      const owner = ownerOf(name, key, rawValue(item));
      const year = owner === null ? undefined : index.get(owner);
      if (year === undefined) continue;
      let items = byYear.get(year);
      if (!items) byYear.set(year, (items = []));
      collect(item, items);
    }
  }
  return new Map(
    [...byYear].map(([year, items]) => {
      // Only the deletions made before this transaction: its own are the tombstone, not edits.
      const deleted: Ranges = new Map();
      for (const i of items)
        if (i.deleted && !Y.isDeleted(transaction.deleteSet, i.id)) addRange(deleted, i.id.client, i.id.clock, i.length);
      return [year, encodeItems(items, deleted, () => 0)];
    }),
  );
}

/**
 * Applies an extraction to its archive document. Should an entry not arrive (the archive already
 * holds the clocks of its items from an earlier copy made before they existed), it is copied as a
 * clone instead: nothing moved is ever left out.
 */
export function applyExtraction(archive: Y.Doc, update: Uint8Array, origin: unknown): void {
  Y.applyUpdate(archive, update, origin);
  const copy = new Y.Doc();
  Y.applyUpdate(copy, update);
  const missing: [Y.Map<unknown>, string, unknown][] = [];
  for (const [, map] of ROOTS) {
    map(copy).forEach((value, key) => {
      if (!map(archive).has(key)) missing.push([map(archive), key, value]);
    });
  }
  if (missing.length === 0) return;
  archive.transact(() => {
    for (const [map, key, value] of missing) map.set(key, value instanceof Y.AbstractType ? value.clone() : value);
  }, origin);
}

/** Runs `fn` on the archive document of a year of the series (loading or creating it as needed). */
export type WithArchive = (year: number, fn: (archive: Y.Doc) => void) => void;

/**
 * Watches a series document for moves (its own, or a peer's arriving) and applies each year's
 * copy to that year's archive (`applyExtraction`). An item recorded as removed (removeAgendaItem)
 * once its meeting had moved here is removed from the archive as well: the other person removed
 * it before they learnt of the move, and their removal is the later word. Returns the unwatch.
 */
export function watchMoves(doc: Y.Doc, withArchive: WithArchive, origin: unknown): () => void {
  // Typed now: a root first asked for as a map inside a transaction that changed it is a new
  // object, and the transaction's changes, listed under the old one, would go unseen.
  for (const [, map] of ROOTS) map(doc);
  archivedMap(doc);
  removedItemsMap(doc);
  const onTransaction = (transaction: Y.Transaction) => {
    if (!transaction.changed.size) return;
    for (const [year, update] of extractArchived(doc, transaction))
      withArchive(year, (archive) => applyExtraction(archive, update, origin));
    const removed = transaction.changed.get(removedItemsMap(doc) as never);
    if (!removed) return;
    const index = new Map(readArchived(doc).map((m) => [m.id, m.year]));
    for (const key of removed) {
      const meetingId = (removedItemsMap(doc).get(key as string) as { meetingId?: unknown } | undefined)?.meetingId;
      const year = typeof meetingId === 'string' ? index.get(meetingId) : undefined;
      if (year === undefined) continue;
      withArchive(year, (archive) => {
        if (agendaMap(archive).has(key as string)) archive.transact(() => agendaMap(archive).delete(key as string), origin);
      });
    }
  };
  doc.on('afterTransaction', onTransaction);
  return () => doc.off('afterTransaction', onTransaction);
}

// ---------------------------------------------------------------------------------------------
// Late edits: what reaches a series document for content already moved out of it.

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/** The struct a document holds at `id`, or null when it has not reached that clock yet. */
function structAt(doc: Y.Doc, id: Y.ID): Y.Item | Y.GC | null {
  if (id.clock >= Y.getState(doc.store, id.client)) return null;
  return Y.getItem(doc.store, id) as Y.Item | Y.GC;
}

/** What an item hangs from: its parent when the update names it, else a neighbour (whose parent it shares). */
const anchorOf = (item: Y.Item): Y.ID | null => (item.parent instanceof Y.ID ? item.parent : (item.origin ?? item.rightOrigin));

const holds = (items: Iterable<Y.Item>, id: Y.ID) => {
  for (const i of items) if (i.id.client === id.client && id.clock >= i.id.clock && id.clock < i.id.clock + i.length) return true;
  return false;
};

/**
 * Re-homes the late edits of a window's update just applied to its core's series document: items
 * Yjs collected on arrival (stored as GC, their content dropped) because what they were typed into
 * had moved to an archive document while the keystroke was on its way. Windows keep replicas that
 * copy nothing (every other edit made before a move reached a core is in that core's series
 * document when the move does, and `extractArchived` takes it along), so this is where such an edit
 * would be lost; and it can be lost nowhere else, since every other replica (the relay's among
 * them) collects it the same way and passes on only the GC. The archive holds the very items the
 * edit was typed into (same ids: the copy keeps them), so the late items are handed to it as they
 * are and integrate there as they would have in the series document: applying them twice, or on
 * two devices, is one edit.
 *
 * A late deletion is made in the archive too. Returns the years written to.
 */
export function rehomeLateEdits(doc: Y.Doc, update: DecodedUpdate, withArchive: WithArchive, origin: unknown): number[] {
  if (archivedMap(doc).size === 0) return [];
  let late = update.structs.filter((s): s is Y.Item => s instanceof Y.Item && structAt(doc, s.id) instanceof Y.GC);
  const lateDeletes: [number, number, number][] = [];
  update.ds.clients.forEach((ranges, client) => {
    for (const { clock, len } of ranges)
      if (structAt(doc, Y.createID(client, clock)) instanceof Y.GC) lateDeletes.push([client, clock, len]);
  });
  if (late.length === 0 && lateDeletes.length === 0) return [];
  const written: number[] = [];
  for (const year of archivedYears(doc)) {
    if (late.length === 0 && lateDeletes.length === 0) break;
    withArchive(year, (archive) => {
      const home = homeIn(archive, late);
      const deleted = deletionsIn(archive, lateDeletes);
      if (home.length === 0 && deleted.size === 0) return;
      late = late.filter((i) => !home.includes(i));
      const inHome: Ranges = new Map();
      for (const i of home) {
        for (const { clock, len } of update.ds.clients.get(i.id.client) ?? []) {
          const from = Math.max(clock, i.id.clock);
          const to = Math.min(clock + len, i.id.clock + i.length);
          if (from < to) addRange(inHome, i.id.client, from, to - from);
        }
      }
      deleted.forEach((ranges, client) => ranges.forEach(([clock, len]) => addRange(inHome, client, clock, len)));
      Y.applyUpdate(
        archive,
        encodeItems(home, inHome, (client) => Y.getState(archive.store, client)),
        origin,
      );
      written.push(year);
    });
  }
  return written;
}

/** The late items that hang from something this archive holds, or from one another. */
function homeIn(archive: Y.Doc, late: Y.Item[]): Y.Item[] {
  const home = new Set<Y.Item>();
  for (let grew = true; grew;) {
    grew = false;
    for (const item of late) {
      const anchor = anchorOf(item);
      if (home.has(item) || !anchor) continue;
      const there = structAt(archive, anchor);
      const fits = there instanceof Y.Item && (!(item.parent instanceof Y.ID) || there.content instanceof Y.ContentType);
      if (fits || holds(home, anchor)) {
        home.add(item);
        grew = true;
      }
    }
  }
  return [...home];
}

/** The late deletions of items this archive holds. */
function deletionsIn(archive: Y.Doc, lateDeletes: [number, number, number][]): Ranges {
  const deleted: Ranges = new Map();
  for (const [client, clock, len] of lateDeletes) {
    for (let c = clock; c < clock + len;) {
      const there = structAt(archive, Y.createID(client, c));
      if (!there) break;
      const end = Math.min(clock + len, there.id.clock + there.length);
      if (there instanceof Y.Item) addRange(deleted, client, c, end - c);
      c = end;
    }
  }
  return deleted;
}
