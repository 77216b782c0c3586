/**
 * The relay's own SQLite file, DIR/relay.db: room documents (the project's shared UpdateLog
 * tables), room credentials and the key that names rooms in logs, migrated with kysely. WAL,
 * with the fsync policy of config.ts (synchronous=FULL unless the operator asks for NORMAL).
 * One relay process owns the file, so the room's log sequence is kept here, in memory.
 *
 * better-sqlite3 is synchronous: these calls run on the store's own thread (sqlite-thread.ts),
 * which makes them the relay's RoomStore. Everything here therefore speaks in bytes and plain
 * values that cross between threads: a room's document leaves as its encoded state and a
 * compaction arrives as one.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type SQLite from 'better-sqlite3';
import type { Kysely, Migration } from 'kysely';
import * as Y from 'yjs';
import { openSqliteFile } from '../../src/node/sqlite-file.js';
import { createDocTables } from '../../src/node/docstore/tables.js';
import { UpdateLog } from '../../src/node/docstore/update-log.js';
import type { RoomUpdate } from './room-store.js';

/** 'TNRL' in the SQLite header marks the file as a Tandem relay database. */
const APPLICATION_ID = 0x544e524c;
const ROOM_DOC_KIND = 'relay-room';

export const migrations: Record<string, Migration> = {
  '0001_rooms_and_documents': {
    async up(db: Kysely<unknown>) {
      await createDocTables(db);
      await db.schema
        .createTable('rooms')
        .addColumn('room', 'text', (c) => c.primaryKey())
        .addColumn('secret_hash', 'blob', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0002_log_key': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('relay_secrets')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'blob', (c) => c.notNull())
        .execute();
    },
  },
};

/** Rooms that never stored a document, and rooms nobody has used for long: what expiry may delete. */
export type Expiry = 'empty' | 'unused';

export interface SqliteRooms {
  file: string;
  logKey: Buffer;
  /** A room's document as its encoded state (the room is created empty if it has none), marked used now. */
  open(room: string): { state: Uint8Array; pending: number; bytes: number };
  append(updates: readonly RoomUpdate[]): void;
  /** Folds the room's log, as far as it has been appended, into `snapshot`: the state of a document holding all of it. */
  compact(room: string, snapshot: Uint8Array): void;
  release(room: string): void;
  secretHash(room: string): Buffer | null;
  registerSecret(room: string, hash: Buffer): Buffer;
  withdrawSecret(room: string, hash: Buffer): void;
  /** The rooms `expiry` would delete given `before` (an ISO time). */
  expirable(expiry: Expiry, before: string): string[];
  /** Deletes those of `rooms` that `expiry` still finds expirable, in one transaction; returns how many. */
  forget(expiry: Expiry, before: string, rooms: readonly string[]): number;
  /** Bytes relay.db and its write-ahead log take. */
  storageBytes(): number;
  close(): Promise<void>;
}

function logKey(sqlite: SQLite.Database): Buffer {
  sqlite.prepare(`insert into relay_secrets (name, value) values ('log_key', ?) on conflict (name) do nothing`).run(randomBytes(32));
  return (sqlite.prepare(`select value from relay_secrets where name = 'log_key'`).get() as { value: Buffer }).value;
}

export async function openSqliteRooms(dataDir: string, synchronous: 'full' | 'normal'): Promise<SqliteRooms> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const { file, sqlite, close } = await openSqliteFile<unknown>({
    file: join(dataDir, 'relay.db'),
    applicationId: APPLICATION_ID,
    owner: 'the relay',
    advice: 'The relay left it untouched. Use another --data directory.',
    synchronous,
    migrations,
  });
  const log = new UpdateLog(sqlite, file);
  /** The last log sequence number of each loaded room. */
  const seqs = new Map<string, number>();
  const insertSecret = sqlite.prepare<[string, Buffer, string]>(
    'insert into rooms (room, secret_hash, created_at) values (?, ?, ?) on conflict (room) do nothing',
  );
  const selectSecret = sqlite.prepare<[string], { secret_hash: Buffer }>('select secret_hash from rooms where room = ?');
  const deleteSecret = sqlite.prepare<[string, Buffer]>('delete from rooms where room = ? and secret_hash = ?');
  const expirable: Record<Expiry, SQLite.Statement<[string], { room: string }>> = {
    // A room that never stored a document: no update rows and no snapshot.
    empty: sqlite.prepare(
      `select room from rooms where created_at < ? and room not in (select doc_id from doc_updates)
         and room not in (select doc_id from docs where snapshot is not null)`,
    ),
    unused: sqlite.prepare('select doc_id as room from docs where updated_at < ?'),
  };
  const forgetRoom = sqlite.prepare<[string]>('delete from rooms where room = ?');
  const forgetDoc = sqlite.prepare<[string]>('delete from docs where doc_id = ?');
  const forgetUpdates = sqlite.prepare<[string]>('delete from doc_updates where doc_id = ?');
  // The rooms were chosen a thread away, a moment ago: one that has since been written or used stays.
  const forget = sqlite.transaction((expiry: Expiry, before: string, rooms: readonly string[]) => {
    const still = new Set(expirable[expiry].all(before).map((r) => r.room));
    const gone = rooms.filter((room) => still.has(room));
    for (const room of gone) {
      forgetRoom.run(room);
      forgetDoc.run(room);
      forgetUpdates.run(room);
    }
    return gone.length;
  });
  return {
    file,
    logKey: logKey(sqlite),
    open(room) {
      if (!log.exists(room)) log.create(room, ROOM_DOC_KIND);
      const { doc, seq, pending, state } = log.load(room);
      log.touch(room);
      seqs.set(room, seq);
      const encoded = state ?? Y.encodeStateAsUpdate(doc);
      doc.destroy();
      return { state: encoded, pending, bytes: log.storedBytes(room) };
    },
    append(updates) {
      const before = new Map(updates.map(({ room }) => [room, seqs.get(room) ?? 0]));
      const rows = updates.map(({ room, update }) => {
        const seq = (seqs.get(room) ?? 0) + 1;
        seqs.set(room, seq);
        return { docId: room, seq, update };
      });
      try {
        log.appendMany(rows);
      } catch (error) {
        for (const [room, seq] of before) seqs.set(room, seq);
        throw error;
      }
    },
    compact(room, snapshot) {
      const seq = seqs.get(room);
      if (seq !== undefined) log.fold(room, snapshot, seq);
    },
    release: (room) => void seqs.delete(room),
    secretHash: (room) => selectSecret.get(room)?.secret_hash ?? null,
    registerSecret(room, hash) {
      insertSecret.run(room, hash, new Date().toISOString());
      return selectSecret.get(room)!.secret_hash;
    },
    withdrawSecret: (room, hash) => void deleteSecret.run(room, hash),
    expirable: (expiry, before) => expirable[expiry].all(before).map((r) => r.room),
    forget: (expiry, before, rooms) => forget(expiry, before, rooms),
    storageBytes: () => [file, `${file}-wal`].reduce((sum, f) => sum + (statSync(f, { throwIfNoEntry: false })?.size ?? 0), 0),
    close,
  };
}
