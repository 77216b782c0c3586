/**
 * One suite for both room stores, SQLite and PostgreSQL (a real server started for the file), plus
 * what only a store shared by several relays must do: compactions from two relays at once lose
 * nothing, and an unreachable server is reported as such and found again.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import * as Y from 'yjs';
import { afterAll, describe, expect, onTestFinished, test } from 'vitest';
import { openPostgresStore } from '../../../../server/store/postgres.js';
import { StoreUnavailable, type RoomStore } from '../../../../server/store/room-store.js';
import { openSqliteStore } from '../../../../server/store/sqlite-thread.js';
import { newRoom, tempDir, waitFor } from '../helpers.js';
import { postgresSkipReason, startPostgres, type PostgresServer } from '../postgres-server.js';

const skipPostgres = postgresSkipReason();
if (skipPostgres) console.warn(`PostgreSQL store tests skipped: ${skipPostgres}`);
let started: Promise<PostgresServer> | null = null;
/** The file's PostgreSQL, started by the first test that needs it: a run of the SQLite tests alone starts none. */
const postgres = () => (started ??= startPostgres());
afterAll(async () => {
  await (await started)?.destroy();
});

/** A place for one store, reopened as often as a test likes, and a way to write a damaged log entry behind its back. */
interface Place {
  open(): Promise<RoomStore>;
  damage(room: string, entry: 'update' | 'snapshot'): Promise<void>;
}

async function sqlitePlace(): Promise<Place> {
  const dir = tempDir();
  onTestFinished(() => dir.remove());
  return {
    open: () => openSqliteStore(dir.path, 'normal'),
    async damage(room, entry) {
      const db = new SQLite(join(dir.path, 'relay.db'));
      if (entry === 'update')
        db.prepare('insert into doc_updates (doc_id, seq, "update") values (?, 1000, ?)').run(room, Buffer.from([1, 2, 3]));
      else db.prepare('update docs set snapshot = ? where doc_id = ?').run(Buffer.from([1, 2, 3]), room);
      db.close();
    },
  };
}

async function postgresPlace(): Promise<Place> {
  const url = await (await postgres()).createDatabase();
  return {
    open: () => openPostgresStore({ url }),
    async damage(room, entry) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      if (entry === 'update')
        await client.query('insert into doc_updates (doc_id, "update") values ($1, $2)', [room, Buffer.from([1, 2, 3])]);
      else await client.query('update docs set snapshot = $2 where doc_id = $1', [room, Buffer.from([1, 2, 3])]);
      await client.end();
    },
  };
}

/** Opens a store and closes it when the test ends. */
async function opened(place: Place): Promise<RoomStore> {
  const store = await place.open();
  onTestFinished(() => store.close());
  return store;
}

/** Edits `doc` and returns the update the edit made, as a relay receives it. */
function edit(doc: Y.Doc, text: string): Uint8Array {
  let update: Uint8Array | null = null;
  const capture = (u: Uint8Array) => (update = u);
  doc.once('update', capture);
  doc.getText('notes').insert(doc.getText('notes').length, text);
  return update!;
}

const text = (doc: Y.Doc) => doc.getText('notes').toString();

