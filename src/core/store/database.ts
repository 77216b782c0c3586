/**
 * Opens Tandem's SQLite file: better-sqlite3 for the engine, kysely for typed queries and
 * migrations. Anything wrong with the file becomes one TandemError that names it and says what to
 * do, and nothing on disk is changed before the file is known to be Tandem's.
 */
import { chmodSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { TandemError } from '../../shared/api.js';
import { migrateToLatest } from './migrations.js';
import type { Database } from './schema.js';

/** 'TNDM' in the SQLite header's application_id field marks the file as Tandem's. */
export const APPLICATION_ID = 0x544e444d;

export interface Store {
  file: string;
  sqlite: SQLite.Database;
  db: Kysely<Database>;
  close(): Promise<void>;
}

const MOVE_ASIDE =
  'Tandem left it untouched. Move it aside (or restore it from a backup), or start Tandem with another data directory (--data-dir or TANDEM_DATA_DIR).';

function checkOwnership(sqlite: SQLite.Database, file: string): void {
  let appId: number;
  let tables: number;
  try {
    appId = sqlite.pragma('application_id', { simple: true }) as number;
    tables = (sqlite.prepare(`select count(*) as n from sqlite_schema`).get() as { n: number }).n;
  } catch (error) {
    throw new TandemError('storage', `${file} is not a readable database (${(error as Error).message}). ${MOVE_ASIDE}`);
  }
  if (appId === APPLICATION_ID) return;
  if (appId !== 0 || tables > 0) {
    throw new TandemError('storage', `${file} is a database of another application, not Tandem's. ${MOVE_ASIDE}`);
  }
  sqlite.pragma(`application_id = ${APPLICATION_ID}`);
}

export async function openStore(file: string, nativeBinding?: string): Promise<Store> {
  let sqlite: SQLite.Database;
  try {
    sqlite = new SQLite(file, nativeBinding ? { nativeBinding } : {});
  } catch (error) {
    throw new TandemError('storage', `Tandem cannot open its database ${file}: ${(error as Error).message}. Check that the file and its folder are writable by you.`);
  }
  try {
    checkOwnership(sqlite, file);
    // Before WAL is on, so the -wal and -shm files SQLite creates inherit the same mode: the file
    // holds room secrets and is the user's alone, whatever the folder's permissions.
    if (process.platform !== 'win32') chmodSync(file, 0o600);
    // WAL lets the UI read while a write is in flight; FULL makes a reported save survive power loss.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    const integrity = sqlite.pragma('quick_check', { simple: true });
    if (integrity !== 'ok') {
      throw new TandemError('storage', `${file} is damaged (SQLite quick_check: ${String(integrity)}). ${MOVE_ASIDE}`);
    }
  } catch (error) {
    sqlite.close();
    if (error instanceof TandemError) throw error;
    throw new TandemError('storage', `${file} is not a readable database (${(error as Error).message}). ${MOVE_ASIDE}`);
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    await migrateToLatest(db as Kysely<unknown>);
  } catch (error) {
    await db.destroy();
    throw new TandemError('storage', `Tandem could not update the schema of ${file}: ${(error as Error).message}. ${MOVE_ASIDE}`);
  }
  return { file, sqlite, db, close: () => db.destroy() };
}
