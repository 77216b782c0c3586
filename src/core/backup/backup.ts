/**
 * One file holding all of Tandem's local data, to move to a new machine or keep safe: a copy of
 * tandem.db taken with SQLite's online backup API (consistent while the app keeps writing), behind
 * a manifest with a format version and the copy's size and SHA-256.
 *
 *   TANDEM-BACKUP\n
 *   {"format":1,"createdAt":"…","files":[{"name":"tandem.db","size":N,"sha256":"…"}]}\n
 *   <the N bytes of tandem.db>
 *
 * It holds everything the database holds: every 1:1, the private notes (they are the user's own,
 * and a backup without them would lose them on a new machine), the profile and the room secrets of
 * shared 1:1s (so they keep syncing after a restore). So the file is written readable by its owner
 * only. Not included: the web shell's session token, the logs and earlier backups.
 *
 * Restoring writes into an empty data directory only, and only after the whole file checks out:
 * a truncated, tampered or newer-format file is refused with one sentence and nothing changes.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import SQLite from 'better-sqlite3';
import { z } from 'zod';
import type { BackupFile, BackupList } from '../../shared/api.js';
import { TandemError } from '../../shared/errors.js';
import { APPLICATION_ID } from '../store/database.js';

export const BACKUP_FORMAT = 1;
const MAGIC = 'TANDEM-BACKUP\n';
const DB_FILE = 'tandem.db';

const Manifest = z.object({
  format: z.number().int().min(1),
  createdAt: z.string(),
  files: z
    .array(z.object({ name: z.literal(DB_FILE), size: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) }))
    .length(1),
});
export type BackupManifest = z.infer<typeof Manifest>;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function writeDurably(file: string, parts: Uint8Array[]): void {
  const partial = `${file}.partial`;
  const fd = openSync(partial, 'w', 0o600);
  try {
    for (const part of parts) writeSync(fd, part);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, file);
}

/** Writes a backup of the open database to `file` (replacing it); returns its manifest. */
export async function createBackup(sqlite: SQLite.Database, file: string, now = new Date()): Promise<BackupManifest> {
  const copy = join(dirname(file), `.${basename(file)}.db-copy`);
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    await sqlite.backup(copy);
    const bytes = readFileSync(copy);
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      createdAt: now.toISOString(),
      files: [{ name: DB_FILE, size: bytes.length, sha256: sha256(bytes) }],
    };
    writeDurably(file, [Buffer.from(MAGIC + JSON.stringify(manifest) + '\n'), bytes]);
    return manifest;
  } catch (error) {
    if (error instanceof TandemError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new TandemError('storage', `Tandem could not write the backup ${file} (${code}). Choose a place you can write to.`);
  } finally {
    // existsSync, not rmSync's force: a path under a file fails with ENOTDIR, which force does not cover.
    if (existsSync(copy)) rmSync(copy);
  }
}

const refuse = (file: string, why: string) => new TandemError('invalid-input', `${file} cannot be restored: ${why}. Nothing was changed.`);

