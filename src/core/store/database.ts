/**
 * Opens Tandem's SQLite file (better-sqlite3 for the engine, kysely for typed queries and
 * migrations) through the claim-and-migrate helper the relay uses too. Anything wrong with the file
 * becomes one TandemError that names it and says what to do.
 */
import { checkIntegrity, openSqliteFile, type SqliteFile, type SqliteFileOptions } from '../../node/sqlite-file.js';
import { migrations } from './migrations.js';
import type { Database } from './schema.js';

/** 'TNDM' in the SQLite header's application_id field marks the file as Tandem's. */
export const APPLICATION_ID = 0x544e444d;

export type Store = SqliteFile<Database>;

const MOVE_ASIDE =
  'Tandem left it untouched. Move it aside (or restore it from a backup), or start Tandem with another data directory (--data-dir or TANDEM_DATA_DIR).';

/** Found after opening, while Tandem runs on the file. */
const DAMAGED_WHILE_RUNNING =
  'Tandem goes on with what it can read and keeps no daily backup of it. Quit Tandem, then move it aside (or restore it from a backup), or start Tandem with another data directory (--data-dir or TANDEM_DATA_DIR).';

const storeOptions = (file: string, nativeBinding?: string, advice = MOVE_ASIDE): SqliteFileOptions => ({
  file,
  applicationId: APPLICATION_ID,
  owner: 'Tandem',
  advice,
  // FULL makes a reported save survive power loss: this file may hold the only copy.
  synchronous: 'full',
  migrations,
  ...(nativeBinding ? { nativeBinding } : {}),
});

/**
 * Opens the store, by default without reading every page first: the app's first list waits for
 * that no more (checkStore, once it has gone out). A command that opens the store for one job checks at opening.
 */
export function openStore(file: string, nativeBinding?: string, checkAtOpen = false): Promise<Store> {
  return openSqliteFile<Database>({ ...storeOptions(file, nativeBinding), checkAtOpen });
}

/** SQLite's quick_check of an open store, on a thread of its own: null when sound, else what is wrong and what to do. */
export function checkStore(store: Store, nativeBinding?: string): Promise<string | null> {
  return checkIntegrity(storeOptions(store.file, nativeBinding, DAMAGED_WHILE_RUNNING), store.sqlite);
}
