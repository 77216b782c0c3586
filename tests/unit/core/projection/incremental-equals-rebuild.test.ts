/**
 * Property: whatever happens to the 1:1s — agenda edits made in the core and edits arriving from a
 * peer's replica (concurrent with the core's, malformed ones included), old years moving into
 * archive documents and edits made there, projected as they come in any batching — the
 * incrementally maintained tables equal a full rebuild into a fresh database.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { join } from 'node:path';
import { Projector, storedDocuments } from '../../../../src/core/projection/projector.js';
import { openStore } from '../../../../src/core/store/database.js';
import type { TandemCore } from '../../../../src/core/tandem-core.js';
import {
  addAgendaItem,
  addMeeting,
  editItemText,
  moveAgendaItem,
  removeAgendaItem,
  setItemPurpose,
  setItemState,
  type CommandContext,
} from '../../../../src/shared/domain/commands.js';
import { archiveDocId, readArchived } from '../../../../src/shared/domain/archive.js';
import { writeCheckIn } from '../../../../src/shared/domain/meetings.js';
import { ensurePrivateNotes, privateDocId } from '../../../../src/shared/domain/private-notes.js';
import {
  actionsMap,
  agendaMap,
  listAgenda,
  listMeetings,
  meetingNotes,
  meetingsMap,
  metaMap,
} from '../../../../src/shared/domain/series-doc.js';
import { writeParagraph } from '../../helpers/notes.js';
import { AgendaState, Purpose } from '../../../../src/shared/schemas.js';
import { openCore, tempDir } from '../../helpers/core.js';
import { projectedRows } from './fixture.js';

type Who = 'core' | 'peer';
type Op =
  | { kind: 'add'; who: Who; series: number; title: string; toMeeting: boolean }
  | { kind: 'move'; who: Who; series: number; pick: number; to: number }
  | { kind: 'state'; who: Who; series: number; pick: number; state: AgendaState }
  | { kind: 'purpose'; who: Who; series: number; pick: number; purpose: Purpose }
  | { kind: 'title'; who: Who; series: number; pick: number; title: string }
  | { kind: 'remove'; who: Who; series: number; pick: number }
  | { kind: 'meeting'; who: Who; series: number; day: number; held: boolean }
  | { kind: 'action'; who: Who; series: number; pick: number; done: boolean }
  | { kind: 'notes'; who: Who; series: number; pick: number; text: string; clear: boolean }
  | { kind: 'check-in'; who: Who; series: number; pick: number; text: string }
  | { kind: 'private'; series: number; pick: number; text: string }
  | { kind: 'archive'; who: Who; series: number; years: number }
  | { kind: 'archived-notes'; series: number; pick: number; text: string }
  | { kind: 'malformed'; series: number; pick: number; what: 'not-a-map' | 'purpose' | 'order' | 'date' | 'meta' }
  | { kind: 'reuse-id'; series: number; pick: number }
  | { kind: 'sync'; series: number }
  | { kind: 'flush' };

const SERIES = 2;
const who = fc.constantFrom<Who>('core', 'peer');
const series = fc.nat(SERIES - 1);
const pick = fc.nat(20);
const words = fc.constantFrom('roadmap', 'budget review', 'café résumé', '', 'hiring plan');
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('add'), who, series, title: fc.string({ maxLength: 8 }), toMeeting: fc.boolean() }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('move'), who, series, pick, to: fc.nat(20) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('state'), who, series, pick, state: fc.constantFrom(...AgendaState.options) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('purpose'), who, series, pick, purpose: fc.constantFrom(...Purpose.options) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('title'), who, series, pick, title: fc.string({ maxLength: 8 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove'), who, series, pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('meeting'), who, series, day: fc.nat(60), held: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('action'), who, series, pick, done: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('notes'), who, series, pick, text: words, clear: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('check-in'), who, series, pick, text: words }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('private'), series, pick, text: words }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('archive'), who, series, years: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('archived-notes'), series, pick, text: words }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('malformed'),
      series,
      pick,
      what: fc.constantFrom('not-a-map' as const, 'purpose' as const, 'order' as const, 'date' as const, 'meta' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reuse-id'), series, pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sync'), series }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'flush' as const }) },
);

const nth = <T>(items: T[], n: number): T | undefined => (items.length ? items[n % items.length] : undefined);

/** Runs a domain command that a peer's malformed entry can make refuse; the projection must cope either way. */
function refusable(command: () => void): void {
  try {
    command();
  } catch {
    // Skipped, as the UI would report it and move on.
  }
}

