/**
 * The relay's store in PostgreSQL, shared by several relays: the same snapshot-plus-log documents
 * as the SQLite store, room secret hashes and the log key, migrated with kysely.
 *
 * Log entries are numbered by the database (an identity column), since several relays append to
 * one room. Compaction re-reads the room's snapshot and log inside one transaction that holds the
 * room's advisory lock (pg_try_advisory_xact_lock: one compactor per room at a time; the others
 * skip, as the holder does their work), folds them into a new snapshot and deletes exactly the
 * entries it read, so an entry committed meanwhile, even with a lower number, stays in the log.
 * A load reads snapshot and log in one statement (one MVCC snapshot): a compaction committing
 * meanwhile cannot make it miss entries.
 *
 * Expiry across relays. A room is expired when its `updated_at` (set by every load and write) is
 * older than the expiry, but a relay may hold a room in memory for far longer without writing
 * (people only reading it): another relay's sweep must not delete it under them. So each store
 * marks the rooms its relay holds (loaded and not yet released) as used every `heartbeatMs`, one
 * statement for all of them, and the sweep deletes a room only if it is still stale in the same
 * statement that deletes it (the row lock orders it against a concurrent mark or load). Marking the
 * rooms held beats keeping a table of which relay holds what: a relay that dies simply stops
 * marking, and nothing needs cleaning up after it. Its cost is one UPDATE per interval (a quarter
 * of the shorter expiry, at most ten minutes) however many rooms are held.
 *
 * Connection failures become StoreUnavailable and mark the store unavailable until a probe
 * reaches the server again; commits are durable with PostgreSQL's default synchronous_commit.
 */
import { randomBytes } from 'node:crypto';
import { Kysely, Migrator, PostgresDialect, sql, type Migration } from 'kysely';
import pg from 'pg';
import * as Y from 'yjs';
import { TandemError } from '../../src/shared/errors.js';
import { replayStored } from '../../src/node/docstore/update-log.js';
import { StoreUnavailable, type RoomStore, type RoomUpdate, type StoredRoom } from './room-store.js';

export const postgresMigrations: Record<string, Migration> = {
  '0001_rooms_and_documents': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('docs')
        .addColumn('doc_id', 'text', (c) => c.primaryKey())
        .addColumn('snapshot', 'bytea')
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('doc_updates')
        .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
        .addColumn('doc_id', 'text', (c) => c.notNull())
        .addColumn('update', 'bytea', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('doc_updates_by_doc').on('doc_updates').columns(['doc_id', 'id']).execute();
      await db.schema
        .createTable('rooms')
        .addColumn('room', 'text', (c) => c.primaryKey())
        .addColumn('secret_hash', 'bytea', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('relay_secrets')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'bytea', (c) => c.notNull())
        .execute();
    },
  },
};

/** The first key of every room's advisory lock ('TNRL'), so the relay's locks stay apart from anyone else's in the database. */
const LOCK_SPACE = 0x544e524c;
/** How often an unavailable store tries the server again. */
const PROBE_MS = 250;
/** How often an available store checks the server still answers, so /readyz tells the truth in a quiet relay too. */
const HEALTH_MS = 2000;

/** SQLSTATE classes that mean the server went away or is not accepting work yet, rather than that the call was wrong. */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-3]|53300)/;

function isUnavailable(error: unknown): boolean {
  if (error instanceof pg.DatabaseError) return UNAVAILABLE_SQLSTATE.test(error.code ?? '');
  if (!(error instanceof Error) || error instanceof TandemError) return false;
  // Socket errors (ECONNREFUSED, ECONNRESET…), and the pool's and client's own connection failures.
  const code = (error as NodeJS.ErrnoException).code;
  return (typeof code === 'string' && /^E[A-Z0-9_]+$/.test(code)) || /connection|connect|terminated|timeout/i.test(error.message);
}

const bytes = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

interface Entry {
  id: string;
  data: Buffer | null;
}

export interface PostgresStoreOptions {
  url: string;
  /** Connections kept to the server. */
  poolSize?: number;
  /** Told when the server becomes unreachable or reachable again. */
  onAvailability?(available: boolean, error?: Error): void;
  /** How often the rooms held here are marked used (see the module's doc); well inside the shortest expiry. */
  heartbeatMs?: number;
}

