/**
 * The web shell's session token. It is kept in the data dir, readable by the user only, so the
 * address the shell printed (and a page left open on it) stays valid across restarts on the same
 * data; `--new-token` replaces it, and so does finding the file readable by anyone else.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const WEB_TOKEN_FILE = 'web-token';

/** 256 bits, base64url: also a valid WebSocket subprotocol token. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function storedToken(file: string): string | null {
  try {
    const token = readFileSync(file, 'utf8').trim();
    return (statSync(file).mode & 0o077) === 0 && TOKEN.test(token) ? token : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The data dir's token, created on first use or when `rotate` asks for a new one. */
export function webToken(dataDir: string, rotate = false): string {
  const file = join(dataDir, WEB_TOKEN_FILE);
  const stored = rotate ? null : storedToken(file);
  if (stored) return stored;
  const token = randomBytes(32).toString('base64url');
  // A new file (flag wx) is created with the mode; a rename then replaces the old one at once.
  const temp = `${file}.${randomBytes(6).toString('hex')}`;
  writeFileSync(temp, `${token}\n`, { mode: 0o600, flag: 'wx' });
  renameSync(temp, file);
  return token;
}
