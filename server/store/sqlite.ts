/**
 * The relay's own SQLite file, DIR/relay.db: room documents (the project's shared UpdateLog
 * tables), room credentials and the key that names rooms in logs, migrated with kysely. WAL,
 * with the fsync policy of config.ts (synchronous=FULL unless the operator asks for NORMAL).
 * One relay process owns the file, so the room's log sequence is kept here, in memory.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type SQLite from 'better-sqlite3';
import type { Kysely, Migration } from 'kysely';
import type * as Y from 'yjs';
import { openSqliteFile } from '../../src/node/sqlite-file.js';
import { createDocTables } from '../../src/node/docstore/tables.js';
import { UpdateLog } from '../../src/node/docstore/update-log.js';
import type { RoomStore, RoomUpdate, StoredRoom } from './room-store.js';

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

export interface SqliteRoomStore extends RoomStore {
  file: string;
  sqlite: SQLite.Database;
}

function logKey(sqlite: SQLite.Database): Buffer {
  sqlite.prepare(`insert into relay_secrets (name, value) values ('log_key', ?) on conflict (name) do nothing`).run(randomBytes(32));
  return (sqlite.prepare(`select value from relay_secrets where name = 'log_key'`).get() as { value: Buffer }).value;
}

export async function openSqliteStore(dataDir: string, synchronous: 'full' | 'normal'): Promise<SqliteRoomStore> {
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
  // A room that never stored a document: no update rows and no snapshot.
  const unused = sqlite.prepare<[string], { room: string }>(
    `select room from rooms where created_at < ? and room not in (select doc_id from doc_updates)
       and room not in (select doc_id from docs where snapshot is not null)`,
  );
  const stale = sqlite.prepare<[string], { room: string }>('select doc_id as room from docs where updated_at < ?');
  const forgetRoom = sqlite.prepare<[string]>('delete from rooms where room = ?');
  const forgetDoc = sqlite.prepare<[string]>('delete from docs where doc_id = ?');
  const forgetUpdates = sqlite.prepare<[string]>('delete from doc_updates where doc_id = ?');
  const forget = sqlite.transaction((rooms: string[]) => {
    for (const room of rooms) {
      forgetRoom.run(room);
      forgetDoc.run(room);
      forgetUpdates.run(room);
    }
  });
  const expire = (rows: { room: string }[], inUse: (room: string) => boolean) => {
    const rooms = rows.map((r) => r.room).filter((room) => !inUse(room));
    forget(rooms);
    return rooms.length;
  };
  // The calls below run synchronously: an async function turns their throws into rejections.
  return {
    kind: 'sqlite',
    shared: false,
    file,
    sqlite,
    logKey: logKey(sqlite),
    available: () => sqlite.open,
    async open(room: string): Promise<StoredRoom> {
      if (!log.exists(room)) log.create(room, ROOM_DOC_KIND);
      const { doc, seq, pending } = log.load(room);
      log.touch(room);
      seqs.set(room, seq);
      return { doc, pending, bytes: log.storedBytes(room) };
    },
    async append(updates: readonly RoomUpdate[]) {
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
    async compact(room: string, doc: Y.Doc) {
      const seq = seqs.get(room);
      if (seq !== undefined) log.compact(room, doc, seq);
      return true;
    },
    release: (room: string) => void seqs.delete(room),
    secretHash: async (room: string) => selectSecret.get(room)?.secret_hash ?? null,
    async registerSecret(room: string, hash: Buffer) {
      insertSecret.run(room, hash, new Date().toISOString());
      return selectSecret.get(room)!.secret_hash;
    },
    withdrawSecret: async (room: string, hash: Buffer) => void deleteSecret.run(room, hash),
    expireEmpty: async (before, inUse) => expire(unused.all(before.toISOString()), inUse),
    expireUnused: async (before, inUse) => expire(stale.all(before.toISOString()), inUse),
    // relay.db and its write-ahead log, which holds recent commits until a checkpoint.
    storageBytes: async () => [file, `${file}-wal`].reduce((sum, f) => sum + (statSync(f, { throwIfNoEntry: false })?.size ?? 0), 0),
    close,
  };
}
