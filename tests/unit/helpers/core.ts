/**
 * Shared helpers for the core's unit tests: temp dirs cleaned after each test, a core opened on
 * one with a profile set, and raw SQLite access for checking what is really on disk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { onTestFinished } from 'vitest';
import { DATABASE_FILE, TandemCore, type CoreOptions, type CoreSession } from '../../../src/core/tandem-core.js';

/** A fresh directory, removed when the current test finishes. */
export function tempDir(prefix = 'tandem-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface OpenedCore {
  core: TandemCore;
  api: CoreSession;
  dataDir: string;
  dbFile: string;
}

/** Opens a core on `dataDir` (a new temp dir by default) and connects one session with a profile. */
export async function openCore(options: Partial<CoreOptions> = {}, profileName = 'Dana'): Promise<OpenedCore> {
  const dataDir = options.dataDir ?? tempDir();
  const core = await TandemCore.open({ projectionDebounceMs: 5, ...options, dataDir });
  const api = core.connect();
  if (!(await api.getProfile())) await api.setProfile({ name: profileName });
  return { core, api, dataDir, dbFile: join(dataDir, DATABASE_FILE) };
}

/** A raw better-sqlite3 handle on a database file, closed when the current test finishes. */
export function rawDb(file: string): SQLite.Database {
  const db = new SQLite(file);
  onTestFinished(() => {
    if (db.open) db.close();
  });
  return db;
}

export interface UpdateRow {
  doc_id: string;
  seq: number;
  update: Buffer;
}

/** Every doc_updates row of one document, in seq order. */
export function updateRows(file: string, docId: string): UpdateRow[] {
  const db = new SQLite(file, { readonly: true });
  try {
    return db.prepare('select doc_id, seq, "update" from doc_updates where doc_id = ? order by seq').all(docId) as UpdateRow[];
  } finally {
    db.close();
  }
}
