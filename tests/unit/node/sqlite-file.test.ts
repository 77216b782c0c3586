/**
 * The check of a whole SQLite file that an owner runs after opening it (checkAtOpen: false): on a
 * thread of its own, with a verdict naming the file, and on the caller's connection where the
 * thread cannot load SQLite.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { expect, test } from 'vitest';
import { checkIntegrity, openSqliteFile, type SqliteFileOptions } from '../../../src/node/sqlite-file.js';
import { tempDir } from '../helpers/core.js';
import { damageTable } from '../helpers/damage.js';

const ADVICE = 'Restore it from a backup.';
const APPLICATION_ID = 0x54455354;

function options(file: string): SqliteFileOptions {
  return {
    file,
    applicationId: APPLICATION_ID,
    owner: 'the test',
    advice: ADVICE,
    synchronous: 'normal',
    migrations: {},
    checkAtOpen: false,
  };
}

/** A file whose `notes` table spans many pages, and an empty `other` table. */
function fileWithNotes(): string {
  const file = join(tempDir(), 'test.db');
  const db = new SQLite(file);
  db.pragma(`application_id = ${APPLICATION_ID}`);
  db.exec(`create table notes (id integer primary key, body text); create table other (id integer primary key)`);
  const insert = db.prepare('insert into notes (body) values (?)');
  db.transaction(() => {
    for (let i = 0; i < 500; i++) insert.run(`note ${i} `.repeat(20));
  })();
  db.close();
  return file;
}

test('a sound file checks out on a thread of its own; a damaged one is named with what quick_check found and what to do', async () => {
  const file = fileWithNotes();
  const opened = await openSqliteFile<unknown>(options(file));
  expect(await checkIntegrity(options(file), opened.sqlite)).toBeNull();
  await opened.close();

  damageTable(file, 'notes');
  const reopened = await openSqliteFile<unknown>(options(file));
  expect(reopened.sqlite.prepare('select count(*) as n from other').get()).toEqual({ n: 0 });
  const found = await checkIntegrity(options(file), reopened.sqlite);
  expect(found).toContain(`${file} is damaged (SQLite quick_check: `);
  expect(found).toMatch(/Restore it from a backup\.$/);
  await reopened.close();
});

test('where the thread cannot load SQLite, the check still runs, on the caller connection', async () => {
  const broken = join(tempDir(), 'not-sqlite.cjs');
  writeFileSync(broken, `throw new Error('no SQLite on this thread');`);
  const file = fileWithNotes();
  const opened = await openSqliteFile<unknown>(options(file));
  expect(await checkIntegrity(options(file), opened.sqlite, broken)).toBeNull();
  await opened.close();

  damageTable(file, 'notes');
  const reopened = await openSqliteFile<unknown>(options(file));
  expect(await checkIntegrity(options(file), reopened.sqlite, broken)).toContain(`${file} is damaged (SQLite quick_check: `);
  await reopened.close();
});

test('a file checked at open (the default) is refused there when damaged', async () => {
  const file = fileWithNotes();
  damageTable(file, 'notes');
  await expect(openSqliteFile<unknown>({ ...options(file), checkAtOpen: true })).rejects.toThrow(
    `${file} is damaged (SQLite quick_check: `,
  );
});