const entry = (map: Y.Map<unknown>, id: string) => map.get(id) as Y.Map<unknown>;

/** Applies one operation to a replica, as the UI or a peer would. */
function apply(doc: Y.Doc, o: Op & { who: Who }): void {
  const ctx: CommandContext = { now: new Date(), userId: o.who };
  const items = listAgenda(doc);
  const item = 'pick' in o ? nth(items, o.pick) : undefined;
  refusable(() => {
    switch (o.kind) {
      case 'add':
        addAgendaItem(doc, { title: o.title, meetingId: o.toMeeting ? (nth(listMeetings(doc), 0)?.id ?? null) : null }, ctx);
        break;
      case 'move':
        if (item) moveAgendaItem(doc, { itemId: item.id, toIndex: o.to }, ctx);
        break;
      case 'state':
        if (item) setItemState(doc, { itemId: item.id, state: o.state }, ctx);
        break;
      case 'purpose':
        if (item) setItemPurpose(doc, { itemId: item.id, purpose: o.purpose }, ctx);
        break;
      case 'title':
        if (item) editItemText(doc, { itemId: item.id, field: 'title', value: o.title }, ctx);
        break;
      case 'remove': {
        // Over every key, so that non-map entries a peer wrote can go too.
        const key = nth([...agendaMap(doc).keys()].sort(), o.pick);
        if (key) removeAgendaItem(doc, { itemId: key }, ctx);
        break;
      }
      case 'meeting': {
        const id = addMeeting(doc, { scheduledFor: new Date(Date.UTC(2030, 0, 1 + o.day, 10)).toISOString() }, ctx);
        if (o.held) entry(meetingsMap(doc), id).set('status', 'held');
        break;
      }
      case 'notes': {
        const meeting = nth(listMeetings(doc), o.pick);
        if (!meeting) break;
        const notes = meetingNotes(doc, meeting.id);
        doc.transact(() => {
          if (o.clear) notes.delete(0, notes.length);
          writeParagraph(notes, o.text);
        });
        break;
      }
      case 'check-in': {
        const meeting = nth(listMeetings(doc), o.pick);
        if (meeting) writeCheckIn(doc, { meetingId: meeting.id, value: o.text }, ctx);
        break;
      }
      case 'archive': {
        // Everything before a meeting held in a later year: the core moves those years into archives.
        const year = 2030 + o.years;
        doc.transact(() => {
          for (const m of listMeetings(doc))
            if (new Date(m.scheduledFor).getUTCFullYear() < year) entry(meetingsMap(doc), m.id).set('status', 'held');
        });
        const id = addMeeting(doc, { scheduledFor: new Date(Date.UTC(year, 5, 1, 10)).toISOString() }, ctx);
        entry(meetingsMap(doc), id).set('status', 'held');
        break;
      }
      case 'action': {
        const existing = nth([...actionsMap(doc).keys()].sort(), o.pick);
        if (existing && o.pick % 2) entry(actionsMap(doc), existing).set('done', o.done);
        else {
          const action = new Y.Map<unknown>();
          doc.transact(() => {
            actionsMap(doc).set(crypto.randomUUID(), action);
            action.set('text', new Y.Text('Send the notes'));
            action.set('ownerId', o.who);
            action.set('done', o.done);
            action.set('meetingId', null);
          });
        }
        break;
      }
    }
  });
}

function malformed(doc: Y.Doc, o: Extract<Op, { kind: 'malformed' }>): void {
  const item = nth(listAgenda(doc), o.pick);
  const meeting = nth(listMeetings(doc), o.pick);
  if (o.what === 'not-a-map') agendaMap(doc).set(`junk-${o.pick}`, 42);
  if (o.what === 'purpose' && item) entry(agendaMap(doc), item.id).set('purpose', { career: true });
  if (o.what === 'order' && item) entry(agendaMap(doc), item.id).set('order', 'zzzz');
  if (o.what === 'date' && meeting) entry(meetingsMap(doc), meeting.id).set('scheduledFor', 'soon');
  if (o.what === 'meta') metaMap(doc).set('kind', o.pick % 2 ? 'peer' : ['boss']);
}

