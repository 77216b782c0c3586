import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  completeLine,
  formatQuickAdd,
  matchTargets,
  parseQuickAdd,
  PURPOSE_TAGS,
  type QuickAddLine,
  type QuickAddTarget,
} from '../../../src/shared/quick-add.js';
import { ITEM_TITLE_MAX } from '../../../src/shared/item-limits.js';
import { Purpose } from '../../../src/shared/schemas.js';

const parsed = (text: string): QuickAddLine => {
  const result = parseQuickAdd(text);
  if (!result.ok) throw new Error(`expected "${text}" to parse: ${result.message}`);
  return result.line;
};
const message = (text: string): string => {
  const result = parseQuickAdd(text);
  if (result.ok) throw new Error(`expected "${text}" to be refused`);
  return result.message;
};

describe('parseQuickAdd', () => {
  test('reads the 1:1, the purpose, the async flag and the meeting after next around the title', () => {
    expect(parsed('@sam promotion timeline #career')).toEqual({
      who: 'sam',
      title: 'promotion timeline',
      purpose: 'career',
      async: false,
      afterNext: false,
    });
    expect(parsed('  budget  for Q3 !async #fyi >>  ')).toEqual({
      who: null,
      title: 'budget for Q3',
      purpose: 'status',
      async: true,
      afterNext: true,
    });
    expect(parsed('@Zoë that tense review #AIR').purpose).toBe('clearing-the-air');
  });

  test('leaves words that only look like markers in the title', () => {
    expect(parsed('ask about C# and #1 priority, a>>b, !important, mail @dana')).toMatchObject({
      who: null,
      title: 'ask about C# and #1 priority, a>>b, !important, mail @dana',
      purpose: null,
      async: false,
      afterNext: false,
    });
  });

  test('refuses an empty title, a bare @, an unknown purpose (suggesting the near one) and two purposes', () => {
    expect(message('@sam #career')).toBe('Type what you want to talk about.');
    expect(message('   ')).toBe('Type what you want to talk about.');
    expect(message('@ hello')).toBe('Write a name right after @, like @sam.');
    expect(message('raise #carrer')).toMatch(/^#carrer is not a purpose: did you mean #career\? The purposes are #career, /);
    expect(message('raise #money')).toMatch(/^#money is not a purpose\. The purposes are/);
    expect(message('raise #career #fyi')).toBe('An item has one purpose: keep one of the # tags.');
    expect(message('x'.repeat(ITEM_TITLE_MAX + 1))).toBe(`An item title can be at most ${ITEM_TITLE_MAX} characters.`);
    expect(parsed('raise #career #career').purpose).toBe('career');
  });

  test('any input parses or gets a one-sentence message, and what parses round-trips through its canonical line', () => {
    const pieces = fc.oneof(
      fc.string(),
      fc.constantFrom('@', '@sam', '#', '#career', '#Fyi', '#carrer', '!async', '>>', ' ', '\t', '\n', '\u00a0'),
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 12 }), (parts) => {
        const result = parseQuickAdd(parts.join(''));
        if (!result.ok) {
          expect(result.message.length).toBeGreaterThan(0);
          return;
        }
        expect(result.line.title.trim()).toBe(result.line.title);
        expect(parseQuickAdd(formatQuickAdd(result.line))).toEqual(result);
      }),
      { numRuns: 2000 },
    );
  });

  test('every item the window can describe has a line that parses back to it', () => {
    const titleWord = fc.stringMatching(/^[a-zA-Z0-9,.'?-]{1,12}$/).filter((w) => !w.startsWith('@'));
    const line = fc.record({
      who: fc.option(fc.stringMatching(/^[a-z0-9]{1,10}$/), { nil: null }),
      title: fc.array(titleWord, { minLength: 1, maxLength: 8 }).map((words) => words.join(' ')),
      purpose: fc.option(fc.constantFrom(...Purpose.options), { nil: null }),
      async: fc.boolean(),
      afterNext: fc.boolean(),
    });
    fc.assert(
      fc.property(line, (value) => {
        expect(parsed(formatQuickAdd(value))).toEqual(value);
      }),
    );
  });

  test('every purpose has a tag', () => {
    expect(new Set(Object.values(PURPOSE_TAGS))).toEqual(new Set(Purpose.options));
  });
});

describe('fuzzy 1:1 matching', () => {
  const targets: QuickAddTarget[] = [
    { id: 'wilson', names: ['Wilson Adams', ''], recency: 3 },
    { id: 'sam', names: ['Sam Lee', 'Platform sync'], recency: 1 },
    { id: 'samira', names: ['Samira Okafor', ''], recency: 2 },
    { id: 'zoe', names: ["Zoë O'Brien", 'Design 1:1'], recency: 0 },
  ];
  const ids = (query: string) => matchTargets(query, targets).map((t) => t.id);

  test('an empty query lists every 1:1, most recent first', () => {
    expect(ids('')).toEqual(['wilson', 'samira', 'sam', 'zoe']);
  });

  test('the closest name wins over scattered letters, and a closer match over a more recent one', () => {
    expect(ids('sam')[0]).toBe('sam');
    expect(ids('sam')).toContain('wilson');
    expect(ids('samira')).toEqual(['samira']);
    expect(ids('sl')[0]).toBe('sam');
  });

  test('ignores case, accents and punctuation, and searches the 1:1 title too', () => {
    expect(ids('zoeob')).toEqual(['zoe']);
    expect(ids('ZOË')).toEqual(['zoe']);
    expect(ids('design')).toEqual(['zoe']);
    expect(ids('platform')).toEqual(['sam']);
  });

  test('letters running on, or starting words, outrank the same letters scattered in a more recent 1:1', () => {
    const people = [
      { id: 'lorenzo', names: ['Lorenzo Eberle'], recency: 9 },
      { id: 'sam', names: ['Sam Lee'], recency: 1 },
    ];
    expect(matchTargets('lee', people).map((t) => t.id)).toEqual(['sam', 'lorenzo']);
    const initials = [
      { id: 'amjad', names: ['Amjad'], recency: 9 },
      { id: 'mj', names: ['Mo Jaffar Ali'], recency: 1 },
    ];
    expect(matchTargets('mj', initials).map((t) => t.id)).toEqual(['mj', 'amjad']);
  });

  test('names nothing when no letters fit', () => {
    expect(ids('xq')).toEqual([]);
  });

  test('Tab completes the @name to the best match and a # tag to the purpose it starts', () => {
    expect(completeLine('@sami', targets)).toBe('@samiraokafor ');
    expect(completeLine('@zo', targets)).toBe('@zoeobrien ');
    expect(completeLine('@sam promotion #ca', targets)).toBe('@sam promotion #career ');
    expect(completeLine('promotion #f', targets)).toBe('promotion #feedback ');
    expect(completeLine('promotion #x', targets)).toBe('promotion #x');
    expect(completeLine('promotion @sa', targets)).toBe('promotion @sa');
    expect(ids('samiraokafor')).toEqual(['samira']);
  });
});
