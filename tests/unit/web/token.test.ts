/** The web shell's session token survives restarts on the same data dir and is the user's alone. */
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { WEB_TOKEN_FILE, webToken } from '../../../src/web/token.js';
import { tempDir } from '../helpers/core.js';

test('the token is stored readable by the user only and stays the same until rotated', () => {
  const dir = tempDir();
  const token = webToken(dir);
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const file = join(dir, WEB_TOKEN_FILE);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(readFileSync(file, 'utf8').trim()).toBe(token);
  expect(webToken(dir)).toBe(token);

  const rotated = webToken(dir, true);
  expect(rotated).not.toBe(token);
  expect(webToken(dir)).toBe(rotated);
  expect(statSync(file).mode & 0o777).toBe(0o600);
});

test('a token file others could read, or that holds no token, is replaced', () => {
  const dir = tempDir();
  const file = join(dir, WEB_TOKEN_FILE);
  const token = webToken(dir);
  chmodSync(file, 0o644);
  const replaced = webToken(dir);
  expect(replaced).not.toBe(token);
  expect(statSync(file).mode & 0o777).toBe(0o600);

  writeFileSync(file, 'short\n', { mode: 0o600 });
  expect(webToken(dir)).toMatch(/^[A-Za-z0-9_-]{43}$/);
});