interface World {
  core: TandemCore;
  ids: string[];
  peers: Y.Doc[];
}

/** Sends what the peer has and the core lacks, as a remote update. */
function peerToCore(w: World, s: number): void {
  const id = w.ids[s]!;
  const missing = Y.encodeStateAsUpdate(
    w.peers[s]!,
    w.core.docs.with(id, (d) => Y.encodeStateVector(d)),
  );
  w.core.docs.with(id, (d) => Y.applyUpdate(d, missing, 'peer'));
}

/** Lets the core move what became archivable (it does so once the transaction's observers are done). */
const archivesMoved = () => new Promise((resolve) => setImmediate(resolve));

async function run(w: World, o: Op): Promise<void> {
  if (o.kind === 'flush') {
    await archivesMoved();
    return void (await w.core.projector.flush());
  }
  const id = w.ids[o.series]!;
  const peer = w.peers[o.series]!;
  if (o.kind === 'sync') {
    peerToCore(w, o.series);
    Y.applyUpdate(
      peer,
      w.core.docs.with(id, (d) => Y.encodeStateAsUpdate(d, Y.encodeStateVector(peer))),
    );
  } else if (o.kind === 'malformed') {
    malformed(peer, o);
    peerToCore(w, o.series);
  } else if (o.kind === 'reuse-id') {
    // The peer of one 1:1 writes an item under an id that exists in the other 1:1.
    const other = w.ids[(o.series + 1) % SERIES]!;
    const reused = nth(
      w.core.docs.with(other, (d) => listAgenda(d)),
      o.pick,
    );
    if (reused && !agendaMap(peer).has(reused.id))
      refusable(() => addAgendaItem(peer, { title: 'reused', id: reused.id }, { now: new Date(), userId: 'peer' }));
    peerToCore(w, o.series);
  } else if (o.kind === 'private') {
    const meeting = nth(
      w.core.docs.with(id, (d) => listMeetings(d)),
      o.pick,
    );
    if (!meeting) return;
    const docId = privateDocId(id);
    if (!w.core.docs.exists(docId)) {
      w.core.docs.create(docId, 'private');
      w.core.docs.release(docId);
    }
    w.core.docs.with(docId, (d) =>
      writeParagraph(ensurePrivateNotes(d, { meetingId: meeting.id }, { now: new Date(), userId: 'core' }), o.text),
    );
  } else if (o.kind === 'archived-notes') {
    const moved = nth(
      w.core.docs.with(id, (d) => readArchived(d)),
      o.pick,
    );
    if (!moved) return;
    w.core.docs.with(archiveDocId(id, moved.year), (d) => writeParagraph(meetingNotes(d, moved.id), o.text));
  } else if (o.who === 'core') w.core.docs.with(id, (d) => apply(d, o));
  else {
    // Edits a peer made on its own (possibly stale) replica arrive as one remote update.
    apply(peer, o);
    peerToCore(w, o.series);
  }
}

test('incremental projection equals a full rebuild into a fresh database, after any sequence of local and remote edits', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40, size: 'max' }), async (ops) => {
      const { core, api } = await openCore({ projectionDebounceMs: 1 });
      try {
        const ids: string[] = [];
        for (let s = 0; s < SERIES; s++) ids.push((await api.createSeries({ partnerName: `P${s}`, kind: 'peer' })).id);
        const peers = ids.map((id) => {
          const peer = new Y.Doc();
          Y.applyUpdate(
            peer,
            core.docs.with(id, (d) => Y.encodeStateAsUpdate(d)),
          );
          return peer;
        });
        const world = { core, ids, peers };
        for (const o of ops) await run(world, o);
        await archivesMoved();
        await core.projector.flush();

        const fresh = await openStore(join(tempDir(), 'oracle.db'));
        try {
          const oracle = new Projector(
            fresh.db,
            storedDocuments(core.store.db, core.docs, () => core.currentProfile!.id),
            { debounceMs: 1, onProjected: () => {} },
          );
          await oracle.rebuild();
          expect(projectedRows(core.store.sqlite)).toEqual(projectedRows(fresh.sqlite));
        } finally {
          await fresh.close();
        }
      } finally {
        await core.close();
      }
    }),
    { numRuns: 40 },
  );
}, 180_000);
