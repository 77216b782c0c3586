import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { TandemError } from '../../../../src/shared/errors.js';
import { DocRegistry } from '../../../../src/node/docstore/doc-registry.js';
import { UpdateLog } from '../../../../src/node/docstore/update-log.js';
import {
  actionsMap,
  agendaMap,
  listAgenda,
  meetingNotes,
  meetingsMap,
  metaMap,
  nextMeeting,
} from '../../../../src/shared/domain/series-doc.js';
import { addAgendaItem, editItemText, moveAgendaItem, removeAgendaItem, setItemState } from '../../../../src/shared/domain/commands.js';
import { openStore, type Store } from '../../../../src/core/store/database.js';
import { tempDir, updateRows } from '../../helpers/core.js';
import { seedSeries } from '../../helpers/series-doc.js';

interface Opened {
  store: Store;
  log: UpdateLog;
  docs: DocRegistry;
}

async function openLog(file: string, compactAfter = 1000): Promise<Opened> {
  const store = await openStore(file);
  const log = new UpdateLog(store.sqlite, file);
  const docs = new DocRegistry(log, { compactAfter, idleUnloadMs: 60_000, onUpdate: () => {} });
  return { store, log, docs };
}

const seed = (doc: Y.Doc) => seedSeries(doc, 'peer');

/** Everything observable about a series document, for comparing a reopened doc with the live one. */
function observable(doc: Y.Doc) {
  return {
    stateVector: Y.encodeStateVector(doc),
    meta: metaMap(doc).toJSON(),
    meetings: meetingsMap(doc).toJSON(),
    agenda: agendaMap(doc).toJSON(),
    actions: actionsMap(doc).toJSON(),
    list: listAgenda(doc),
  };
}

const DOC = 'series-1';

