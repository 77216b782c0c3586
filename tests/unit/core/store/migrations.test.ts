import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, NO_MIGRATIONS, SqliteDialect } from 'kysely';
import { describe, expect, test } from 'vitest';
import { APPLICATION_ID, openStore } from '../../../../src/core/store/database.js';
import { migrations } from '../../../../src/core/store/migrations.js';
import { tempDir } from '../../helpers/core.js';

const names = Object.keys(migrations);
const DURABLE_TABLES = ['settings', 'docs', 'doc_updates', 'shares', 'health_parts'];

function tableNames(sqlite: SQLite.Database): string[] {
  return (sqlite.prepare(`select name from sqlite_schema where type = 'table'`).all() as { name: string }[]).map((r) => r.name);
}

function appliedMigrations(sqlite: SQLite.Database): string[] {
  return (sqlite.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name);
}

/** Builds a database as an older Tandem left it: marked as Tandem's, migrated only up to `target`. */
async function databaseAt(file: string, target: string | typeof NO_MIGRATIONS): Promise<void> {
  const sqlite = new SQLite(file);
  sqlite.pragma(`application_id = ${APPLICATION_ID}`);
  sqlite.pragma('journal_mode = WAL');
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error } = await migrator.migrateTo(target);
  if (error) throw error;
  await db.destroy();
}

describe('migrations from an empty database', () => {
  test('create every durable table, mark the file as Tandem and record every migration', async () => {
    const file = join(tempDir(), 'tandem.db');
    const store = await openStore(file);
    expect(tableNames(store.sqlite)).toEqual(expect.arrayContaining(DURABLE_TABLES));
    expect(store.sqlite.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(appliedMigrations(store.sqlite)).toEqual(names);
    await store.close();
  });

  test('re-running them on an up-to-date database changes nothing', async () => {
    const file = join(tempDir(), 'tandem.db');
    const first = await openStore(file);
    await first.db.insertInto('settings').values({ key: 'k', value: 'v' }).execute();
    const schemaBefore = first.sqlite.prepare('select type, name, sql from sqlite_schema order by name').all();
    await first.close();

    const second = await openStore(file);
    expect(second.sqlite.prepare('select type, name, sql from sqlite_schema order by name').all()).toEqual(schemaBefore);
    expect(appliedMigrations(second.sqlite)).toEqual(names);
    expect(await second.db.selectFrom('settings').selectAll().execute()).toEqual([{ key: 'k', value: 'v' }]);
    await second.close();
  });
});

describe('migrations from every older schema', () => {
  test('there is at least one older schema to upgrade from', () => {
    expect(names.length).toBeGreaterThan(1);
  });

  test('an empty Tandem database (marked, no migration run) upgrades to the newest schema', async () => {
    const file = join(tempDir(), 'tandem.db');
    await databaseAt(file, NO_MIGRATIONS);
    const store = await openStore(file);
    expect(appliedMigrations(store.sqlite)).toEqual(names);
    await store.close();
  });

  test.each(names.slice(0, -1))('a database at %s keeps its settings and documents when upgraded', async (target) => {
    const file = join(tempDir(), 'tandem.db');
    await databaseAt(file, target);
    const old = new SQLite(file);
    const update = Buffer.from([1, 2, 3]);
    const snapshot = Buffer.from([4, 5]);
    old.prepare(`insert into settings (key, value) values ('profile', '{"id":"p","name":"Dana"}')`).run();
    old.prepare(`insert into docs (doc_id, kind, snapshot, snapshot_seq, updated_at) values ('d1', 'series', ?, 3, 't')`).run(snapshot);
    old.prepare(`insert into doc_updates (doc_id, seq, "update") values ('d1', 4, ?)`).run(update);
    old.close();

    const store = await openStore(file);
    expect(appliedMigrations(store.sqlite)).toEqual(names);
    expect(tableNames(store.sqlite)).toEqual(expect.arrayContaining(DURABLE_TABLES));
    expect(await store.db.selectFrom('settings').selectAll().execute()).toEqual([{ key: 'profile', value: '{"id":"p","name":"Dana"}' }]);
    const doc = await store.db.selectFrom('docs').selectAll().executeTakeFirstOrThrow();
    expect(doc).toMatchObject({ doc_id: 'd1', kind: 'series', snapshot_seq: 3 });
    expect(Buffer.from(doc.snapshot!)).toEqual(snapshot);
    const rows = await store.db.selectFrom('doc_updates').selectAll().execute();
    expect(rows.map((r) => [r.doc_id, r.seq, Buffer.from(r.update)])).toEqual([['d1', 4, update]]);
    await store.close();
  });
});