/** Reads and checks a whole backup file; returns its manifest and the database bytes. */
export function readBackup(file: string): { manifest: BackupManifest; db: Buffer } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw refuse(file, `it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (bytes.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) throw refuse(file, 'it is not a Tandem backup');
  const end = bytes.indexOf(0x0a, MAGIC.length);
  if (end < 0) throw refuse(file, 'it is damaged (its manifest is cut off)');
  let manifest: BackupManifest;
  try {
    const raw = JSON.parse(bytes.subarray(MAGIC.length, end).toString('utf8')) as unknown;
    const format = z.object({ format: z.number() }).safeParse(raw);
    if (format.success && format.data.format > BACKUP_FORMAT) {
      throw refuse(
        file,
        `it was made by a newer Tandem (backup format ${format.data.format}; this one reads up to ${BACKUP_FORMAT}); update Tandem first`,
      );
    }
    manifest = Manifest.parse(raw);
  } catch (error) {
    if (error instanceof TandemError) throw error;
    throw refuse(file, 'it is damaged (its manifest does not read)');
  }
  const entry = manifest.files[0]!;
  const db = bytes.subarray(end + 1);
  if (db.length !== entry.size) throw refuse(file, `it is damaged (${db.length} of ${entry.size} bytes of data)`);
  if (sha256(db) !== entry.sha256) throw refuse(file, 'it is damaged (its checksum does not match)');
  return { manifest, db };
}

/** What a data directory holds that a restore would overwrite. */
function hasData(dataDir: string): boolean {
  return [DB_FILE, `${DB_FILE}-wal`].some((f) => existsSync(join(dataDir, f)));
}

/**
 * Restores a backup into `dataDir`, which must hold no Tandem data yet. The database is written
 * beside its final name, checked by SQLite (Tandem's file, integrity), then renamed into place.
 */
export function restoreBackup(file: string, dataDir: string): BackupManifest {
  const { manifest, db } = readBackup(file);
  if (hasData(dataDir)) {
    throw new TandemError(
      'invalid-input',
      `${dataDir} already holds Tandem data: restore into an empty data directory. Nothing was changed.`,
    );
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const target = join(dataDir, DB_FILE);
  const partial = `${target}.restoring`;
  try {
    writeDurably(partial, [db]);
    const check = new SQLite(partial, { readonly: true });
    try {
      if (check.pragma('application_id', { simple: true }) !== APPLICATION_ID) throw refuse(file, "the database inside is not Tandem's");
      if (check.pragma('quick_check', { simple: true }) !== 'ok') throw refuse(file, 'the database inside is damaged');
    } finally {
      check.close();
    }
    renameSync(partial, target);
  } catch (error) {
    rmSync(partial, { force: true });
    if (error instanceof TandemError) throw error;
    throw refuse(file, `the database inside does not open (${(error as Error).message})`);
  }
  return manifest;
}

export const BACKUPS_FOLDER = 'backups';
export const KEEP_DAILY = 7;
const DAILY = /^tandem-(\d{4}-\d{2}-\d{2})\.tandem-backup$/;
/** A backup the person asked for ("Backup now"), kept until they delete it. */
const MANUAL = /^tandem-(\d{4}-\d{2}-\d{2})-(\d{6})\.tandem-backup$/;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const localDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** Whether `name` is the name of a backup Tandem writes in the backups folder (daily or asked for). */
export const isBackupName = (name: string): boolean => DAILY.test(name) || MANUAL.test(name);

/** The file a backup asked for now is written to, in `<dataDir>/backups`. */
export function manualBackupFile(dataDir: string, now = new Date()): string {
  const time = `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return join(dataDir, BACKUPS_FOLDER, `tandem-${localDay(now)}-${time}.tandem-backup`);
}

/** The backups in `<dataDir>/backups`, newest first, each dated by its manifest. */
export function listBackups(dataDir: string): BackupList {
  const folder = join(dataDir, BACKUPS_FOLDER);
  const names = existsSync(folder) ? readdirSync(folder).filter(isBackupName) : [];
  const backups: BackupFile[] = [];
  for (const name of names) {
    const file = join(folder, name);
    const createdAt = manifestDate(file);
    if (createdAt) backups.push({ name, file, kind: DAILY.test(name) ? 'daily' : 'manual', createdAt, bytes: statSync(file).size });
  }
  return { folder, backups: backups.sort((a, b) => b.createdAt.localeCompare(a.createdAt)) };
}

/** When a backup file says it was made, reading its first line alone; null when that does not read. */
function manifestDate(file: string): string | null {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(4096);
    const read = readSync(fd, head, 0, head.length, 0);
    const text = head.subarray(0, read).toString('utf8');
    if (!text.startsWith(MAGIC)) return null;
    const line = text.slice(MAGIC.length, text.indexOf('\n', MAGIC.length));
    const parsed = Manifest.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data.createdAt : null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * Today's automatic backup in `<dataDir>/backups`, once a day (local date), keeping the newest
 * seven. Returns the file written, or null when today's exists.
 */
export async function dailyBackup(sqlite: SQLite.Database, dataDir: string, now = new Date()): Promise<string | null> {
  const folder = join(dataDir, BACKUPS_FOLDER);
  const file = join(folder, `tandem-${localDay(now)}.tandem-backup`);
  if (existsSync(file)) return null;
  await createBackup(sqlite, file, now);
  const daily = readdirSync(folder)
    .filter((f) => DAILY.test(f))
    .sort()
    .reverse();
  for (const old of daily.slice(KEEP_DAILY)) rmSync(join(folder, old), { force: true });
  return file;
}
