/**
 * Up to two initials for a name, one per word: whole graphemes (an emoji, a letter with its
 * accent, an Arabic letter), so no initial is half a character.
 */
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function initials(name: string): string {
  return (
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((word) => graphemes.segment(word)[Symbol.iterator]().next().value!.segment.toLocaleUpperCase())
      .join('') || '?'
  );
}
