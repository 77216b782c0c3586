/**
 * Edits that reach a series document after what they were typed into moved to an archive (a
 * window's keystroke crossing the move on its way to the core, or the other person's arriving
 * later) are re-homed into the archive, and an item removed as its meeting moves stays removed.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { archiveOldYears } from '../../../../src/shared/domain/archive.js';
import { removeAgendaItem } from '../../../../src/shared/domain/commands.js';
import { actionsMap, agendaMap, meetingChangesMap, meetingsMap } from '../../../../src/shared/domain/series-doc.js';
import { Peer, Window, appendNotes, sync } from '../../helpers/archive-peers.js';
import { MOVABLE, at, fillHistory } from '../../helpers/history.js';
import { seedSeries } from '../../helpers/series-doc.js';

const state = Y.encodeStateAsUpdate(fillHistory(seedSeries(new Y.Doc(), 'manager-report', at('2021-01-01T00:00:00.000Z'))));
const move = (p: Peer) => archiveOldYears(p.live, {}, at('2023-04-01T00:00:00.000Z'));
const M = 'meeting-2021-09';

/** The id of an entry of `root` belonging to a meeting (its agenda item, or its next step done). */
function entryOf(doc: Y.Doc, root: 'agenda' | 'actions', meetingId: string): string | null {
  const map = root === 'agenda' ? agendaMap(doc) : actionsMap(doc);
  for (const [id, v] of map.entries()) {
    if (v instanceof Y.Map && v.get('meetingId') === meetingId && (root === 'agenda' || v.get('done') === true)) return id;
  }
  return null;
}

/** Appends to an entry's text (an item's title, a next step's text) in `doc`. */
function appendText(doc: Y.Doc, root: 'agenda' | 'actions', id: string, text: string): void {
  const map = root === 'agenda' ? agendaMap(doc) : actionsMap(doc);
  const t = (map.get(id) as Y.Map<unknown>).get(root === 'agenda' ? 'title' : 'text') as Y.Text;
  t.insert(t.length, text);
}

function textIn(p: Peer, root: 'agenda' | 'actions', id: string): string | null {
  const docs = [p.live, ...p.archives.values()];
  const holders = docs.filter((d) => (root === 'agenda' ? agendaMap(d) : actionsMap(d)).get(id) instanceof Y.Map);
  if (holders.length !== 1) return null;
  const map = root === 'agenda' ? agendaMap(holders[0]!) : actionsMap(holders[0]!);
  return String((map.get(id) as Y.Map<unknown>).get(root === 'agenda' ? 'title' : 'text'));
}

/** What the archives of a Tandem hold, year by year, as plain data. */
const archived = (p: Peer) =>
  Object.fromEntries(
    [...p.archives]
      .filter(([, d]) => meetingsMap(d).size > 0)
      .map(([year, d]) => [year, [meetingsMap(d), agendaMap(d), actionsMap(d), meetingChangesMap(d)].map((m) => m.toJSON())]),
  );

