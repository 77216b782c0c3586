import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { addAgendaItem, changeItemText, COMMAND, TITLE_MAX } from '../../../../src/shared/domain/commands.js';
import { agendaMap, itemText } from '../../../../src/shared/domain/series-doc.js';
import { applyChange, cutTo, diffText, shiftOffset, type DeltaOp } from '../../../../src/shared/domain/text-change.js';
import { seedSeries } from '../../helpers/series-doc.js';

const ctx = () => ({ now: new Date('2030-01-01T00:00:00.000Z'), userId: 'me' });

function seriesWithItem(title: string): { doc: Y.Doc; id: string } {
  const doc = seedSeries(new Y.Doc(), 'peer', ctx());
  return { doc, id: addAgendaItem(doc, { title }, ctx()) };
}

/** An offset into `text` that does not split a surrogate pair, picked by `n`. */
function codePointOffset(text: string, n: number): number {
  const points = Array.from(text);
  return points.slice(0, n % (points.length + 1)).join('').length;
}

const sync = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));

/** Lower-case local text, upper-case remote inserts: after a merge each side's part can be picked out. */
const local = fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'é', '😀'), maxLength: 24 });
const remote = fc.string({ unit: fc.constantFrom('X', 'Y'), minLength: 1, maxLength: 6 });

describe('the change an editor binding sends for one input event', () => {
  test('applied to the old text it gives the new text, wherever the caret is', () => {
    fc.assert(
      fc.property(local, local, fc.nat(), (before, after, caret) => {
        const change = diffText(before, after, caret % (after.length + 1));
        expect(applyChange(before, change)).toBe(after);
        expect(change.index + change.remove).toBeLessThanOrEqual(before.length);
      }),
    );
  });

  test('follows the caret when the text alone is ambiguous', () => {
    expect(diffText('aa', 'aaa', 2)).toEqual({ index: 1, remove: 0, insert: 'a' });
    expect(diffText('aab', 'ab', 0)).toEqual({ index: 0, remove: 1, insert: '' });
    expect(diffText('aab', 'ab', 1)).toEqual({ index: 1, remove: 1, insert: '' });
    expect(diffText('😀', '😁', 2)).toEqual({ index: 0, remove: 2, insert: '😁' });
    expect(diffText('😀😀', '😀', 2)).toEqual({ index: 2, remove: 2, insert: '' });
    expect(diffText('Career goals', 'Career growth goals', 14)).toEqual({ index: 7, remove: 0, insert: 'growth ' });
  });

  test("stored as a command on the item's text, it keeps a concurrent remote insert and lands intact itself", () => {
    fc.assert(
      fc.property(local, local, fc.nat(), remote, fc.nat(), (before, after, caret, theirs, at) => {
        const { doc: mine, id } = seriesWithItem('x');
        // The item's text starts as `before` on both sides.
        changeItemText(mine, { itemId: id, field: 'context', index: 0, remove: 0, insert: before }, ctx());
        const peer = new Y.Doc();
        sync(mine, peer);

        const change = diffText(before, after, caret % (after.length + 1));
        changeItemText(mine, { itemId: id, field: 'context', ...change }, ctx());
        itemText(peer, id, 'context').insert(codePointOffset(before, at), theirs);
        sync(mine, peer);
        sync(peer, mine);

        const merged = itemText(mine, id, 'context').toString();
        expect(itemText(peer, id, 'context').toString()).toBe(merged);
        expect(merged.replace(/[XY]/g, '')).toBe(after);
        expect(merged.replace(/[^XY]/g, '')).toBe(theirs);
      }),
    );
  });

  test("typed keystrokes undo as the user's own command, leaving a peer's concurrent insert in place", () => {
    const { doc: mine, id } = seriesWithItem('Budget');
    const peer = new Y.Doc();
    sync(mine, peer);
    const undo = new Y.UndoManager(agendaMap(mine), { trackedOrigins: new Set([COMMAND]) });
    let typed = 'Budget';
    for (const ch of ' for Q3') {
      const change = diffText(typed, typed + ch, typed.length + 1);
      changeItemText(mine, { itemId: id, field: 'title', ...change }, ctx());
      typed += ch;
    }
    itemText(peer, id, 'title').insert(0, 'Team ');
    sync(peer, mine);
    expect(itemText(mine, id, 'title').toString()).toBe('Team Budget for Q3');
    undo.undo();
    expect(itemText(mine, id, 'title').toString()).toBe('Team Budget');
    undo.redo();
    expect(itemText(mine, id, 'title').toString()).toBe('Team Budget for Q3');
  });

  test('a change is clamped to the text and a title never passes its limit', () => {
    const { doc, id } = seriesWithItem('Budget');
    changeItemText(doc, { itemId: id, field: 'title', index: 99, remove: 5, insert: '!' }, ctx());
    expect(itemText(doc, id, 'title').toString()).toBe('Budget!');
    changeItemText(doc, { itemId: id, field: 'title', index: 0, remove: 0, insert: 'x'.repeat(5_000) }, ctx());
    expect(itemText(doc, id, 'title').length).toBe(TITLE_MAX);
    expect(itemText(doc, id, 'title').toString().endsWith('Budget!')).toBe(true);
  });
});

describe('a caret through a change made elsewhere', () => {
  /** The delta of a change to a Y.Text holding `before`, as an observer of that text sees it. */
  function deltaOf(before: string, change: (text: Y.Text) => void): DeltaOp[] {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, before);
    let delta: DeltaOp[] = [];
    text.observe((event) => (delta = event.delta as DeltaOp[]));
    change(text);
    return delta;
  }

  test('stays next to the character it was before, whatever is inserted or deleted elsewhere', () => {
    fc.assert(
      fc.property(local, fc.nat(), fc.nat(), fc.nat(), remote, (before, c, p, n, theirs) => {
        const caret = c % (before.length + 1);
        const at = p % (before.length + 1);
        const inserted = deltaOf(before, (t) => t.insert(at, theirs));
        expect(shiftOffset(inserted, caret)).toBe(at < caret ? caret + theirs.length : caret);
        const removed = Math.min(n % 4, before.length - at);
        const deleted = deltaOf(before, (t) => removed > 0 && t.delete(at, removed));
        expect(shiftOffset(deleted, caret)).toBe(caret <= at ? caret : Math.max(at, caret - removed));
      }),
    );
  });

  test('cutting a text to a length never leaves half a surrogate pair', () => {
    expect(cutTo('ab😀', 3)).toBe('ab');
    expect(cutTo('ab😀', 4)).toBe('ab😀');
    expect(cutTo('abc', -1)).toBe('');
  });
});