describe.each([
  { kind: 'sqlite', place: sqlitePlace, skip: null },
  { kind: 'postgres', place: postgresPlace, skip: skipPostgres },
])('the $kind room store', ({ place, skip }) => {
  test.skipIf(skip)('appends updates of several rooms in one call and loads each room back, after a reopen too', async () => {
    const where = await place();
    let store = await where.open();
    const [a, b] = [newRoom(), newRoom()];
    const docA = (await store.open(a)).doc;
    const docB = (await store.open(b)).doc;
    await store.append([
      { room: a, update: edit(docA, 'one ') },
      { room: b, update: edit(docB, 'other') },
      { room: a, update: edit(docA, 'two') },
    ]);
    await store.close();
    store = await opened(where);
    const loaded = await store.open(a);
    expect(text(loaded.doc)).toBe('one two');
    expect(loaded.pending).toBe(2);
    expect(text((await store.open(b)).doc)).toBe('other');
    expect(text((await store.open(newRoom())).doc)).toBe('');
  });

  test.skipIf(skip)('compaction folds the log into a snapshot that loads back equal to the live document', async () => {
    const where = await place();
    let store = await where.open();
    const room = newRoom();
    const live = (await store.open(room)).doc;
    for (let i = 0; i < 50; i++) await store.append([{ room, update: edit(live, `${i},`) }]);
    expect(await store.compact(room, live)).toBe(true);
    await store.append([{ room, update: edit(live, 'after') }]);
    await store.close();
    store = await opened(where);
    const loaded = await store.open(room);
    expect(loaded.pending).toBe(1);
    expect(Y.encodeStateAsUpdate(loaded.doc)).toEqual(Y.encodeStateAsUpdate(live));
    expect(text(loaded.doc)).toBe(text(live));
  });

  test.skipIf(skip)('a reopened store goes on appending after what it loaded, and compacts all of it', async () => {
    const where = await place();
    let store = await where.open();
    const room = newRoom();
    const live = (await store.open(room)).doc;
    await store.append([
      { room, update: edit(live, 'one ') },
      { room, update: edit(live, 'two ') },
    ]);
    await store.close();
    store = await opened(where);
    const reloaded = (await store.open(room)).doc;
    await store.append([{ room, update: edit(reloaded, 'three ') }]);
    expect(await store.compact(room, reloaded)).toBe(true);
    await store.append([{ room, update: edit(reloaded, 'four') }]);
    const loaded = await store.open(room);
    expect(text(loaded.doc)).toBe('one two three four');
    expect(loaded.pending).toBe(1);
  });

  test.skipIf(skip)('compacting a room this store has not opened since it started leaves what is stored intact', async () => {
    const where = await place();
    let store = await where.open();
    const room = newRoom();
    const live = (await store.open(room)).doc;
    await store.append([{ room, update: edit(live, 'stored') }]);
    await store.close();
    store = await opened(where);
    // A document without the room's updates: whatever the store does with it, nothing stored may be lost.
    expect(await store.compact(room, new Y.Doc())).toBe(true);
    expect(text((await store.open(room)).doc)).toBe('stored');
    expect(await store.compact(newRoom(), new Y.Doc())).toBe(true);
  });

  test.skipIf(skip)('compacting a room after the relay released it leaves what is stored intact', async () => {
    const store = await opened(await place());
    const room = newRoom();
    const live = (await store.open(room)).doc;
    await store.append([{ room, update: edit(live, 'stored') }]);
    store.release(room);
    expect(await store.compact(room, new Y.Doc())).toBe(true);
    expect(text((await store.open(room)).doc)).toBe('stored');
  });

  test.skipIf(skip)('makes its log key once: the same 32 bytes after a reopen, another key for another store', async () => {
    const where = await place();
    const first = await where.open();
    const key = Buffer.from(first.logKey);
    await first.close();
    const again = await opened(where);
    expect(key).toHaveLength(32);
    expect(again.logKey).toEqual(key);
    expect((await opened(await place())).logKey).not.toEqual(key);
  });

  test.skipIf(skip)('counts the bytes a room stores and the bytes the whole store takes', async () => {
    const store = await opened(await place());
    const room = newRoom();
    const doc = (await store.open(room)).doc;
    const before = await store.storageBytes();
    const updates = Array.from({ length: 200 }, (_, i) => edit(doc, `line ${i} `.repeat(40)));
    await store.append(updates.map((update) => ({ room, update })));
    expect((await store.open(room)).bytes).toBe(updates.reduce((sum, u) => sum + u.byteLength, 0));
    expect(await store.storageBytes()).toBeGreaterThan(before);
  });

  test.skipIf(skip)('keeps the first secret hash registered for a room; a withdrawal takes back only its own', async () => {
    const store = await opened(await place());
    const room = newRoom();
    const [first, second] = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];
    expect(await store.secretHash(room)).toBeNull();
    expect(await store.registerSecret(room, first)).toEqual(first);
    expect(await store.registerSecret(room, second)).toEqual(first);
    await store.withdrawSecret(room, second);
    expect(await store.secretHash(room)).toEqual(first);
    await store.withdrawSecret(room, first);
    expect(await store.secretHash(room)).toBeNull();
  });

  test.skipIf(skip)(
    'rooms registered long ago that never stored a document expire, unless in use; rooms with a document never do',
    async () => {
      const store = await opened(await place());
      const [abandoned, open, written] = [newRoom(), newRoom(), newRoom()];
      for (const room of [abandoned, open, written]) await store.registerSecret(room, Buffer.alloc(32, 7));
      const doc = (await store.open(written)).doc;
      await store.append([{ room: written, update: edit(doc, 'kept') }]);
      expect(await store.expireEmpty(new Date(Date.now() - 60_000), () => false)).toBe(0);
      const later = new Date(Date.now() + 60_000);
      expect(await store.expireEmpty(later, (room) => room === open)).toBe(1);
      expect(await store.secretHash(abandoned)).toBeNull();
      for (const room of [open, written]) expect(await store.secretHash(room)).not.toBeNull();
      expect(await store.expireEmpty(later, () => false)).toBe(1);
      expect(await store.secretHash(open)).toBeNull();
      expect(await store.secretHash(written)).not.toBeNull();
    },
  );

  test.skipIf(skip)('rooms nobody has used since the expiry are deleted with their document, snapshot and log, unless in use', async () => {
    const store = await opened(await place());
    const [stale, open] = [newRoom(), newRoom()];
    for (const room of [stale, open]) {
      await store.registerSecret(room, Buffer.alloc(32, 7));
      const doc = (await store.open(room)).doc;
      await store.append([{ room, update: edit(doc, 'snapshot ') }]);
      await store.compact(room, doc);
      await store.append([{ room, update: edit(doc, 'log') }]);
    }
    expect(await store.expireUnused(new Date(Date.now() - 60_000), () => false)).toBe(0);
    expect(await store.expireUnused(new Date(Date.now() + 60_000), (room) => room === open)).toBe(1);
    expect(await store.secretHash(stale)).toBeNull();
    const reopened = await store.open(stale);
    expect([text(reopened.doc), reopened.pending, reopened.bytes]).toEqual(['', 0, 0]);
    expect(text((await store.open(open)).doc)).toBe('snapshot log');
  });

  test.skipIf(skip)('a room written since the expiry is kept, however long ago it was opened', async () => {
    const store = await opened(await place());
    const room = newRoom();
    const doc = (await store.open(room)).doc;
    // Clock steps, so that the open is before the expiry and the write after it.
    const step = () => new Promise((r) => setTimeout(r, 20));
    await step();
    const before = new Date();
    await step();
    await store.append([{ room, update: edit(doc, 'recent') }]);
    expect(await store.expireUnused(before, () => false)).toBe(0);
    expect(text((await store.open(room)).doc)).toBe('recent');
  });

  test.skipIf(skip)('a damaged log entry refuses the load, naming the room and the entry, and is left as it was', async () => {
    const where = await place();
    const store = await opened(where);
    const room = newRoom();
    const doc = (await store.open(room)).doc;
    await store.append([{ room, update: edit(doc, 'kept') }]);
    await where.damage(room, 'update');
    const failure = store.open(room);
    await expect(failure).rejects.toMatchObject({ name: 'TandemError', code: 'storage' });
    await expect(failure).rejects.toThrow(new RegExp(`could not read update #\\d+ of (document|room) ${room}`));
    await expect(failure).rejects.toThrow(/Nothing was changed.*restore the \w+ from a backup/);
    await expect(store.open(room)).rejects.toMatchObject({ code: 'storage' });
    expect(store.available()).toBe(true);
  });

  test.skipIf(skip)('a damaged snapshot refuses the load, naming the snapshot', async () => {
    const where = await place();
    const store = await opened(where);
    const room = newRoom();
    const doc = (await store.open(room)).doc;
    await store.append([{ room, update: edit(doc, 'folded') }]);
    expect(await store.compact(room, doc)).toBe(true);
    await store.append([{ room, update: edit(doc, ' logged') }]);
    await where.damage(room, 'snapshot');
    await expect(store.open(room)).rejects.toThrow(new RegExp(`could not read the snapshot of (document|room) ${room}`));
  });
});