describe('UpdateLog', () => {
  test('appended updates are loaded back after the database is reopened', async () => {
    const file = join(tempDir(), 'tandem.db');
    const first = await openLog(file);
    first.log.create(DOC, 'series');
    const doc = new Y.Doc();
    let seq = 0;
    doc.on('update', (u: Uint8Array) => first.log.append(DOC, ++seq, u));
    seed(doc);
    addAgendaItem(doc, { title: 'one' }, { now: new Date(), userId: 'me' });
    first.store.sqlite.close();

    const second = await openLog(file);
    const loaded = second.log.load(DOC);
    expect(loaded.seq).toBe(2);
    expect(loaded.pending).toBe(2);
    expect(observable(loaded.doc)).toEqual(observable(doc));
    await second.store.close();
  });

  test('compaction writes one snapshot, deletes the rows it covers and keeps later ones', async () => {
    const file = join(tempDir(), 'tandem.db');
    const { store, log } = await openLog(file);
    log.create(DOC, 'series');
    const doc = new Y.Doc();
    let seq = 0;
    doc.on('update', (u: Uint8Array) => log.append(DOC, ++seq, u));
    seed(doc);
    addAgendaItem(doc, { title: 'one' }, { now: new Date(), userId: 'me' });
    // The document as it was at row 2, while rows 3 and 4 are already on disk.
    const atTwo = new Y.Doc();
    Y.applyUpdate(atTwo, Y.encodeStateAsUpdate(doc));
    addAgendaItem(doc, { title: 'two' }, { now: new Date(), userId: 'me' });
    addAgendaItem(doc, { title: 'three' }, { now: new Date(), userId: 'me' });
    expect(updateRows(file, DOC).map((r) => r.seq)).toEqual([1, 2, 3, 4]);

    log.compact(DOC, atTwo, 2);
    expect(updateRows(file, DOC).map((r) => r.seq)).toEqual([3, 4]);
    expect(store.sqlite.prepare('select snapshot_seq from docs where doc_id = ?').get(DOC)).toEqual({ snapshot_seq: 2 });
    const loaded = log.load(DOC);
    expect(loaded).toMatchObject({ seq: 4, pending: 2 });
    expect(observable(loaded.doc)).toEqual(observable(doc));
    expect(listAgenda(loaded.doc).map((i) => i.title)).toEqual(['one', 'two', 'three']);

    log.compact(DOC, doc, 4);
    expect(updateRows(file, DOC)).toEqual([]);
    expect(observable(log.load(DOC).doc)).toEqual(observable(doc));
    await store.close();
  });

  test('knows which documents exist, records their kind and when each last changed, and writes each row once', async () => {
    const file = join(tempDir(), 'tandem.db');
    const { store, log } = await openLog(file);
    const row = () =>
      store.sqlite.prepare('select kind, updated_at from docs where doc_id = ?').get(DOC) as { kind: string; updated_at: string };
    expect(log.exists(DOC)).toBe(false);
    const before = new Date().toISOString();
    log.create(DOC, 'series');
    expect(log.exists(DOC)).toBe(true);
    expect(row().kind).toBe('series');
    expect(row().updated_at >= before).toBe(true);
    const created = row().updated_at;
    await expect.poll(() => new Date().toISOString() > created, { interval: 1 }).toBe(true);
    log.append(DOC, 1, Y.encodeStateAsUpdate(seed(new Y.Doc())));
    expect(row().updated_at > created).toBe(true);
    expect(() => log.append(DOC, 1, new Uint8Array([0, 0]))).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => log.create(DOC, 'series')).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(updateRows(file, DOC)).toHaveLength(1);
    await store.close();
  });

  test('a damaged snapshot stops the load naming the snapshot, the file and what to do', async () => {
    const file = join(tempDir(), 'tandem.db');
    const { store, log } = await openLog(file);
    log.create(DOC, 'series');
    store.sqlite.prepare('update docs set snapshot = ?, snapshot_seq = 1 where doc_id = ?').run(Buffer.from([255, 9, 9]), DOC);
    expect(() => log.load(DOC)).toThrow(
      expect.objectContaining({
        code: 'storage',
        message: expect.stringMatching(
          new RegExp(
            `^Tandem could not read the snapshot of document ${DOC} in ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(.+\\)\\. ` +
              'Nothing was changed on disk; restore the file from a backup, or move it aside to start afresh\\.$',
          ),
        ),
      }),
    );
    await store.close();
  });

  test('loading a document that does not exist is not-found', async () => {
    const { store, log } = await openLog(join(tempDir(), 'tandem.db'));
    expect(() => log.load('nope')).toThrow(expect.objectContaining({ code: 'not-found' }));
    await store.close();
  });

  test('an undecodable row stops the load with the file and the row, and writes nothing', async () => {
    const file = join(tempDir(), 'tandem.db');
    const { store, log } = await openLog(file);
    log.create(DOC, 'series');
    const doc = new Y.Doc();
    doc.on('update', (u: Uint8Array) => log.append(DOC, 1, u));
    seed(doc);
    log.append(DOC, 2, new Uint8Array([255, 9, 9, 9]));
    const before = updateRows(file, DOC);

    let error: unknown;
    try {
      log.load(DOC);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TandemError);
    expect((error as TandemError).message).toContain(file);
    expect((error as TandemError).message).toContain('update #2');
    expect(updateRows(file, DOC)).toEqual(before);
    await store.close();
  });
});

