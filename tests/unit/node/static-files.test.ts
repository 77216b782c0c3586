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

test("a sibling folder whose name starts with the renderer folder's name is outside it", () => {
  for (const path of ['/../renderer-x/secret', '/../renderer/../renderer-x/secret', '/%2e%2e/renderer2/index.html', '/../renderer']) {
    expect(resolveInside(root, path), path).toBeNull();
  }
  expect(resolveInside(root, '/../renderer/index.html')).toBe(join(root, 'index.html'));
});