describe.skipIf(skipPostgres)('the PostgreSQL room store shared by several relays', () => {
  test('compactions by two relays at once, while both append, lose no update', async () => {
    const where = await postgresPlace();
    const [one, two] = [await opened(where), await opened(where)];
    const room = newRoom();
    const [docOne, docTwo] = [(await one.open(room)).doc, (await two.open(room)).doc];
    const written: string[] = [];
    for (let round = 0; round < 30; round++) {
      const a = `a${round},`;
      const b = `b${round},`;
      written.push(a, b);
      await Promise.all([
        one.append([{ room, update: edit(docOne, a) }]).then(() => one.compact(room, docOne)),
        two.append([{ room, update: edit(docTwo, b) }]).then(() => two.compact(room, docTwo)),
        one.compact(room, docOne),
      ]);
    }
    const loaded = text((await one.open(room)).doc);
    for (const piece of written) expect(loaded).toContain(piece);
  });

  test('a room whose compaction lock another relay holds is left to that relay and loses nothing', async () => {
    const url = await (await postgres()).createDatabase();
    const store = await openPostgresStore({ url });
    onTestFinished(() => store.close());
    const room = newRoom();
    const doc = (await store.open(room)).doc;
    await store.append([{ room, update: edit(doc, 'one') }]);
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    onTestFinished(() => other.end());
    await other.query('begin');
    await other.query(`select pg_advisory_xact_lock(${0x544e524c}, hashtext($1))`, [room]);
    expect(await store.compact(room, doc)).toBe(false);
    expect((await store.open(room)).pending).toBe(1);
    await other.query('commit');
    expect(await store.compact(room, doc)).toBe(true);
    const loaded = await store.open(room);
    expect(loaded.pending).toBe(0);
    expect(text(loaded.doc)).toBe('one');
  });

  test('a connection the server drops in the middle of a compaction is reported, and does not end the process', async () => {
    const url = await (await postgres()).createDatabase();
    const store = await openPostgresStore({ url });
    onTestFinished(() => store.close());
    const room = newRoom();
    const doc = (await store.open(room)).doc;
    await store.append(Array.from({ length: 3000 }, (_, i) => ({ room, update: edit(doc, `${i},`) })));
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    onTestFinished(() => admin.end());
    // The room's row, locked here, holds the compaction at its write, after it has read and folded
    // the 3000 entries: its session is ended right then, as a dying server process would end it.
    // Its connection is then checked out, not idle in the pool.
    await admin.query('begin');
    expect((await admin.query('select 1 from docs where doc_id = $1 for update', [room])).rowCount).toBe(1);
    const compaction = store.compact(room, doc);
    compaction.catch(() => undefined);
    let ended = false;
    const caughtBy = Date.now() + 10_000;
    while (!ended && Date.now() < caughtBy) {
      const { rowCount } = await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
      );
      ended = (rowCount ?? 0) > 0;
    }
    await admin.query('rollback');
    expect(ended, 'the compaction was caught waiting to write').toBe(true);
    await expect(compaction).rejects.toBeInstanceOf(StoreUnavailable);
    const deadline = Date.now() + 5000;
    while (!store.available()) {
      if (Date.now() > deadline) throw new Error('the store did not find the server again');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(text((await store.open(room)).doc)).toBe(text(doc));
  });

  test('a call the server refuses as wrong is passed on as it is, and leaves the store available', async () => {
    const url = await (await postgres()).createDatabase();
    const told: boolean[] = [];
    const store = await openPostgresStore({ url, onAvailability: (available) => told.push(available) });
    onTestFinished(() => store.close());
    const failure = store.open('room\0name');
    await expect(failure).rejects.toThrow(/invalid byte sequence/);
    await expect(failure).rejects.not.toBeInstanceOf(StoreUnavailable);
    expect(store.available()).toBe(true);
    expect(told).toEqual([]);
  });

  test('a damaged room is a storage error, never unavailability, even when its name speaks of connections', async () => {
    const where = await postgresPlace();
    const store = await opened(where);
    const room = `connection timeout ${newRoom()}`;
    const doc = (await store.open(room)).doc;
    await store.append([{ room, update: edit(doc, 'kept') }]);
    await where.damage(room, 'update');
    await expect(store.open(room)).rejects.toMatchObject({ name: 'TandemError', code: 'storage' });
    expect(store.available()).toBe(true);
  });

  test('closing the store ends its connections to the server', async () => {
    const url = await (await postgres()).createDatabase();
    const store = await openPostgresStore({ url });
    await Promise.all(Array.from({ length: 3 }, () => store.open(newRoom())));
    await store.close();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    onTestFinished(() => admin.end());
    const others = async () =>
      (
        await admin.query<{ n: number }>(
          'select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
        )
      ).rows[0]!.n;
    await expect.poll(others, { timeout: 5000, interval: 20 }).toBe(0);
  });

  test('a statement the server ends while it runs is reported unavailable, writes nothing, and the server is found again', async () => {
    const url = await (await postgres()).createDatabase();
    const store = await openPostgresStore({ url });
    onTestFinished(() => store.close());
    const room = newRoom();
    const doc = (await store.open(room)).doc;
    const [locker, watcher] = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
    for (const c of [locker, watcher]) {
      await c.connect();
      onTestFinished(() => c.end());
    }
    await locker.query('begin');
    await locker.query('lock table doc_updates in access exclusive mode');
    const append = store.append([{ room, update: edit(doc, 'ended') }]);
    append.catch(() => undefined);
    // The append waits on the lock: end its session then, as an administrator or a dying server would.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { rows } = await watcher.query<{ pid: number }>(
        `select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
      );
      if (rows[0]) {
        await watcher.query('select pg_terminate_backend($1)', [rows[0].pid]);
        break;
      }
      if (Date.now() > deadline) throw new Error('the append never waited on the lock');
    }
    await expect(append).rejects.toBeInstanceOf(StoreUnavailable);
    await locker.query('rollback');
    await waitFor(() => store.available(), 'the store to find the server again');
    expect((await store.open(room)).pending).toBe(0);
  });

  test('a server out of connections for the relay is reported unavailable, not as a failed call', async () => {
    const url = await (await postgres()).createDatabase();
    const role = `relay_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    onTestFinished(() => admin.end());
    await admin.query(`create role ${role} login`);
    await admin.query(`grant all on schema public to ${role}`);
    const limited = new URL(url);
    limited.username = role;
    const store = await openPostgresStore({ url: limited.toString(), poolSize: 4 });
    onTestFinished(() => store.close());
    await admin.query(`alter role ${role} connection limit 1`);
    // Four calls at once want four connections; the server grants this role one.
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => store.open(newRoom())));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(refused.length).toBeGreaterThan(0);
    for (const error of refused) expect(error).toBeInstanceOf(StoreUnavailable);
    await admin.query(`alter role ${role} connection limit -1`);
    await waitFor(() => store.available(), 'the store to find the server again');
  });

  test('a database it cannot migrate is refused with a clear error, and no connection is left open', async () => {
    const url = await (await postgres()).createDatabase();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    onTestFinished(() => admin.end());
    await admin.query('create table docs (something int)');
    const opening = openPostgresStore({ url });
    await expect(opening).rejects.toMatchObject({ name: 'TandemError', code: 'storage' });
    await expect(opening).rejects.toThrow(/cannot use its PostgreSQL database: .*docs/);
    const others = async () =>
      (
        await admin.query<{ n: number }>(
          'select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
        )
      ).rows[0]!.n;
    await expect.poll(others, { timeout: 5000, interval: 20 }).toBe(0);
  });

  test('a stopped server is reported unavailable, once, nothing is written meanwhile, and it is found again by itself', async () => {
    const server = await postgres();
    const url = await server.createDatabase();
    const told: [boolean, string | undefined][] = [];
    const store = await openPostgresStore({ url, onAvailability: (available, error) => told.push([available, error?.message]) });
    onTestFinished(() => store.close());
    const room = newRoom();
    const doc = (await store.open(room)).doc;
    await server.stop('immediate');
    try {
      await expect(store.append([{ room, update: edit(doc, 'held') }])).rejects.toBeInstanceOf(StoreUnavailable);
      expect(store.available()).toBe(false);
      await expect(store.open(newRoom())).rejects.toBeInstanceOf(StoreUnavailable);
    } finally {
      await server.start();
    }
    const deadline = Date.now() + 10_000;
    while (!store.available()) {
      if (Date.now() > deadline) throw new Error('the store did not find the server again');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(text((await store.open(room)).doc)).toBe('');
    expect(told).toEqual([
      [false, expect.any(String)],
      [true, undefined],
    ]);
  });
});

