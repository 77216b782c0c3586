import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import {
  agendaFor,
  agendaMap,
  itemText,
  listAgenda,
  meetingNotes,
  nextMeeting,
  perspective,
  readAgenda,
  readMeta,
} from '../../../../src/shared/domain/series-doc.js';
import {
  addAgendaItem,
  editItemText,
  moveAgendaItem,
  removeAgendaItem,
  setItemPurpose,
  setItemState,
} from '../../../../src/shared/domain/commands.js';
import { WEEKLY } from '../../helpers/cadence.js';
import { replicaOf, seedSeries } from '../../helpers/series-doc.js';

const newSeries = (): Y.Doc => seedSeries(new Y.Doc());

/** A second replica of `doc`, with its own client id. */

const sync = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
const titles = (doc: Y.Doc) => listAgenda(doc).map((i) => i.title);

describe('series document layout', () => {
  test('a new series has its meta, the creator as participant and one scheduled meeting', () => {
    const doc = newSeries();
    const meta = readMeta(doc);
    expect(meta).toMatchObject({ kind: 'manager-report', cadence: WEEKLY, createdBy: 'me', invitee: { name: 'Sam', role: 'report' } });
    expect(meta.participants).toEqual({ me: { name: 'Dana', role: 'manager' } });
    expect(nextMeeting(doc)).toMatchObject({ scheduledFor: '2030-01-07T10:00:00.000Z', status: 'scheduled' });
  });

  test('each side sees the other person as partner and its own role', () => {
    const meta = readMeta(newSeries());
    expect(perspective(meta, 'me')).toEqual({ partnerName: 'Sam', myRole: 'manager' });
    const joined = { ...meta, participants: { ...meta.participants, sam: { name: 'Sam R.', role: 'report' as const } } };
    expect(perspective(joined, 'sam')).toEqual({ partnerName: 'Dana', myRole: 'report' });
    expect(perspective(joined, 'me')).toEqual({ partnerName: 'Sam R.', myRole: 'manager' });
  });

  test('items are appended in order, moved, re-stated and removed', () => {
    const doc = newSeries();
    const a = addAgendaItem(doc, { title: 'a' }, { now: new Date(), userId: 'me' });
    addAgendaItem(doc, { title: 'b' }, { now: new Date(), userId: 'me' });
    const c = addAgendaItem(doc, { title: 'c' }, { now: new Date(), userId: 'me' });
    moveAgendaItem(doc, { itemId: c, toIndex: 0 }, { now: new Date(), userId: 'me' });
    expect(titles(doc)).toEqual(['c', 'a', 'b']);
    moveAgendaItem(doc, { itemId: c, toIndex: 99 }, { now: new Date(), userId: 'me' });
    expect(titles(doc)).toEqual(['a', 'b', 'c']);
    setItemState(doc, { itemId: a, state: 'discussed' }, { now: new Date(), userId: 'me' });
    removeAgendaItem(doc, { itemId: c }, { now: new Date(), userId: 'me' });
    expect(listAgenda(doc).map((i) => [i.title, i.state])).toEqual([
      ['a', 'discussed'],
      ['b', 'open'],
    ]);
  });

  test('an item without a chosen purpose reads as none, and a purpose can be taken away again', () => {
    const doc = newSeries();
    const ctx = { now: new Date(), userId: 'me' };
    const id = addAgendaItem(doc, { title: 'Conference budget' }, ctx);
    expect(listAgenda(doc)[0]!.purpose).toBeNull();
    setItemPurpose(doc, { itemId: id, purpose: 'career' }, ctx);
    expect(listAgenda(doc)[0]!.purpose).toBe('career');
    setItemPurpose(doc, { itemId: id, purpose: null }, ctx);
    expect(listAgenda(doc)[0]!.purpose).toBeNull();
  });

  test('items of different meetings keep separate orders', () => {
    const doc = newSeries();
    addAgendaItem(doc, { title: 'next' }, { now: new Date(), userId: 'me' });
    addAgendaItem(doc, { title: 'past', meetingId: 'm1' }, { now: new Date(), userId: 'me' });
    for (const title of ['past 2', 'past 3']) addAgendaItem(doc, { title, meetingId: 'm1' }, { now: new Date(), userId: 'me' });
    addAgendaItem(doc, { title: 'next 2' }, { now: new Date(), userId: 'me' });
    expect(agendaFor(doc, null).map((i) => [i.title, i.order])).toEqual([
      ['next', 'a0'],
      ['next 2', 'a1'],
    ]);
    expect(agendaFor(doc, 'm1').map((i) => [i.title, i.order])).toEqual([
      ['past', 'a0'],
      ['past 2', 'a1'],
      ['past 3', 'a2'],
    ]);
  });

  test('replaceText touches only the changed middle, so a concurrent edit elsewhere survives', () => {
    const a = newSeries();
    const id = addAgendaItem(a, { title: 'Quarterly goals review' }, { now: new Date(), userId: 'me' });
    const b = replicaOf(a);
    editItemText(a, { itemId: id, field: 'title', value: 'Quarterly OKR review' }, { now: new Date(), userId: 'me' });
    itemText(b, id, 'title').insert(itemText(b, id, 'title').length, '!');
    sync(a, b);
    sync(b, a);
    expect(itemText(a, id, 'title').toString()).toBe('Quarterly OKR review!');
    expect(itemText(b, id, 'title').toString()).toBe('Quarterly OKR review!');
  });

  test('moving between neighbours that share an order key re-keys them into a strict order', () => {
    const a = newSeries();
    const b = replicaOf(a);
    const x = addAgendaItem(a, { title: 'x' }, { now: new Date(), userId: 'a' });
    const y = addAgendaItem(b, { title: 'y' }, { now: new Date(), userId: 'b' });
    sync(a, b);
    sync(b, a);
    expect((agendaMap(a).get(x) as Y.Map<unknown>).get('order')).toBe((agendaMap(a).get(y) as Y.Map<unknown>).get('order'));
    const z = addAgendaItem(a, { title: 'z' }, { now: new Date(), userId: 'a' });

    moveAgendaItem(a, { itemId: z, toIndex: 1 }, { now: new Date(), userId: 'me' });
    const list = listAgenda(a);
    expect(list.map((i) => i.id)[1]).toBe(z);
    for (let k = 1; k < list.length; k++) expect(list[k - 1]!.order < list[k]!.order).toBe(true);
  });
});

