import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { TandemError } from '../../../../src/shared/errors.js';
import { MAX_NESTING_DEPTH, NestingTooDeep, checkNesting } from '../../../../src/node/docstore/nesting.js';
import { applyChecked } from '../../../../src/node/docstore/update-log.js';
import { nestedChainUpdates } from '../../helpers/updates.js';

/** Nests `depth` blockquotes under `parent` in one transaction; returns the innermost. */
function nest(doc: Y.Doc, parent: Y.XmlFragment | Y.XmlElement, depth: number): Y.XmlFragment | Y.XmlElement {
  doc.transact(() => {
    for (let i = 0; i < depth; i++) {
      const quote = new Y.XmlElement('blockquote');
      parent.insert(0, [quote]);
      parent = quote;
    }
  });
  return parent;
}

function nestedUpdate(depth: number): Uint8Array {
  const doc = new Y.Doc();
  nest(doc, doc.getXmlFragment('notes'), depth);
  return Y.encodeStateAsUpdate(doc);
}

const depthOf = (doc: Y.Doc): number => {
  let depth = 0;
  for (let node = doc.getXmlFragment('notes').get(0); node instanceof Y.XmlElement; node = node.get(0)) depth++;
  return depth;
};

test('20,000 nested types in one update are refused with a clear error, and nothing of them is applied', () => {
  const doc = new Y.Doc();
  const error = (() => {
    try {
      applyChecked(doc, nestedUpdate(20_000), null);
    } catch (e) {
      return e;
    }
  })();
  expect(error).toBeInstanceOf(TandemError);
  expect((error as TandemError).code).toBe('invalid-input');
  expect((error as TandemError).message).toContain(`nests types more than ${MAX_NESTING_DEPTH} deep`);
  expect(doc.getXmlFragment('notes').length).toBe(0);
  // What the bound prevents: the same structure, applied unchecked, breaks Yjs when it is deleted.
  const unchecked = new Y.Doc();
  Y.applyUpdate(unchecked, nestedUpdate(20_000));
  expect(() => unchecked.getXmlFragment('notes').delete(0, 1)).toThrow();
});

test('nesting as deep as the bound is applied, and can be deleted again', () => {
  const doc = new Y.Doc();
  applyChecked(doc, nestedUpdate(MAX_NESTING_DEPTH), null);
  expect(depthOf(doc)).toBe(MAX_NESTING_DEPTH);
  doc.getXmlFragment('notes').delete(0, 1);
  expect(doc.getXmlFragment('notes').length).toBe(0);
  expect(() => applyChecked(new Y.Doc(), nestedUpdate(MAX_NESTING_DEPTH + 1), null)).toThrow(TandemError);
});

test('nesting built one level per update is refused at the update that passes the bound', () => {
  const author = new Y.Doc();
  const updates: Uint8Array[] = [];
  author.on('update', (u: Uint8Array) => updates.push(u));
  let parent: Y.XmlFragment | Y.XmlElement = author.getXmlFragment('notes');
  for (let i = 0; i <= MAX_NESTING_DEPTH; i++) parent = nest(author, parent, 1);
  const replica = new Y.Doc();
  for (const update of updates.slice(0, MAX_NESTING_DEPTH)) applyChecked(replica, update, null);
  expect(depthOf(replica)).toBe(MAX_NESTING_DEPTH);
  expect(() => applyChecked(replica, updates[MAX_NESTING_DEPTH]!, null)).toThrow(/nests types more than/);
  expect(depthOf(replica)).toBe(MAX_NESTING_DEPTH);
});

test('types inserted beside deep ones land at their own depth; maps in maps count too', () => {
  const author = new Y.Doc();
  const deepest = nest(author, author.getXmlFragment('notes'), MAX_NESTING_DEPTH - 1);
  const replica = new Y.Doc();
  applyChecked(replica, Y.encodeStateAsUpdate(author), null);
  // Fifty paragraphs at the bound, each after the last: they land at their parent's depth + 1 through their left neighbour.
  for (let i = 0; i < 50; i++) deepest.insert(deepest.length, [new Y.XmlElement('paragraph')]);
  applyChecked(replica, Y.encodeStateAsUpdate(author, Y.encodeStateVector(replica)), null);
  expect(replica.getXmlFragment('notes').toString()).toBe(author.getXmlFragment('notes').toString());
  // One level below the last of them is past the bound.
  (deepest.get(49) as Y.XmlElement).insert(0, [new Y.XmlElement('child')]);
  expect(() => applyChecked(replica, Y.encodeStateAsUpdate(author, Y.encodeStateVector(replica)), null)).toThrow(TandemError);

  const maps = new Y.Doc();
  let map = maps.getMap('meta');
  for (let i = 0; i <= MAX_NESTING_DEPTH; i++) {
    const inner = new Y.Map();
    map.set('inner', inner);
    map = inner;
  }
  expect(() => checkNesting(Y.decodeUpdate(Y.encodeStateAsUpdate(maps)), null)).toThrow(NestingTooDeep);
});

test('nesting delivered innermost part first, each part held pending until its parent arrives, is refused at the part that completes it', () => {
  // Three parts of 100 levels: each alone within the bound, 300 together.
  const [outer, middle, inner] = nestedChainUpdates(3, 100, 'notes');
  const replica = new Y.Doc();
  applyChecked(replica, inner!, null);
  applyChecked(replica, middle!, null);
  expect(replica.store.pendingStructs).not.toBeNull();
  expect(() => applyChecked(replica, outer!, null)).toThrow(/nests types more than/);
  expect(depthOf(replica)).toBe(0);
  // Within the bound, the same delivery order is applied whole once the outermost part arrives.
  const [top, bottom] = nestedChainUpdates(2, MAX_NESTING_DEPTH / 2, 'notes');
  const fine = new Y.Doc();
  applyChecked(fine, bottom!, null);
  applyChecked(fine, top!, null);
  expect(depthOf(fine)).toBe(MAX_NESTING_DEPTH);
});
