/** Damage planted in a database file, for the unit and end-to-end tests alike (no test runner here). */
import { closeSync, openSync, writeSync } from 'node:fs';
import SQLite from 'better-sqlite3';

/**
 * Breaks the header of the last page of `table` (an invalid page type) in a closed database file:
 * the file still opens, and other tables still read, but SQLite's quick_check finds it.
 */
export function damageTable(file: string, table: string): void {
  const db = new SQLite(file);
  const { pageno } = db.prepare(`select pageno from dbstat where name = ? order by pageno desc limit 1`).get(table) as { pageno: number };
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(8, 0xee), 0, 8, (pageno - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}