export async function openPostgresStore(options: PostgresStoreOptions): Promise<RoomStore> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 3000,
    // A server that stops answering must not hold a commit, and the clients waiting on it, forever.
    query_timeout: 15_000,
    keepAlive: true,
  });
  let up = true;
  let probe: NodeJS.Timeout | null = null;
  let closed = false;
  const markDown = (error: Error) => {
    if (up) options.onAvailability?.(false, error);
    up = false;
    if (probe || closed) return;
    probe = setInterval(() => {
      pool.query('select 1').then(markUp, () => undefined);
    }, PROBE_MS);
    probe.unref();
  };
  const markUp = () => {
    if (probe) clearInterval(probe);
    probe = null;
    if (!up) options.onAvailability?.(true);
    up = true;
  };
  // A connection the server drops reports it as an 'error' event; unhandled, that would end the
  // process. The pool listens only while a connection is idle, so each also gets a listener of its
  // own for while it is checked out between two statements of a transaction.
  pool.on('error', (error) => markDown(error));
  pool.on('connect', (client) => client.on('error', (error) => markDown(error)));
  const health = setInterval(() => {
    if (up) pool.query('select 1').catch((error: Error) => isUnavailable(error) && markDown(error));
  }, HEALTH_MS);
  health.unref();
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });

  /** Runs a call, turning connection failures into StoreUnavailable. */
  const run = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      const result = await call();
      markUp();
      return result;
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      markDown(error as Error);
      throw new StoreUnavailable(`PostgreSQL cannot be reached: ${(error as Error).message}`);
    }
  };

  const where = (room: string) => `room ${room} in PostgreSQL`;
  const replay = (room: string, entries: Entry[]) =>
    replayStored(
      room,
      entries.filter((e) => e.data).map((e) => ({ where: e.id === '0' ? 'the snapshot' : `update #${e.id}`, update: e.data! })),
      null,
      (entry, error) =>
        new TandemError(
          'storage',
          `the relay could not read ${entry} of ${where(room)} (${error.message}). Nothing was changed; ` +
            'restore the database from a backup, or delete the room so its clients recreate it.',
        ),
    );

  try {
    const migrated = await new Migrator({ db, provider: { getMigrations: async () => postgresMigrations } }).migrateToLatest();
    if (migrated.error) throw migrated.error;
  } catch (error) {
    await db.destroy();
    throw new TandemError('storage', `the relay cannot use its PostgreSQL database: ${(error as Error).message}`);
  }
  await sql`insert into relay_secrets (name, value) values ('log_key', ${randomBytes(32)}) on conflict (name) do nothing`.execute(db);
  const logKey = (await sql<{ value: Buffer }>`select value from relay_secrets where name = 'log_key'`.execute(db)).rows[0]!.value;

  /** Deletes the rooms unless in use here, or used since `before` by any relay (loaded, written, or marked held). */
  const expire = async (rooms: string[], before: Date, inUse: (room: string) => boolean) => {
    const candidates = rooms.filter((room) => !inUse(room));
    if (candidates.length === 0) return 0;
    return db.transaction().execute(async (trx) => {
      await sql`delete from docs where doc_id = any(${candidates}) and updated_at < ${before}`.execute(trx);
      const kept = await sql<{ room: string }>`select doc_id as room from docs where doc_id = any(${candidates})`.execute(trx);
      const gone = candidates.filter((room) => !kept.rows.some((r) => r.room === room));
      await sql`delete from rooms where room = any(${gone})`.execute(trx);
      await sql`delete from doc_updates where doc_id = any(${gone})`.execute(trx);
      return gone.length;
    });
  };
  /** The rooms loaded here and not yet released, which the heartbeat marks used. */
  const held = new Set<string>();
  const heartbeat =
    options.heartbeatMs === undefined
      ? null
      : setInterval(() => {
          if (!up || held.size === 0) return;
          sql`update docs set updated_at = now() where doc_id = any(${[...held]})`.execute(db).catch((error: Error) => {
            if (isUnavailable(error)) markDown(error);
          });
        }, options.heartbeatMs);
  heartbeat?.unref();

  return {
    kind: 'postgres',
    shared: true,
    logKey,
    available: () => up,
    open: (room: string) =>
      run(async (): Promise<StoredRoom> => {
        const { rows } = await sql<Entry>`
          with doc as (
            insert into docs (doc_id) values (${room})
            on conflict (doc_id) do update set updated_at = now()
            returning snapshot
          )
          select 0::bigint as id, snapshot as data from doc
          union all
          select id, "update" from doc_updates where doc_id = ${room}
          order by id`.execute(db);
        const doc = replay(room, rows);
        held.add(room);
        return {
          doc,
          pending: rows.length - 1,
          bytes: rows.reduce((sum, r) => sum + (r.data?.byteLength ?? 0), 0),
        };
      }),
    append: (updates: readonly RoomUpdate[]) =>
      run(async () => {
        if (updates.length === 0) return;
        const rooms = updates.map((u) => u.room);
        // One statement, so one transaction and one commit for every room's updates.
        await sql`
          with added as (
            insert into doc_updates (doc_id, "update")
            select * from unnest(${rooms}::text[], ${updates.map((u) => bytes(u.update))}::bytea[])
          )
          update docs set updated_at = now() where doc_id = any(${[...new Set(rooms)]}::text[])`.execute(db);
      }),
    compact: (room: string) =>
      run(() =>
        db.transaction().execute(async (trx) => {
          const lock = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${LOCK_SPACE}, hashtext(${room})) as locked`.execute(
            trx,
          );
          if (!lock.rows[0]!.locked) return false;
          const { rows } = await sql<Entry>`
            select 0::bigint as id, snapshot as data from docs where doc_id = ${room}
            union all
            select id, "update" from doc_updates where doc_id = ${room}
            order by id`.execute(trx);
          const folded = rows.filter((r) => r.id !== '0').map((r) => r.id);
          if (folded.length === 0) return true;
          const doc = replay(room, rows);
          const snapshot = Y.encodeStateAsUpdate(doc);
          doc.destroy();
          await sql`update docs set snapshot = ${bytes(snapshot)} where doc_id = ${room}`.execute(trx);
          await sql`delete from doc_updates where doc_id = ${room} and id = any(${folded}::bigint[])`.execute(trx);
          return true;
        }),
      ),
    release: (room: string) => void held.delete(room),
    secretHash: (room: string) =>
      run(async () => {
        const { rows } = await sql<{ secret_hash: Buffer }>`select secret_hash from rooms where room = ${room}`.execute(db);
        return rows[0]?.secret_hash ?? null;
      }),
    registerSecret: (room: string, hash: Buffer) =>
      run(async () => {
        await sql`insert into rooms (room, secret_hash) values (${room}, ${hash}) on conflict (room) do nothing`.execute(db);
        const { rows } = await sql<{ secret_hash: Buffer }>`select secret_hash from rooms where room = ${room}`.execute(db);
        return rows[0]!.secret_hash;
      }),
    withdrawSecret: (room: string, hash: Buffer) =>
      run(async () => {
        await sql`delete from rooms where room = ${room} and secret_hash = ${hash}`.execute(db);
      }),
    expireEmpty: (before: Date, inUse: (room: string) => boolean) =>
      run(async () => {
        // Another relay may hold the room open without writing: a document opened since `before` keeps it.
        const { rows } = await sql<{ room: string }>`
          select room from rooms r where created_at < ${before}
            and not exists (select 1 from doc_updates u where u.doc_id = r.room)
            and not exists (select 1 from docs d where d.doc_id = r.room and (d.snapshot is not null or d.updated_at >= ${before}))`.execute(
          db,
        );
        return expire(
          rows.map((r) => r.room),
          before,
          inUse,
        );
      }),
    expireUnused: (before: Date, inUse: (room: string) => boolean) =>
      run(async () => {
        const { rows } = await sql<{ room: string }>`select doc_id as room from docs where updated_at < ${before}`.execute(db);
        return expire(
          rows.map((r) => r.room),
          before,
          inUse,
        );
      }),
    storageBytes: () =>
      run(async () => Number((await sql<{ size: string }>`select pg_database_size(current_database()) as size`.execute(db)).rows[0]!.size)),
    async close() {
      closed = true;
      clearInterval(health);
      if (heartbeat) clearInterval(heartbeat);
      if (probe) clearInterval(probe);
      await db.destroy();
    },
  };
}