describe('DocRegistry', () => {
  test('compacts once the log reaches compactAfter rows, right after the current task', async () => {
    const file = join(tempDir(), 'tandem.db');
    const { store, docs } = await openLog(file, 3);
    const doc = docs.create(DOC, 'series');
    seed(doc);
    addAgendaItem(doc, { title: 'a' }, { now: new Date(), userId: 'me' });
    await new Promise((r) => setImmediate(r));
    expect(updateRows(file, DOC)).toHaveLength(2);
    addAgendaItem(doc, { title: 'b' }, { now: new Date(), userId: 'me' });
    expect(updateRows(file, DOC)).toHaveLength(3);
    await new Promise((r) => setImmediate(r));
    expect(updateRows(file, DOC)).toEqual([]);
    docs.closeAll();
    await store.close();
  });

  test('a document stays loaded while anyone holds it, and unloads (compacted) once the last hold has been idle', async () => {
    const file = join(tempDir(), 'tandem.db');
    const store = await openStore(file);
    const log = new UpdateLog(store.sqlite, file);
    const docs = new DocRegistry(log, { compactAfter: 1000, idleUnloadMs: 20, onUpdate: () => {} });
    const doc = docs.create(DOC, 'series');
    seed(doc);
    expect(docs.acquire(DOC)).toBe(doc);
    docs.release(DOC);
    docs.release(DOC);
    // Released more often than acquired: the next hold still counts.
    docs.release(DOC);
    docs.release('never-loaded');
    expect(docs.acquire(DOC)).toBe(doc);
    // Past the idle time, nothing unloads what is held.
    await new Promise((r) => setTimeout(r, 60));
    expect(docs.isLoaded(DOC)).toBe(true);
    expect(docs.with(DOC, (d) => d)).toBe(doc);
    await new Promise((r) => setTimeout(r, 60));
    expect(docs.isLoaded(DOC)).toBe(true);
    docs.release(DOC);
    await expect.poll(() => docs.isLoaded(DOC), { timeout: 5000, interval: 5 }).toBe(false);
    expect(updateRows(file, DOC)).toEqual([]);
    expect(doc.isDestroyed).toBe(true);
    const again = docs.acquire(DOC);
    expect(again).not.toBe(doc);
    expect(nextMeeting(again)).toEqual(nextMeeting(doc));
    docs.closeAll();
    await store.close();
  });

  test('a change that cannot be stored is a storage error; the document is dropped and reloads without it', async () => {
    const file = join(tempDir(), 'tandem.db');
    const { store, docs } = await openLog(file);
    const doc = docs.create(DOC, 'series');
    seed(doc);
    store.sqlite.exec(`create trigger refuse before insert on doc_updates begin select raise(abort, 'disk full'); end`);
    expect(() => addAgendaItem(doc, { title: 'lost' }, { now: new Date(), userId: 'me' })).toThrow(
      expect.objectContaining({ code: 'storage', message: 'Tandem could not save a change: disk full' }),
    );
    expect(docs.isLoaded(DOC)).toBe(false);
    store.sqlite.exec('drop trigger refuse');
    const reloaded = docs.acquire(DOC);
    expect(listAgenda(reloaded)).toEqual([]);
    addAgendaItem(reloaded, { title: 'kept' }, { now: new Date(), userId: 'me' });
    expect(updateRows(file, DOC).map((r) => r.seq)).toEqual([1, 2]);
    docs.closeAll();
    await store.close();
  });

  test('hands each update on only after storing it', async () => {
    const file = join(tempDir(), 'tandem.db');
    const store = await openStore(file);
    const log = new UpdateLog(store.sqlite, file);
    const storedWhenTold: number[] = [];
    const docs = new DocRegistry(log, {
      compactAfter: 1000,
      idleUnloadMs: 60_000,
      onUpdate: (docId) => storedWhenTold.push(updateRows(file, docId).length),
    });
    seed(docs.create(DOC, 'series'));
    expect(storedWhenTold).toEqual([1]);
    docs.closeAll();
    await store.close();
  });

  test('closeAll compacts and unloads every document', async () => {
    const file = join(tempDir(), 'tandem.db');
    const { store, docs } = await openLog(file);
    seed(docs.create(DOC, 'series'));
    docs.closeAll();
    expect(docs.isLoaded(DOC)).toBe(false);
    expect(updateRows(file, DOC)).toEqual([]);
    await store.close();
  });
});

type Edit =
  | { t: 'add'; title: string }
  | { t: 'rename'; pick: number; title: string }
  | { t: 'move'; pick: number; to: number }
  | { t: 'state'; pick: number; state: 'open' | 'discussed' | 'carried' | 'dropped' }
  | { t: 'remove'; pick: number }
  | { t: 'paragraph'; at: number; text: string }
  | { t: 'type'; at: number; text: string }
  | { t: 'checkIn'; at: number; text: string; del: number };

type Op =
  | { t: 'edit'; edit: Edit }
  /** Lets the registry's scheduled compaction run. */
  | { t: 'tick' }
  /** Compacts through UpdateLog directly, up to the last row on disk. */
  | { t: 'compact' }
  /** Orderly shutdown: closeAll (compacts) and close the database. */
  | { t: 'restart' }
  /** The process dies now: whatever is committed to the file is all there is. */
  | { t: 'crash' };

const text = fc.string({ maxLength: 8 });
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ t: fc.constant('add' as const), title: text }),
  fc.record({ t: fc.constant('rename' as const), pick: fc.nat(), title: text }),
  fc.record({ t: fc.constant('move' as const), pick: fc.nat(), to: fc.nat(20) }),
  fc.record({
    t: fc.constant('state' as const),
    pick: fc.nat(),
    state: fc.constantFrom('open' as const, 'discussed' as const, 'carried' as const, 'dropped' as const),
  }),
  fc.record({ t: fc.constant('remove' as const), pick: fc.nat() }),
  fc.record({ t: fc.constant('paragraph' as const), at: fc.nat(), text }),
  fc.record({ t: fc.constant('type' as const), at: fc.nat(), text }),
  fc.record({ t: fc.constant('checkIn' as const), at: fc.nat(), text, del: fc.nat(3) }),
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ t: fc.constant('edit' as const), edit: editArb }) },
  { weight: 2, arbitrary: fc.constant({ t: 'tick' as const }) },
  { weight: 2, arbitrary: fc.constant({ t: 'compact' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'restart' as const }) },
  { weight: 2, arbitrary: fc.constant({ t: 'crash' as const }) },
);

