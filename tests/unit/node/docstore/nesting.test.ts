import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { TandemError } from '../../../../src/shared/errors.js';
import { MAX_NESTING_DEPTH, NestingTooDeep, checkAnchors, checkNesting, nestingAnchors } from '../../../../src/node/docstore/nesting.js';
import { applyChecked } from '../../../../src/node/docstore/update-log.js';
import { nestedChainUpdates, oneClientChainUpdates } from '../../helpers/updates.js';

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

const structsOf = (update: Uint8Array) => Y.decodeUpdate(update).structs;

/** One client's items as an update, written as they are: how a peer would send items Yjs never makes. */
function encodeItems(items: Y.Item[]): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, 1);
  encoding.writeVarUint(encoder.restEncoder, items.length);
  encoder.writeClient(items[0]!.id.client);
  encoding.writeVarUint(encoder.restEncoder, items[0]!.id.clock);
  for (const item of items) item.write(encoder, 0);
  encoding.writeVarUint(encoder.restEncoder, 0);
  return encoder.toUint8Array();
}

test('an update that skips the clocks of a part held pending is measured with that part: nesting past the bound that way is refused', () => {
  // The first and last part in one update, which skips the middle one; the middle one arrived first and waits for the first.
  const [first, middle, last] = oneClientChainUpdates('notes', 100, 100, 100);
  const replica = new Y.Doc();
  applyChecked(replica, middle!, null);
  expect(replica.store.pendingStructs).not.toBeNull();
  const merged = Y.mergeUpdates([first!, last!]);
  expect(structsOf(merged).some((struct) => struct instanceof Y.Skip)).toBe(true);
  expect(() => applyChecked(replica, merged, null)).toThrow(/nests types more than/);
  expect(depthOf(replica)).toBe(0);
  // Within the bound, the same delivery is applied whole.
  const [top, centre, bottom] = oneClientChainUpdates('notes', 80, 80, 80);
  const fine = new Y.Doc();
  applyChecked(fine, centre!, null);
  applyChecked(fine, Y.mergeUpdates([top!, bottom!]), null);
  expect(depthOf(fine)).toBe(240);
});

test('types hung under a struct that has not arrived are held, and measured with it when it arrives', () => {
  const [first, second, third] = oneClientChainUpdates('notes', 100, 1, 100);
  const replica = new Y.Doc();
  applyChecked(replica, first!, null);
  // The third part hangs under the second's only struct: the very next clock the replica lacks.
  applyChecked(replica, third!, null);
  expect(depthOf(replica)).toBe(100);
  applyChecked(replica, second!, null);
  expect(depthOf(replica)).toBe(201);
});

test('the characters of a text in the deepest type the bound allows are no level deeper; types past it are refused though the update also carries text', () => {
  const author = new Y.Doc();
  const deepest = nest(author, author.getXmlFragment('notes'), MAX_NESTING_DEPTH - 1) as Y.XmlElement;
  // The text is itself a type, at the bound; its characters are not types.
  deepest.insert(0, [new Y.XmlText('the deepest words')]);
  const replica = new Y.Doc();
  applyChecked(replica, Y.encodeStateAsUpdate(author), null);
  expect(replica.getXmlFragment('notes').toString()).toContain('the deepest words');

  const tooDeep = new Y.Doc();
  nest(tooDeep, tooDeep.getXmlFragment('notes'), MAX_NESTING_DEPTH + 1);
  tooDeep.getText('title').insert(0, 'a title');
  expect(() => applyChecked(new Y.Doc(), Y.encodeStateAsUpdate(tooDeep), null)).toThrow(/nests types more than/);
});

