import { expect, test } from 'vitest';
import { isSafeLink } from '../../../src/shared/links.js';

test('web and mail addresses are links', () => {
  for (const href of ['https://example.com/a?b#c', 'http://127.0.0.1:8080/', 'mailto:dana@example.com'])
    expect(isSafeLink(href)).toBe(true);
});

test('scripts, data, files, relative paths and addresses with credentials are not', () => {
  for (const href of [
    'javascript:alert(1)',
    ' JavaScript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'tandem://join/abc',
    '#/series/x',
    '/rpc',
    'https://user:pw@example.com/',
    '',
  ])
    expect(isSafeLink(href), href).toBe(false);
});