function applyEdit(doc: Y.Doc, edit: Edit): void {
  const items = listAgenda(doc);
  const pick = (n: number) => items[n % items.length]!.id;
  const meeting = nextMeeting(doc)!.id;
  const notes = meetingNotes(doc, meeting);
  switch (edit.t) {
    case 'add':
      addAgendaItem(doc, { title: edit.title }, { now: new Date(), userId: 'me' });
      return;
    case 'rename':
      if (items.length)
        editItemText(doc, { itemId: pick(edit.pick), field: 'title', value: edit.title }, { now: new Date(), userId: 'me' });
      return;
    case 'move':
      if (items.length) moveAgendaItem(doc, { itemId: pick(edit.pick), toIndex: edit.to }, { now: new Date(), userId: 'me' });
      return;
    case 'state':
      if (items.length) setItemState(doc, { itemId: pick(edit.pick), state: edit.state }, { now: new Date(), userId: 'me' });
      return;
    case 'remove':
      if (items.length) removeAgendaItem(doc, { itemId: pick(edit.pick) }, { now: new Date(), userId: 'me' });
      return;
    case 'paragraph': {
      // The shape Tiptap's Collaboration extension writes: <paragraph> elements holding XmlText.
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(edit.text)]);
      notes.insert(edit.at % (notes.length + 1), [p]);
      return;
    }
    case 'type': {
      if (!notes.length) return;
      const p = notes.get(edit.at % notes.length) as Y.XmlElement;
      // A new meeting's notes hold one empty paragraph, which gets its text on the first keystroke.
      if (!(p.get(0) instanceof Y.XmlText)) p.insert(0, [new Y.XmlText()]);
      const t = p.get(0) as Y.XmlText;
      t.insert(edit.at % (t.length + 1), edit.text);
      return;
    }
    case 'checkIn': {
      const checkIn = (meetingsMap(doc).get(meeting) as Y.Map<unknown>).get('checkIn') as Y.Text;
      doc.transact(() => {
        const at = edit.at % (checkIn.length + 1);
        checkIn.delete(at, Math.min(edit.del, checkIn.length - at));
        checkIn.insert(at, edit.text);
      });
      return;
    }
  }
}

describe('compaction keeps every edit (property)', () => {
  test('after random edits, compactions, restarts and crashes, the reopened doc equals the live one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.array(opArb, { minLength: 1, maxLength: 35 }), async (compactAfter, ops) => {
        const dir = tempDir();
        const file = join(dir, 'tandem.db');
        let opened = await openLog(file, compactAfter);
        let doc = opened.docs.create(DOC, 'series');
        seed(doc);
        // The truth: every update the live doc ever produced, applied to a doc that never touches disk.
        const truth = new Y.Doc();
        const follow = (d: Y.Doc) => d.on('update', (u: Uint8Array) => Y.applyUpdate(truth, u));
        Y.applyUpdate(truth, Y.encodeStateAsUpdate(doc));
        follow(doc);

        const reopen = async (): Promise<void> => {
          opened = await openLog(file, compactAfter);
          doc = opened.docs.acquire(DOC);
          expect(observable(doc)).toEqual(observable(truth));
          follow(doc);
        };

        for (const op of ops) {
          if (op.t === 'edit') applyEdit(doc, op.edit);
          else if (op.t === 'tick') await new Promise((r) => setImmediate(r));
          else if (op.t === 'compact') {
            const last = opened.store.sqlite.prepare('select max(seq) as s from doc_updates where doc_id = ?').get(DOC) as {
              s: number | null;
            };
            if (last.s !== null) opened.log.compact(DOC, doc, last.s);
          } else if (op.t === 'restart') {
            opened.docs.closeAll();
            await opened.store.close();
            await reopen();
          } else {
            // Whatever is committed at this instant, possibly with a compaction still scheduled.
            const image = opened.store.sqlite.serialize();
            opened.docs.closeAll();
            opened.store.sqlite.close();
            for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
            writeFileSync(file, image);
            await reopen();
          }
        }
        opened.docs.closeAll();
        await opened.store.close();
        await reopen();
        opened.docs.closeAll();
        await opened.store.close();
      }),
      {
        numRuns: 25,
        // Always cover: a direct compaction, more edits, then a crash before anything compacts again.
        examples: [
          [
            100,
            [
              { t: 'edit', edit: { t: 'add', title: 'a' } },
              { t: 'compact' },
              { t: 'edit', edit: { t: 'paragraph', at: 0, text: 'b' } },
              { t: 'crash' },
            ],
          ],
        ],
      },
    );
  });
});

