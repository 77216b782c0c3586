import { describe, expect, test } from 'vitest';
import { initials } from '../../../../src/renderer/lib/initials.js';

describe('initials', () => {
  test('take the first grapheme of the first two words, whole', () => {
    expect(initials('🦄 Élodie أحمد')).toBe('🦄É');
    expect(initials('أحمد علي')).toBe('أع');
    expect(initials('e\u0301lodie 👩‍💻 dev')).toBe('E\u0301👩‍💻');
    expect(initials('Dana Whitfield')).toBe('DW');
  });

  test('a name without words is a question mark', () => {
    expect(initials('')).toBe('?');
    expect(initials('   ')).toBe('?');
  });
});
