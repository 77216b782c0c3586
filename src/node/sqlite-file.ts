/**
 * Claims and migrates a SQLite file for one owner (the app's tandem.db, the relay's relay.db).
 * Nothing on disk changes before the file is known to be the owner's: an empty file is marked
 * with the owner's application_id, a file marked for anyone else is refused by name. Every failure
 * is one TandemError('storage') naming the file and ending with the owner's advice.
 */
import { chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
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
  /**
   * Run SQLite's quick_check before the file is used (default). It reads every page (about 0.2 s
   * of CPU for 90 MB): an owner that must answer sooner passes false and calls checkIntegrity later.
   */
  checkAtOpen?: boolean;
}

export interface SqliteFile<DB> {
  file: string;
  sqlite: SQLite.Database;
  db: Kysely<DB>;
  close(): Promise<void>;
}

/** quick_check's first row, or why the check could not read the file. */
type Verdict = { result: unknown } | { failed: string };

/** The verdict as a sentence naming the file and what to do; null when the file is sound. */
function damage(options: Pick<SqliteFileOptions, 'file' | 'advice'>, verdict: Verdict): string | null {
  if ('failed' in verdict) return `${options.file} is not a readable database (${verdict.failed}). ${options.advice}`;
  return verdict.result === 'ok' ? null : `${options.file} is damaged (SQLite quick_check: ${String(verdict.result)}). ${options.advice}`;
}

function quickCheck(sqlite: SQLite.Database): Verdict {
  try {
    return { result: sqlite.pragma('quick_check', { simple: true }) };
  } catch (error) {
    return { failed: (error as Error).message };
  }
}

/** A script, so the thread needs no file of its own beside a bundle: it is given better-sqlite3's resolved path. */
const QUICK_CHECK_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.module);
let verdict;
try {
  const db = new SQLite(workerData.file, { readonly: true, fileMustExist: true, ...workerData.options });
  try {
    verdict = { result: db.pragma('quick_check', { simple: true }) };
  } finally {
    db.close();
  }
} catch (error) {
  verdict = { failed: error.message };
}
parentPort.postMessage(verdict);
`;

/**
 * SQLite's quick_check of a file opened with `checkAtOpen: false`, on a thread of its own with a
 * read-only connection, so the event loop keeps answering while every page is read. Resolves with
 * null when the file is sound, else with a sentence naming the file and what to do. Where the
 * thread cannot run (whether Electron's threads load better-sqlite3 from a packaged app cannot be
 * tried here), the check runs on `sqlite`, the caller's connection: it happens either way.
 * `sqliteModule`: what the thread loads as better-sqlite3.
 */
export function checkIntegrity(
  options: SqliteFileOptions,
  sqlite: SQLite.Database,
  sqliteModule = createRequire(import.meta.url).resolve('better-sqlite3'),
): Promise<string | null> {
  return new Promise<Verdict>((resolve, reject) => {
    const thread = new Worker(QUICK_CHECK_THREAD, {
      eval: true,
      workerData: {
        module: sqliteModule,
        file: options.file,
        options: options.nativeBinding ? { nativeBinding: options.nativeBinding } : {},
      },
    });
    thread.once('message', resolve);
    thread.once('error', reject);
    thread.once('exit', () => reject(new Error('the check thread ended without a verdict')));
  }).then(
    (verdict) => damage(options, verdict),
    () => damage(options, quickCheck(sqlite)),
  );
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
    if (options.checkAtOpen !== false) {
      const found = damage(options, { result: sqlite.pragma('quick_check', { simple: true }) });
      if (found) throw new TandemError('storage', found);
    }
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
