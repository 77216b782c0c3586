import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { MAX_NOTES_DEPTH, nestsDeeperThan } from '../../../src/renderer/lib/notes-depth.js';

function nested(depth: number): Y.XmlFragment {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('notes');
  doc.transact(() => {
    let parent: Y.XmlFragment | Y.XmlElement = fragment;
    for (let i = 0; i < depth; i++) {
      const quote = new Y.XmlElement('blockquote');
      parent.insert(0, [quote]);
      parent = quote;
    }
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('deep')]);
    parent.insert(0, [paragraph]);
  });
  return fragment;
}

test('notes nested as deep as people write them are within the limit', () => {
  expect(nestsDeeperThan(nested(30))).toBe(false);
  expect(nestsDeeperThan(nested(MAX_NOTES_DEPTH - 1))).toBe(false);
});

test('20,000 nested blocks are found too deep, without overflowing the stack', () => {
  expect(nestsDeeperThan(nested(MAX_NOTES_DEPTH + 1))).toBe(true);
  expect(nestsDeeperThan(nested(20_000))).toBe(true);
});
