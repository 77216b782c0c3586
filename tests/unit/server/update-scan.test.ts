/** The relay's struct count before decoding must agree with Yjs' own decoding, for every kind of content. */
import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { countStructs } from '../../../server/update-scan.js';

function everyKindOfContent(): Uint8Array {
  const doc = new Y.Doc();
  const map = doc.getMap('m');
  for (let i = 0; i < 20; i++) map.set(`k${i}`, i % 2 ? { nested: [i, 'x', null, true] } : `v${i}`);
  map.delete('k3');
  map.set('binary', new Uint8Array([1, 2, 3]));
  map.set('doc', new Y.Doc({ guid: 'sub' }));
  const xml = doc.getXmlFragment('x');
  const hook = new Y.XmlHook('hook');
  xml.insert(0, [new Y.XmlElement('paragraph'), new Y.XmlText('words'), hook as unknown as Y.XmlElement]);
  const text = doc.getText('t');
  text.insert(0, 'hello world', { bold: true });
  text.insertEmbed(5, { image: 'x.png' });
  text.delete(0, 2);
  doc.getArray('a').insert(0, [1, 'two', new Y.Map(), new Y.Array()]);
  // A second client, so the update has two groups of structs.
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  other.getText('t').insert(0, 'more');
  return Y.encodeStateAsUpdate(other);
}

test('counts the structs of every kind of content exactly as Y.decodeUpdate does', () => {
  const update = everyKindOfContent();
  const structs = Y.decodeUpdate(update).structs.length;
  expect(structs).toBeGreaterThan(30);
  expect(countStructs(update, 1_000_000)).toBe(structs);
  expect(countStructs(update, structs)).toBe(structs);
  expect(countStructs(update, structs - 1)).toBe(structs);
});

test('stops as soon as a group of structs passes the limit, before reading them', () => {
  const doc = new Y.Doc();
  const map = doc.getMap('m');
  doc.transact(() => {
    for (let i = 0; i < 5000; i++) map.set(`k${i}`, i);
  });
  const update = Y.encodeStateAsUpdate(doc);
  // Cut to the header: the count is known from it alone.
  expect(countStructs(update.subarray(0, 16), 1000)).toBe(1001);
  expect(() => countStructs(update.subarray(0, 16), 10_000)).toThrow();
});