test('a type under a sibling appended after others is measured through its left neighbour', () => {
  const author = new Y.Doc();
  const deepest = nest(author, author.getXmlFragment('notes'), MAX_NESTING_DEPTH - 1);
  const [, appended] = [new Y.XmlElement('paragraph'), new Y.XmlElement('paragraph')];
  author.transact(() => {
    deepest.insert(0, [new Y.XmlElement('paragraph')]);
    deepest.insert(1, [appended!]);
    appended!.insert(0, [new Y.XmlElement('child')]);
  });
  // The appended paragraph names only its left neighbour; its child is one level past the bound.
  const appendedStruct = structsOf(Y.encodeStateAsUpdate(author)).find((s) => s.id.clock === appended!._item!.id.clock) as Y.Item;
  expect(appendedStruct.origin).not.toBeNull();
  expect(appendedStruct.rightOrigin).toBeNull();
  expect(() => applyChecked(new Y.Doc(), Y.encodeStateAsUpdate(author), null)).toThrow(/nests types more than/);
});

test('an update whose items are placed under each other in a cycle is refused, not walked forever', () => {
  const author = new Y.Doc();
  author.clientID = 9;
  nest(author, author.getXmlFragment('notes'), 3);
  const items = structsOf(Y.encodeStateAsUpdate(author)) as Y.Item[];
  // The outermost item now hangs under the innermost one.
  items[0]!.parent = items[2]!.id;
  expect(() => checkNesting(Y.decodeUpdate(encodeItems(items)), null)).toThrow(/in a cycle/);
  expect(() => applyChecked(new Y.Doc(), encodeItems(items), null)).toThrow(TandemError);
});

test('measured apart from a document, an update reports the deepest nesting it adds under each struct it hangs under, and refuses its own excess', () => {
  const author = new Y.Doc();
  author.clientID = 11;
  // Two empty types of the same client the update hangs under, at different clocks and depths.
  const a = nest(author, author.getXmlFragment('notes'), 2) as Y.XmlElement;
  const b = nest(author, author.getXmlFragment('notes'), 5) as Y.XmlElement;
  const base = Y.encodeStateVector(author);
  nest(author, a, 3);
  nest(author, b, 1);
  const anchors = nestingAnchors(structsOf(Y.encodeStateAsUpdate(author, base)), []);
  expect(anchors.root).toBe(0);
  expect(anchors.below.get(11)).toEqual(
    new Map([
      [a._item!.id.clock, 3],
      [b._item!.id.clock, 1],
    ]),
  );

  // Levels below the root type's own child: one less than the depth.
  expect(nestingAnchors(structsOf(nestedUpdate(40)), []).root).toBe(39);
  expect(nestingAnchors(structsOf(Y.encodeStateAsUpdate(author)), []).root).toBe(5);
  const excess = (() => {
    try {
      nestingAnchors(structsOf(nestedUpdate(MAX_NESTING_DEPTH + 1)), []);
    } catch (error) {
      return error;
    }
  })();
  expect(excess).toBeInstanceOf(NestingTooDeep);
  expect((excess as Error).name).toBe('NestingTooDeep');
});

test('anchors measured elsewhere (on a worker thread) are checked against the bound on their own', () => {
  expect(() => checkAnchors({ root: MAX_NESTING_DEPTH - 1, below: new Map() }, null)).not.toThrow();
  expect(() => checkAnchors({ root: MAX_NESTING_DEPTH, below: new Map() }, null)).toThrow(NestingTooDeep);
  expect(() => checkAnchors({ root: 0, below: new Map([[5, new Map([[0, MAX_NESTING_DEPTH - 1]])]]) }, null)).not.toThrow();
  expect(() => checkAnchors({ root: 0, below: new Map([[5, new Map([[0, MAX_NESTING_DEPTH]])]]) }, null)).toThrow(NestingTooDeep);
});

test('in a document already past the bound (stored before it existed), a type placed beside one past it is refused', () => {
  const author = new Y.Doc();
  const deepest = nest(author, author.getXmlFragment('notes'), MAX_NESTING_DEPTH + 5);
  const stored = new Y.Doc();
  Y.applyUpdate(stored, Y.encodeStateAsUpdate(author));
  const before = Y.encodeStateVector(author);
  // Beside the deepest type, in its parent: no level deeper than it, but still past the bound.
  const parent = deepest.parent as Y.XmlElement;
  parent.insert(1, [new Y.XmlElement('paragraph')]);
  expect(() => applyChecked(stored, Y.encodeStateAsUpdate(author, before), null)).toThrow(/nests types more than/);
});
