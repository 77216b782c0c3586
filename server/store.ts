/**
 * The relay's own SQLite file, DIR/relay.db: room documents (the project's shared UpdateLog
 * tables) and room credentials, migrated with kysely. WAL, with the fsync policy of config.ts
 * (synchronous=NORMAL unless the operator asks for FULL).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import { createDocTables } from '../src/shared/docstore/tables.js';
import { UpdateLog } from '../src/shared/docstore/update-log.js';

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

function claimFile(sqlite: SQLite.Database, file: string): void {
  const appId = sqlite.pragma('application_id', { simple: true }) as number;
  if (appId === APPLICATION_ID) return;
  const tables = (sqlite.prepare('select count(*) as n from sqlite_schema').get() as { n: number }).n;
  if (appId !== 0 || tables > 0) {
    throw new Error(`${file} belongs to another application; the relay left it untouched. Use another --data directory.`);
  }
  sqlite.pragma(`application_id = ${APPLICATION_ID}`);
}

async function migrate(db: Kysely<unknown>): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`relay database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function openRelayStore(dataDir: string, synchronous: 'full' | 'normal'): Promise<RelayStore> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'relay.db');
  const sqlite = new SQLite(file);
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    claimFile(sqlite, file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    await migrate(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { file, sqlite, updateLog: new UpdateLog(sqlite, file), close: () => db.destroy() };
}