describe('agenda order', () => {
  const ctx = { now: new Date('2030-01-02T09:30:00.000Z'), userId: 'me' };
  const ids = (doc: Y.Doc) => listAgenda(doc).map((i) => i.id);
  const orderOf = (doc: Y.Doc, id: string) => (agendaMap(doc).get(id) as Y.Map<unknown>).get('order');

  /**
   * `first`, then three items added at once on three replicas (one shared key, so ordered by id;
   * they arrive in the reverse of that order), then `last`.
   */
  function runOfThreeEqualKeys() {
    const doc = newSeries();
    const first = addAgendaItem(doc, { title: 'first' }, ctx);
    const replicas = [replicaOf(doc), replicaOf(doc), replicaOf(doc)];
    const tied = replicas.map((r, k) => addAgendaItem(r, { title: `tied ${k}`, id: `tie-${'cba'[k]}` }, ctx)).sort();
    for (const r of replicas) sync(r, doc);
    const last = addAgendaItem(doc, { title: 'last' }, ctx);
    return { doc, first, tied, last };
  }

  test('a new item starts open and not async, with no purpose, an empty context, its author and time, never carried', () => {
    const doc = newSeries();
    const id = addAgendaItem(doc, { title: 'Conference budget' }, ctx);
    expect(listAgenda(doc)).toEqual([
      {
        id,
        title: 'Conference budget',
        context: '',
        purpose: null,
        async: false,
        authorId: 'me',
        createdAt: '2030-01-02T09:30:00.000Z',
        meetingId: null,
        targetMeetingId: null,
        state: 'open',
        order: 'a0',
        carriedCount: 0,
      },
    ]);
    const given = addAgendaItem(doc, { title: 'Feedback', context: 'the demo', purpose: 'feedback', async: true, id: 'chosen' }, ctx);
    expect(given).toBe('chosen');
    expect(listAgenda(doc)[1]).toMatchObject({ id: 'chosen', context: 'the demo', purpose: 'feedback', async: true });
  });

  test('an item added after moves goes to the end of its meeting’s agenda', () => {
    const doc = newSeries();
    const a = addAgendaItem(doc, { title: 'a' }, ctx);
    const b = addAgendaItem(doc, { title: 'b' }, ctx);
    const c = addAgendaItem(doc, { title: 'c' }, ctx);
    moveAgendaItem(doc, { itemId: c, toIndex: 0 }, ctx);
    moveAgendaItem(doc, { itemId: a, toIndex: 2 }, ctx);
    const d = addAgendaItem(doc, { title: 'd' }, ctx);
    expect(ids(doc)).toEqual([c, b, a, d]);
  });

  test('adding passes over what a peer wrote that is no item or no usable order key', () => {
    const doc = newSeries();
    const a = addAgendaItem(doc, { title: 'a' }, ctx);
    agendaMap(doc).set('not an item', 'text');
    const odd = addAgendaItem(doc, { title: 'odd key' }, ctx);
    (agendaMap(doc).get(odd) as Y.Map<unknown>).set('order', 'zz');
    const numeric = addAgendaItem(doc, { title: 'numeric key' }, ctx);
    (agendaMap(doc).get(numeric) as Y.Map<unknown>).set('order', 7);
    const b = addAgendaItem(doc, { title: 'b' }, ctx);
    expect(ids(doc)).toEqual([a, b]);
    expect(agendaFor(doc, null).map((i) => i.id)).toEqual([a, b]);
    expect(orderOf(doc, b)).toBe('a1');
    expect(readAgenda(doc).skipped).toEqual([
      { id: 'not an item', reason: 'item is not a map' },
      { id: odd, reason: 'order key is invalid' },
      { id: numeric, reason: 'order key is invalid' },
    ]);
  });

  test('items sharing an order key are listed by id, the same on every replica', () => {
    const { doc, first, tied, last } = runOfThreeEqualKeys();
    expect(new Set(tied.map((id) => orderOf(doc, id))).size).toBe(1);
    expect(ids(doc)).toEqual([first, ...tied, last]);
    const other = replicaOf(doc);
    expect(ids(other)).toEqual(ids(doc));
    expect(agendaFor(other, null).map((i) => i.id)).toEqual(ids(doc));
  });

  test.each([2, 3])('moving into a run of shared keys (at %i) re-keys only the run, keeping everyone else in place', (toIndex) => {
    const { doc, first, tied, last } = runOfThreeEqualKeys();
    moveAgendaItem(doc, { itemId: last, toIndex }, ctx);
    const expected = [first, ...tied];
    expected.splice(toIndex, 0, last);
    expect(ids(doc)).toEqual(expected);
    const keys = listAgenda(doc).map((i) => i.order);
    for (let k = 1; k < keys.length; k++) expect(keys[k - 1]! < keys[k]!).toBe(true);
    expect(orderOf(doc, first)).toBe('a0');
  });

  test('moving next to a run of shared keys changes only the moved key; the run stays listed by id', () => {
    const { doc, first, tied, last } = runOfThreeEqualKeys();
    const shared = orderOf(doc, tied[0]!);
    moveAgendaItem(doc, { itemId: last, toIndex: 1 }, ctx);
    expect(ids(doc)).toEqual([first, last, ...tied]);
    expect(tied.map((id) => orderOf(doc, id))).toEqual([shared, shared, shared]);
    expect(orderOf(doc, first)).toBe('a0');
  });

  test('moving an item of a run of shared keys within it makes the run strict', () => {
    const { doc, first, tied, last } = runOfThreeEqualKeys();
    moveAgendaItem(doc, { itemId: tied[0]!, toIndex: 2 }, ctx);
    expect(ids(doc)).toEqual([first, tied[1], tied[0], tied[2], last]);
    const keys = listAgenda(doc).map((i) => i.order);
    for (let k = 1; k < keys.length; k++) expect(keys[k - 1]! < keys[k]!).toBe(true);
    expect([orderOf(doc, first), orderOf(doc, last)]).toEqual(['a0', 'a2']);
  });

  test('a move past either end lands first or last; only the moved item’s key changes', () => {
    const doc = newSeries();
    const [a, b, c] = ['a', 'b', 'c'].map((title) => addAgendaItem(doc, { title }, ctx)) as [string, string, string];
    moveAgendaItem(doc, { itemId: b, toIndex: -5 }, ctx);
    expect(ids(doc)).toEqual([b, a, c]);
    expect([orderOf(doc, a), orderOf(doc, c)]).toEqual(['a0', 'a2']);
    moveAgendaItem(doc, { itemId: b, toIndex: 5 }, ctx);
    expect(ids(doc)).toEqual([a, c, b]);
    moveAgendaItem(doc, { itemId: c, toIndex: 2 }, ctx);
    expect(ids(doc)).toEqual([a, b, c]);
  });

  test('moving an item that does not exist, or that a peer broke, says so and changes nothing', () => {
    const doc = newSeries();
    const a = addAgendaItem(doc, { title: 'a' }, ctx);
    agendaMap(doc).set('junk', 'text');
    expect(() => moveAgendaItem(doc, { itemId: 'missing', toIndex: 0 }, ctx)).toThrow(
      expect.objectContaining({ code: 'not-found', message: 'agenda item missing does not exist' }),
    );
    expect(() => moveAgendaItem(doc, { itemId: 'junk', toIndex: 0 }, ctx)).toThrow('agenda item junk does not exist');
    (agendaMap(doc).get(a) as Y.Map<unknown>).set('state', 'lost');
    expect(() => moveAgendaItem(doc, { itemId: a, toIndex: 0 }, ctx)).toThrow(
      expect.objectContaining({ code: 'invalid-input', message: `agenda item ${a} cannot be changed: its state is unknown` }),
    );
  });
});

