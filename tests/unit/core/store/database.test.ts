import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { TandemError } from '../../../../src/shared/errors.js';
import { openStore } from '../../../../src/core/store/database.js';
import { DATABASE_FILE, TandemCore } from '../../../../src/core/tandem-core.js';
import { tempDir } from '../../helpers/core.js';

async function storageError(open: () => Promise<unknown>): Promise<TandemError> {
  const error = await open().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TandemError);
  expect((error as TandemError).code).toBe('storage');
  return error as TandemError;
}

describe('bad input at the storage boundary', () => {
  test('a file of random bytes is refused with its name and what to do, and left byte-for-byte unchanged', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, DATABASE_FILE);
    const garbage = randomBytes(64 * 1024);
    writeFileSync(file, garbage);

    const error = await storageError(() => TandemCore.open({ dataDir }));
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/move it aside|backup|--data-dir/i);
    expect(readFileSync(file).equals(garbage)).toBe(true);
  });

  test("another application's SQLite database is refused by name, and left byte-for-byte unchanged", async () => {
    const dataDir = tempDir();
    const file = join(dataDir, DATABASE_FILE);
    const foreign = new SQLite(file);
    foreign.exec(`create table invoices (id integer primary key, total real); insert into invoices (total) values (12.5)`);
    foreign.close();
    const before = readFileSync(file);

    const error = await storageError(() => TandemCore.open({ dataDir }));
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/another application/);
    expect(error.message).toMatch(/move it aside|--data-dir/i);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  test('a SQLite database marked with another application_id is refused even when empty', async () => {
    const file = join(tempDir(), DATABASE_FILE);
    const foreign = new SQLite(file);
    foreign.pragma('application_id = 42');
    foreign.close();
    const before = readFileSync(file);

    const error = await storageError(() => openStore(file));
    expect(error.message).toContain(file);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  test('a data directory below a regular file is refused with an error naming the directory', async () => {
    const parent = join(tempDir(), 'not-a-dir');
    writeFileSync(parent, 'plain file');
    const dataDir = join(parent, 'sub');

    const error = await storageError(() => TandemCore.open({ dataDir }));
    expect(error.message).toContain(dataDir);
    expect(error.message).toMatch(/--data-dir|TANDEM_DATA_DIR/);
    expect(readFileSync(parent, 'utf8')).toBe('plain file');
  });
});
