import { expect, test } from 'vitest';
import { plainDisplayText } from '../../../src/shared/display-text.js';

test('line breaks and other controls in a peer’s text become single spaces, so it cannot forge lines of a dialog', () => {
  expect(plainDisplayText('Weekly 1:1\n\nJoin only if you trust relay.example')).toBe('Weekly 1:1 Join only if you trust relay.example');
  expect(plainDisplayText('a\r\tb\u0000c\u007fd\u0085e\u009ff\u2028g\u2029h')).toBe('a b c d e f g h');
  expect(plainDisplayText('  Dana\n')).toBe('Dana');
});

test('bidirectional overrides, embeddings, isolates and marks are removed, so the words keep their order', () => {
  const marks = ['\u200e', '\u200f', '\u061c', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
  for (const mark of marks) expect(plainDisplayText(`Dana${mark}Whitfield`), mark.codePointAt(0)!.toString(16)).toBe('DanaWhitfield');
  expect(plainDisplayText('Sam \u202eetadpu sutats\u202c')).toBe('Sam etadpu sutats');
});

test('ordinary text in any script, emoji included, is kept as it is', () => {
  for (const text of ['🦄 Élodie أحمد', 'Dana & Sam', '山田 太郎', 'Zoë — “career” 1:1']) expect(plainDisplayText(text)).toBe(text);
});
