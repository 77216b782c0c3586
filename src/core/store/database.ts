/**
 * Opens Tandem's SQLite file (better-sqlite3 for the engine, kysely for typed queries and
 * migrations) through the claim-and-migrate helper the relay uses too. Anything wrong with the file
 * becomes one TandemError that names it and says what to do.
 */
import { openSqliteFile, type SqliteFile } from '../../node/sqlite-file.js';
import { migrations } from './migrations.js';
import type { Database } from './schema.js';

/** 'TNDM' in the SQLite header's application_id field marks the file as Tandem's. */
export const APPLICATION_ID = 0x544e444d;

export type Store = SqliteFile<Database>;

const MOVE_ASIDE =
  'Tandem left it untouched. Move it aside (or restore it from a backup), or start Tandem with another data directory (--data-dir or TANDEM_DATA_DIR).';

export function openStore(file: string, nativeBinding?: string): Promise<Store> {
  return openSqliteFile<Database>({
    file,
    applicationId: APPLICATION_ID,
    owner: 'Tandem',
    advice: MOVE_ASIDE,
    // FULL makes a reported save survive power loss: this file may hold the only copy.
    synchronous: 'full',
    migrations,
    ...(nativeBinding ? { nativeBinding } : {}),
  });
}
