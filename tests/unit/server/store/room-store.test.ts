/**
 * One suite for both room stores, SQLite and PostgreSQL (a real server started for the file), plus
 * what only a store shared by several relays must do: compactions from two relays at once lose
 * nothing, and an unreachable server is reported as such and found again.
 */
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest';
import { openPostgresStore } from '../../../../server/store/postgres.js';
import { StoreUnavailable, type RoomStore } from '../../../../server/store/room-store.js';
import { openSqliteStore } from '../../../../server/store/sqlite-thread.js';
import { newRoom, tempDir } from '../helpers.js';
import { postgresSkipReason, startPostgres, type PostgresServer } from '../postgres-server.js';

const skipPostgres = postgresSkipReason();
if (skipPostgres) console.warn(`PostgreSQL store tests skipped: ${skipPostgres}`);
let server: PostgresServer | null = null;

beforeAll(async () => {
  if (!skipPostgres) server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.destroy();
});

/** A place for one store, reopened as often as a test likes, and a way to write a damaged log entry behind its back. */
interface Place {
  open(): Promise<RoomStore>;
  damage(room: string): Promise<void>;
}

async function sqlitePlace(): Promise<Place> {
  const dir = tempDir();
  onTestFinished(() => dir.remove());
  return {
    open: () => openSqliteStore(dir.path, 'normal'),
    async damage(room) {
      const db = new SQLite(join(dir.path, 'relay.db'));
      db.prepare('insert into doc_updates (doc_id, seq, "update") values (?, 1000, ?)').run(room, Buffer.from([1, 2, 3]));
      db.close();
    },
  };
}

async function postgresPlace(): Promise<Place> {
  const url = await server!.createDatabase();
  return {
    open: () => openPostgresStore({ url }),
    async damage(room) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query('insert into doc_updates (doc_id, "update") values ($1, $2)', [room, Buffer.from([1, 2, 3])]);
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

  test.skipIf(skip)('rooms nobody has used since the expiry are deleted with their document, unless in use', async () => {
    const store = await opened(await place());
    const [stale, open] = [newRoom(), newRoom()];
    for (const room of [stale, open]) {
      await store.registerSecret(room, Buffer.alloc(32, 7));
      const doc = (await store.open(room)).doc;
      await store.append([{ room, update: edit(doc, 'text') }]);
    }
    expect(await store.expireUnused(new Date(Date.now() - 60_000), () => false)).toBe(0);
    expect(await store.expireUnused(new Date(Date.now() + 60_000), (room) => room === open)).toBe(1);
    expect(await store.secretHash(stale)).toBeNull();
    expect(text((await store.open(stale)).doc)).toBe('');
    expect(text((await store.open(open)).doc)).toBe('text');
  });

  test.skipIf(skip)('a damaged log entry refuses the load, naming the room and the entry, and is left as it was', async () => {
    const where = await place();
    const store = await opened(where);
    const room = newRoom();
    const doc = (await store.open(room)).doc;
    await store.append([{ room, update: edit(doc, 'kept') }]);
    await where.damage(room);
    const failure = store.open(room);
    await expect(failure).rejects.toMatchObject({ name: 'TandemError', code: 'storage' });
    await expect(failure).rejects.toThrow(new RegExp(`could not read update #\\d+ of (document|room) ${room}`));
    await expect(store.open(room)).rejects.toMatchObject({ code: 'storage' });
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
    const url = await server!.createDatabase();
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

  test('a connection the server drops between two statements of a compaction is reported, and does not end the process', async () => {
    const url = await server!.createDatabase();
    const store = await openPostgresStore({ url });
    onTestFinished(() => store.close());
    const room = newRoom();
    const doc = (await store.open(room)).doc;
    await store.append(Array.from({ length: 3000 }, (_, i) => ({ room, update: edit(doc, `${i},`) })));
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    onTestFinished(() => admin.end());
    // The compaction folds 3000 entries between its read and its write: end its session right then,
    // as a dying server process would. Its connection is then checked out, not idle in the pool.
    const compaction = store.compact(room, doc);
    let settled = false;
    compaction.then(
      () => (settled = true),
      () => (settled = true),
    );
    let ended = false;
    while (!ended && !settled) {
      const { rowCount } = await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and state = 'idle in transaction' and pid <> pg_backend_pid()`,
      );
      ended = (rowCount ?? 0) > 0;
    }
    expect(ended, 'the compaction was caught between two statements').toBe(true);
    await expect(compaction).rejects.toBeInstanceOf(StoreUnavailable);
    const deadline = Date.now() + 5000;
    while (!store.available()) {
      if (Date.now() > deadline) throw new Error('the store did not find the server again');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(text((await store.open(room)).doc)).toBe(text(doc));
  });

  test('a stopped server is reported unavailable, nothing is written meanwhile, and it is found again by itself', async () => {
    const url = await server!.createDatabase();
    const store = await openPostgresStore({ url });
    onTestFinished(() => store.close());
    const room = newRoom();
    const doc = (await store.open(room)).doc;
    await server!.stop('immediate');
    try {
      await expect(store.append([{ room, update: edit(doc, 'held') }])).rejects.toBeInstanceOf(StoreUnavailable);
      expect(store.available()).toBe(false);
      await expect(store.open(newRoom())).rejects.toBeInstanceOf(StoreUnavailable);
    } finally {
      await server!.start();
    }
    const deadline = Date.now() + 10_000;
    while (!store.available()) {
      if (Date.now() > deadline) throw new Error('the store did not find the server again');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(text((await store.open(room)).doc)).toBe('');
  });
});