type Op =
  | { t: 'add'; side: 0 | 1; title: string }
  | { t: 'move'; side: 0 | 1; pick: number; to: number }
  | { t: 'deliver'; from: 0 | 1; count: number };

const side = fc.constantFrom<0 | 1>(0, 1);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('add' as const), side, title: fc.string({ maxLength: 6 }) }),
  fc.record({ t: fc.constant('move' as const), side, pick: fc.nat(50), to: fc.nat(50) }),
  fc.record({ t: fc.constant('deliver' as const), from: side, count: fc.nat(6) }),
);

describe('ordering under concurrent edits (property)', () => {
  test('two replicas exchanging updates in any interleaving converge to one strict order with every item once', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), fc.boolean(), (ops, shuffleDelivery) => {
        const docs: [Y.Doc, Y.Doc] = [newSeries(), new Y.Doc()];
        Y.applyUpdate(docs[1], Y.encodeStateAsUpdate(docs[0]));
        // Updates made on each side and not yet delivered to the other (the other side is "offline").
        const outbox: [Uint8Array[], Uint8Array[]] = [[], []];
        docs.forEach((d, i) => d.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && outbox[i]!.push(u)));
        const added = new Set<string>();

        const deliver = (from: 0 | 1, count: number) => {
          const batch = outbox[from].splice(0, count);
          // Yjs must cope with updates arriving out of order too (they wait for what they depend on).
          if (shuffleDelivery) batch.reverse();
          for (const u of batch) Y.applyUpdate(docs[from === 0 ? 1 : 0], u, 'remote');
        };

        for (const op of ops) {
          if (op.t === 'add') added.add(addAgendaItem(docs[op.side], { title: op.title }, { now: new Date(), userId: `u${op.side}` }));
          else if (op.t === 'move') {
            const items = listAgenda(docs[op.side]);
            if (!items.length) continue;
            const item = items[op.pick % items.length]!;
            const to = op.to % items.length;
            moveAgendaItem(docs[op.side], { itemId: item.id, toIndex: to }, { now: new Date(), userId: 'me' });
            // Locally, the item lands exactly where it was dropped.
            expect(
              listAgenda(docs[op.side])
                .map((i) => i.id)
                .indexOf(item.id),
            ).toBe(to);
          } else deliver(op.from, op.count);
        }
        deliver(0, Infinity);
        deliver(1, Infinity);

        const [a, b] = docs.map(listAgenda) as [ReturnType<typeof listAgenda>, ReturnType<typeof listAgenda>];
        expect(a.map((i) => i.id)).toEqual(b.map((i) => i.id));
        expect(new Set(a.map((i) => i.id)).size).toBe(a.length);
        expect(new Set(a.map((i) => i.id))).toEqual(added);
        // The order is total even where keys tie: a move into the tie makes it strict again.
        for (let k = 1; k < a.length; k++) expect(a[k - 1]!.order <= a[k]!.order).toBe(true);
        if (a.length > 1) {
          const last = a[a.length - 1]!;
          moveAgendaItem(docs[0], { itemId: last.id, toIndex: 1 }, { now: new Date(), userId: 'me' });
          const after = listAgenda(docs[0]);
          expect(after[1]!.id).toBe(last.id);
          expect(after[0]!.order < after[1]!.order && (after.length < 3 || after[1]!.order < after[2]!.order)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });
});

test("a new meeting's notes start as the one empty paragraph an editor shows for empty notes", () => {
  const doc = newSeries();
  const notes = meetingNotes(doc, nextMeeting(doc)!.id);
  expect(notes.toJSON()).toBe('<paragraph></paragraph>');
});
