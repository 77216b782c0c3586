/**
 * The relay's own SQLite file, DIR/relay.db: room documents (the project's shared UpdateLog
 * tables), room credentials and the key that names rooms in logs, migrated with kysely. WAL,
 * with the fsync policy of config.ts (synchronous=FULL unless the operator asks for NORMAL).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type SQLite from 'better-sqlite3';
import type { Kysely, Migration } from 'kysely';
import { openSqliteFile } from '../src/node/sqlite-file.js';
import { createDocTables } from '../src/node/docstore/tables.js';
import { UpdateLog } from '../src/node/docstore/update-log.js';

/** 'TNRL' in the SQLite header marks the file as a Tandem relay database. */
const APPLICATION_ID = 0x544e524c;

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

export interface RelayStore {
  file: string;
  sqlite: SQLite.Database;
  updateLog: UpdateLog;
  /** The key of the hash that names rooms in logs; made once per database so names stay stable across restarts. */
  logKey: Buffer;
  close(): Promise<void>;
}

function logKey(sqlite: SQLite.Database): Buffer {
  sqlite.prepare(`insert into relay_secrets (name, value) values ('log_key', ?) on conflict (name) do nothing`).run(randomBytes(32));
  return (sqlite.prepare(`select value from relay_secrets where name = 'log_key'`).get() as { value: Buffer }).value;
}

export async function openRelayStore(dataDir: string, synchronous: 'full' | 'normal'): Promise<RelayStore> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const { file, sqlite, close } = await openSqliteFile<unknown>({
    file: join(dataDir, 'relay.db'),
    applicationId: APPLICATION_ID,
    owner: 'the relay',
    advice: 'The relay left it untouched. Use another --data directory.',
    synchronous,
    migrations,
  });
  return { file, sqlite, updateLog: new UpdateLog(sqlite, file), logKey: logKey(sqlite), close };
}