describe('the state a document is opened with', () => {
  test('is its stored snapshot right after loading from one, and its current state once it changed', async () => {
    const file = join(tempDir(), 'state.db');
    const first = await openLog(file);
    first.docs.create('s', 'series');
    first.docs.with('s', (doc) => seed(doc));
    first.docs.closeAll();
    const snapshot = (first.store.sqlite.prepare('select snapshot from docs where doc_id = ?').get('s') as { snapshot: Buffer }).snapshot;

    expect(Buffer.from(first.docs.state('s')).equals(snapshot)).toBe(true);
    // Not loaded for it: its snapshot is all it has.
    expect(first.docs.isLoaded('s')).toBe(false);
    const doc = first.docs.acquire('s');
    expect(Buffer.from(first.docs.state('s')).equals(snapshot)).toBe(true);
    addAgendaItem(doc, { title: 'After the load' }, { now: new Date(), userId: 'me' });
    const opened = new Y.Doc();
    Y.applyUpdate(opened, first.docs.state('s'));
    expect(listAgenda(opened).map((i) => i.title)).toEqual(['After the load']);
    first.docs.release('s');
    await first.store.close();
  });

  test('is read from the disk whole when the document is not in memory and its log holds changes after the snapshot', async () => {
    const file = join(tempDir(), 'logged.db');
    const first = await openLog(file);
    first.docs.create('s', 'series');
    first.docs.with('s', (doc) => seed(doc));
    first.docs.closeAll();
    // A change logged after the snapshot, as a crash before compaction leaves it.
    const later = new Y.Doc();
    Y.applyUpdate(later, first.docs.state('s'));
    const before = Y.encodeStateVector(later);
    addAgendaItem(later, { title: 'Logged' }, { now: new Date(), userId: 'me' });
    first.store.sqlite
      .prepare('insert into doc_updates (doc_id, seq, "update") values (?, (select snapshot_seq + 1 from docs where doc_id = ?), ?)')
      .run('s', 's', Y.encodeStateAsUpdate(later, before));
    const opened = new Y.Doc();
    Y.applyUpdate(opened, first.docs.state('s'));
    expect(listAgenda(opened).map((i) => i.title)).toEqual(['Logged']);
    await first.store.close();
  });
});

describe('a document version', () => {
  test('changes with every update, deletions included, stays across unload and compaction, and is new after removal', async () => {
    const { store, docs } = await openLog(join(tempDir(), 'tandem.db'), 2);
    expect(docs.version('doc')).toBeNull();
    const map = docs.create('doc', 'series').getMap('m');
    map.set('a', 1);
    const written = docs.version('doc');
    const vector = docs.with('doc', (doc) => Y.encodeStateVector(doc));
    map.delete('a');
    // A deletion adds no clock: the state vector stays, the version does not.
    expect(docs.with('doc', (doc) => Y.encodeStateVector(doc))).toEqual(vector);
    const deleted = docs.version('doc');
    expect(deleted).not.toBe(written);
    docs.closeAll();
    expect(docs.isLoaded('doc')).toBe(false);
    expect(docs.version('doc')).toBe(deleted);
    docs.with('doc', (again) => expect(again.getMap('m').has('a')).toBe(false));
    expect(docs.version('doc')).toBe(deleted);

    docs.remove('doc');
    expect(docs.version('doc')).toBeNull();
    const reborn = docs.create('doc', 'series').getMap('m');
    reborn.set('a', 1);
    reborn.delete('a');
    expect(docs.version('doc')).not.toBe(deleted);
    docs.closeAll();
    await store.close();
  });
});
