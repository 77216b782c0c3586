import { join } from 'node:path';
import { expect, test } from 'vitest';
import { contentType, resolveInside } from '../../../src/node/static-files.js';

const root = '/srv/renderer';

test('a request path maps to a file inside the renderer folder, and / to its index', () => {
  expect(resolveInside(root, '/')).toBe(join(root, 'index.html'));
  expect(resolveInside(root, '/assets/index-abc.js')).toBe(join(root, 'assets/index-abc.js'));
  expect(contentType('/x/index.html')).toBe('text/html; charset=utf-8');
  expect(contentType('/x/blob.bin')).toBe('application/octet-stream');
});

test('paths that would leave the renderer folder, however encoded, map to nothing', () => {
  for (const path of ['/../secret', '/assets/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2fetc%2fpasswd', '/%E0%A4%A']) {
    expect(resolveInside(root, path), path).toBeNull();
  }
  expect(resolveInside(root, '/..renderer-sibling/x')).toBe(join(root, '..renderer-sibling/x'));
});
