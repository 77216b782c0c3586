/**
 * Claims and migrates a SQLite file for one owner (the app's tandem.db, the relay's relay.db).
 * Nothing on disk changes before the file is known to be the owner's: an empty file is marked
 * with the owner's application_id, a file marked for anyone else is refused by name. Every failure
 * is one TandemError('storage') naming the file and ending with the owner's advice.
 */
import { chmodSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import { TandemError } from '../shared/errors.js';

export interface SqliteFileOptions {
  file: string;
  /** Four ASCII bytes in the SQLite header's application_id field. */
  applicationId: number;
  /** Who the file belongs to, for messages ("Tandem", "the relay"). */
  owner: string;
  /** What to do when the file cannot be used; appended to every error. */
  advice: string;
  synchronous: 'full' | 'normal';
  migrations: Record<string, Migration>;
  /** better-sqlite3 built for another Node ABI (Electron's); see scripts/start.mjs. */
  nativeBinding?: string;
}

export interface SqliteFile<DB> {
  file: string;
  sqlite: SQLite.Database;
  db: Kysely<DB>;
  close(): Promise<void>;
}

function claim(sqlite: SQLite.Database, options: SqliteFileOptions): void {
  let appId: number;
  let tables: number;
  try {
    appId = sqlite.pragma('application_id', { simple: true }) as number;
    tables = (sqlite.prepare('select count(*) as n from sqlite_schema').get() as { n: number }).n;
  } catch (error) {
    throw new TandemError('storage', `${options.file} is not a readable database (${(error as Error).message}). ${options.advice}`);
  }
  if (appId === options.applicationId) return;
  if (appId !== 0 || tables > 0) {
    throw new TandemError('storage', `${options.file} is a database of another application, not ${options.owner}'s. ${options.advice}`);
  }
  sqlite.pragma(`application_id = ${options.applicationId}`);
}

export async function openSqliteFile<DB>(options: SqliteFileOptions): Promise<SqliteFile<DB>> {
  const { file, advice } = options;
  let sqlite: SQLite.Database;
  try {
    sqlite = new SQLite(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (error) {
    throw new TandemError(
      'storage',
      `${options.owner} cannot open its database ${file}: ${(error as Error).message}. Check that the file and its folder are writable by you.`,
    );
  }
  try {
    claim(sqlite, options);
    // Before WAL is on, so the -wal and -shm files SQLite creates inherit the same mode: both files
    // hold room secrets and documents, readable by their owner alone whatever the folder allows.
    if (process.platform !== 'win32') chmodSync(file, 0o600);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    sqlite.pragma('foreign_keys = ON');
    const integrity = sqlite.pragma('quick_check', { simple: true });
    if (integrity !== 'ok') throw new TandemError('storage', `${file} is damaged (SQLite quick_check: ${String(integrity)}). ${advice}`);
  } catch (error) {
    sqlite.close();
    if (error instanceof TandemError) throw error;
    throw new TandemError('storage', `${file} is not a readable database (${(error as Error).message}). ${advice}`);
  }
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  const { error, results } = await new Migrator({
    db: db as Kysely<unknown>,
    provider: { getMigrations: async () => options.migrations },
  }).migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new TandemError(
      'storage',
      `${options.owner} could not update the schema of ${file} (migration ${failed}: ${error instanceof Error ? error.message : String(error)}). ${advice}`,
    );
  }
  return { file, sqlite, db, close: () => db.destroy() };
}
