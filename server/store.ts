/**
 * The relay's own SQLite file, DIR/relay.db: room documents (the project's shared UpdateLog
 * tables) and room credentials, migrated with kysely. WAL, with the fsync policy of config.ts
 * (synchronous=NORMAL unless the operator asks for FULL).
 */
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
};

export interface RelayStore {
  file: string;
  sqlite: SQLite.Database;
  updateLog: UpdateLog;
  close(): Promise<void>;
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
  return { file, sqlite, updateLog: new UpdateLog(sqlite, file), close };
}