describe('late edits to moved meetings', () => {
  test('notes, an item title and a next step typed in a window as its core moves the meeting end in the archive, on both Tandems', () => {
    const a = new Peer(state);
    const b = new Peer(state);
    const w = new Window(a);
    const item = entryOf(w.doc, 'agenda', M)!;
    const step = entryOf(w.doc, 'actions', M)!;
    appendNotes(w.doc, M, ' Typed as it moved.');
    appendText(w.doc, 'agenda', item, ' (late)');
    appendText(w.doc, 'actions', step, ' (late)');
    move(a);
    w.flushToCore();
    w.flushToWindow();
    expect(meetingsMap(w.doc).has(M)).toBe(false);
    sync(a, b, false);
    sync(a, b, true);
    for (const p of [a, b]) {
      expect(p.holders(M)).toHaveLength(1);
      expect(p.holders(M)[0]).not.toBe(p.live);
      expect(p.notes(M)).toContain('Notes of 2021-09. Typed as it moved.');
      expect(textIn(p, 'agenda', item)).toBe('Topic of 2021-09 (late)');
      expect(textIn(p, 'actions', step)).toBe('Done after 2021-09 (late)');
    }
    expect(archived(a)).toEqual(archived(b));
  });

  test('a late frame the window sends again is still one edit, and the other Tandem gets it once through the archive', () => {
    const a = new Peer(state);
    const b = new Peer(state);
    const w = new Window(a);
    const frames: Uint8Array[] = [];
    w.doc.on('update', (u: Uint8Array) => frames.push(u));
    appendNotes(w.doc, M, ' Once.');
    move(a);
    move(b);
    for (const u of [...frames, ...frames]) a.fromWindow(u, w);
    sync(a, b, false);
    sync(a, b, true);
    for (const p of [a, b]) expect(p.notes(M)).toBe('<paragraph>Notes of 2021-09. Once.</paragraph><paragraph></paragraph>');
    expect(archived(a)).toEqual(archived(b));
  });

  test('a deletion typed in a window as its core moves the meeting is made in the archive too', () => {
    const a = new Peer(state);
    const b = new Peer(state);
    const w = new Window(a);
    const item = entryOf(w.doc, 'agenda', M)!;
    ((agendaMap(w.doc).get(item) as Y.Map<unknown>).get('title') as Y.Text).delete(0, 'Topic of '.length);
    move(a);
    w.flushToCore();
    sync(a, b, false);
    for (const p of [a, b]) expect(textIn(p, 'agenda', item)).toBe('2021-09');
  });

  test('an item removed while the other person moves its meeting stays removed in both archives', () => {
    for (const archivesFirst of [false, true]) {
      const a = new Peer(state);
      const b = new Peer(state);
      const item = entryOf(b.live, 'agenda', M)!;
      move(a);
      removeAgendaItem(b.live, { itemId: item }, at('2023-04-02T00:00:00.000Z'));
      sync(a, b, archivesFirst);
      sync(a, b, !archivesFirst);
      for (const p of [a, b]) {
        expect(p.itemHolders(item)).toEqual([]);
        expect(p.holders(M)).toHaveLength(1);
      }
      // A third Tandem that learns both at once.
      const c = new Peer(state);
      sync(c, archivesFirst ? a : b, false);
      sync(c, archivesFirst ? b : a, false);
      for (const p of [a, b, c]) {
        expect(p.itemHolders(item)).toEqual([]);
        expect(p.holders(M)).toHaveLength(1);
      }
    }
  });

  test('concurrent moves, window edits and removals in any order: nothing typed is lost, nothing removed returns, the archives agree', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('type' as const),
        peer: fc.nat(1),
        meeting: fc.nat(MOVABLE.length - 1),
        into: fc.constantFrom('notes' as const, 'agenda' as const, 'actions' as const),
      }),
      fc.record({ kind: fc.constant('remove' as const), peer: fc.nat(1), meeting: fc.nat(MOVABLE.length - 1) }),
      fc.record({ kind: fc.constant('move' as const), peer: fc.nat(1) }),
      fc.record({ kind: fc.constant('toCore' as const), peer: fc.nat(1) }),
      fc.record({ kind: fc.constant('toWindow' as const), peer: fc.nat(1) }),
      fc.record({ kind: fc.constant('sync' as const), archivesFirst: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 16 }), (ops) => {
        const peers: [Peer, Peer] = [new Peer(state), new Peer(state)];
        const windows = peers.map((p) => new Window(p));
        const typed: { root: 'notes' | 'agenda' | 'actions'; id: string; text: string }[] = [];
        const removed = new Set<string>();
        ops.forEach((o, n) => {
          if (o.kind === 'type' || o.kind === 'remove') {
            const w = windows[o.peer]!.doc;
            const meetingId = MOVABLE[o.meeting]!;
            if (!meetingsMap(w).has(meetingId)) return;
            if (o.kind === 'type' && o.into === 'notes') {
              appendNotes(w, meetingId, ` t${n}`);
              typed.push({ root: 'notes', id: meetingId, text: ` t${n}` });
              return;
            }
            const root = o.kind === 'remove' ? 'agenda' : o.into;
            const id = entryOf(w, root as 'agenda' | 'actions', meetingId);
            if (!id) return;
            if (o.kind === 'remove') {
              removeAgendaItem(w, { itemId: id }, at('2023-04-02T00:00:00.000Z'));
              removed.add(id);
            } else {
              appendText(w, root as 'agenda' | 'actions', id, ` t${n}`);
              typed.push({ root: root as 'agenda' | 'actions', id, text: ` t${n}` });
            }
          } else if (o.kind === 'move') move(peers[o.peer]!);
          else if (o.kind === 'toCore') windows[o.peer]!.flushToCore();
          else if (o.kind === 'toWindow') windows[o.peer]!.flushToWindow();
          else sync(peers[0], peers[1], o.archivesFirst);
        });
        for (const w of windows) w.flushToCore();
        for (const p of peers) move(p);
        sync(peers[0], peers[1], false);
        sync(peers[0], peers[1], true);
        for (const p of peers) {
          for (const id of MOVABLE) {
            expect(p.holders(id)).toHaveLength(1);
            expect(p.holders(id)[0]).not.toBe(p.live);
          }
          for (const t of typed) {
            if (t.root === 'notes') expect(p.notes(t.id)).toContain(t.text);
            else if (!removed.has(t.id)) expect(textIn(p, t.root, t.id)).toContain(t.text);
          }
          for (const id of removed) expect(p.itemHolders(id)).toEqual([]);
        }
        expect(archived(peers[0])).toEqual(archived(peers[1]));
      }),
      { numRuns: 150 },
    );
  });
});