describe('the SQLite room store', () => {
  test('creates its data directory, parents and all, and is unavailable once closed', async () => {
    const dir = tempDir();
    onTestFinished(() => dir.remove());
    const store = await openSqliteStore(join(dir.path, 'not', 'there', 'yet'), 'full');
    expect(store.available()).toBe(true);
    await store.close();
    expect(store.available()).toBe(false);
  });

  test('refuses a data directory whose relay.db belongs to another application, saying what to do', async () => {
    const dir = tempDir();
    onTestFinished(() => dir.remove());
    const other = new SQLite(join(dir.path, 'relay.db'));
    other.pragma('application_id = 1234');
    other.exec('create table notes (body text)');
    other.close();
    const opening = openSqliteStore(dir.path, 'full');
    await expect(opening).rejects.toMatchObject({ name: 'TandemError', code: 'storage' });
    await expect(opening).rejects.toThrow(/not the relay's\. The relay left it untouched\. Use another --data directory\./);
  });

  test('an append the file refuses stores nothing, and the next append stores in order after what was stored', async () => {
    const dir = tempDir();
    onTestFinished(() => dir.remove());
    let store = await openSqliteStore(dir.path, 'full');
    const room = newRoom();
    const live = (await store.open(room)).doc;
    await store.append([{ room, update: edit(live, 'one ') }]);
    const disk = new SQLite(join(dir.path, 'relay.db'));
    onTestFinished(() => {
      disk.close();
    });
    disk.exec(`create trigger full_disk before insert on doc_updates begin select raise(abort, 'disk full'); end`);
    const lost = new Y.Doc();
    Y.applyUpdate(lost, Y.encodeStateAsUpdate(live));
    await expect(store.append([{ room, update: edit(lost, 'lost ') }])).rejects.toThrow(/disk full/);
    disk.exec('drop trigger full_disk');
    await store.append([{ room, update: edit(live, 'two') }]);
    await store.close();
    store = await openSqliteStore(dir.path, 'full');
    onTestFinished(() => store.close());
    const loaded = await store.open(room);
    expect([text(loaded.doc), loaded.pending]).toEqual(['one two', 2]);
  });
});
