/**
 * The application core's composition root: opens the store, the documents, the projection and
 * sync, implements the services the operation handlers use (features/context.ts), and fans events
 * and document frames out to the connected UI sessions. What Tandem does lives in the handlers
 * (features/<feature>/handlers.ts) and the domain commands (shared/domain/commands.ts).
 */
import { statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type * as Y from 'yjs';
import type {
  BackupList,
  BackupWritten,
  ExportResult,
  Profile,
  RestoreResult,
  RelayConfig,
  ReminderNotice,
  SearchResult,
  StorageCheck,
  SyncState,
  TandemEvent,
} from '../shared/api.js';
import { joinSeries } from '../shared/domain/commands.js';
import { parseArchiveDocId } from '../shared/domain/archive.js';
import { seriesOfPrivateDoc } from '../shared/domain/private-notes.js';
import { hasMeta } from '../shared/domain/series-doc.js';
import { TandemError } from '../shared/errors.js';
import { SetProfileInput, type BackupNowInput, type ExportInput, type RestoreInput, type SearchInput } from '../shared/schemas.js';
import { DocRegistry } from '../node/docstore/doc-registry.js';
import { silentLogger, type Logger } from '../node/log.js';
import { UpdateLog } from '../node/docstore/update-log.js';
import type { CoreServices } from './features/context.js';
import { prepareDataDir } from './data-dir.js';
import { Archives, isSeriesDoc } from './history/archives.js';
import { HealthParts } from './insights/health-parts.js';
import { lockDataDir } from './data-lock.js';
import {
  BACKUPS_FOLDER,
  createBackup,
  dailyBackup,
  isBackupName,
  listBackups,
  manualBackupFile,
  restoreBackup,
  type BackupManifest,
} from './backup/backup.js';
import { Projector, storedDocuments } from './projection/projector.js';
import { searchIndex } from './projection/search-query.js';
import { exportMarkdown } from './export/markdown-export.js';
import { openSession, type CoreSession, type SessionState } from './session.js';
import { checkStore, openStore, type Store } from './store/database.js';
import { ReminderService } from './reminders/reminder-service.js';
import { PresenceHub } from './sync/presence.js';
import type { SyncTiming } from './sync/series-sync.js';
import { SyncManager } from './sync/sync-manager.js';

export type { CoreSession } from './session.js';
export { defaultFirstMeeting } from './features/series/handlers.js';

export interface CoreOptions {
  dataDir: string;
  /** Log rows per document before compaction (default 500). */
  compactAfter?: number;
  /** How long an unused document stays in memory (default 60 s). */
  idleUnloadMs?: number;
  /** Delay before changes reach the list tables (default 100 ms). */
  projectionDebounceMs?: number;
  /** The relay to share through until the user sets one (from --relay / TANDEM_RELAY_URL). */
  defaultRelay?: RelayConfig;
  /** How long joining waits for the relay to deliver the 1:1 (default 15 s). */
  joinTimeoutMs?: number;
  /** better-sqlite3 built for another Node ABI (Electron's); see scripts/start.mjs. */
  sqliteBinding?: string;
  /** Where the core logs (default: nowhere). Never given document content; see src/node/log.ts. */
  log?: Logger;
  /** The time as the core sees it (default: the system clock); tests move it. */
  clock?: () => Date;
  /** Keep a daily backup in the data dir, the newest seven (the shells turn this on). */
  autoBackup?: boolean;
  /** How long a relay has to answer the first query, and the longest pause between attempts (tests shorten them). */
  syncTiming?: SyncTiming;
  /** Connect shared 1:1s to their relays (default true; the command line does not). */
  sync?: boolean;
  /**
   * When the work opening defers (see startDeferred) starts if no UI has listed the 1:1s by then
   * (default 10 s after opening: a start in the tray, with no window).
   */
  deferredWorkAfterMs?: number;
  /** Check the whole database before opening, refusing a damaged one (the command line, which opens it for one job). */
  checkStorageAtOpen?: boolean;
}

export const DATABASE_FILE = 'tandem.db';

const ProfileSetting = SetProfileInput.extend({ id: SetProfileInput.shape.name.min(1) });

export class TandemCore implements CoreServices {
  private readonly sessions = new Set<SessionState>();
  /** Joins waiting for their content, one per series however often the join is retried. */
  private readonly joining = new Map<string, Promise<void>>();
  private profile: Profile | null = null;
  private reminders: ReminderService | null = null;
  private readonly log: Logger;
  private readonly clock: () => Date;
  private backingUp: Promise<unknown> = Promise.resolve();
  private backupTimer: NodeJS.Timeout | null = null;
  private check: StorageCheck = { state: 'pending' };
  private deferred: Promise<void> | null = null;
  private deferredTimer: NodeJS.Timeout | null = null;
  private closing = false;

  readonly presence: PresenceHub;
  readonly sync: SyncManager;
  readonly archives: Archives;
  readonly healthParts: HealthParts;
  readonly db: Store['db'];
  readonly defaultRelay: RelayConfig | null;
  readonly joinTimeoutMs: number;
  readonly dataDir: string;

  private constructor(
    readonly store: Store,
    readonly docs: DocRegistry,
    readonly projector: Projector,
    private readonly options: CoreOptions,
    private readonly unlock: () => void,
  ) {
    this.db = store.db;
    this.dataDir = options.dataDir;
    this.defaultRelay = options.defaultRelay ?? null;
    this.joinTimeoutMs = options.joinTimeoutMs ?? 15_000;
    this.log = options.log ?? silentLogger;
    this.clock = options.clock ?? (() => new Date());
    this.presence = new PresenceHub((seriesId, update, origin) => {
      for (const s of this.sessions) if (s !== origin) s.deliverAwareness(seriesId, update);
    });
    this.sync = new SyncManager(
      store.db,
      docs,
      this.presence,
      (state) => this.broadcast({ type: 'sync-state', state }),
      () => this.profile?.name ?? 'Tandem',
      options.log ?? silentLogger,
      options.syncTiming,
    );
    this.healthParts = new HealthParts(store.sqlite, this.log);
    this.archives = new Archives(
      docs,
      () => this.now(),
      () => this.profile?.id ?? '',
      (seriesId, years) => this.sync.syncArchives(seriesId, years),
      options.log ?? silentLogger,
    );
  }

  static async open(options: CoreOptions): Promise<TandemCore> {
    prepareDataDir(options.dataDir);
    const unlock = lockDataDir(options.dataDir);
    const file = join(options.dataDir, DATABASE_FILE);
    let store: Store;
    try {
      store = await openStore(file, options.sqliteBinding, options.checkStorageAtOpen);
    } catch (error) {
      unlock();
      throw error;
    }
    const log = new UpdateLog(store.sqlite, file);
    let core: TandemCore | undefined;
    const docs = new DocRegistry(log, {
      compactAfter: options.compactAfter ?? 500,
      idleUnloadMs: options.idleUnloadMs ?? 60_000,
      onUpdate: (docId, update, origin, transaction) => core?.routeUpdate(docId, update, origin, transaction),
      onLoad: (docId, doc) => core?.archives.loaded(docId, doc),
    });
    const projector = new Projector(
      store.db,
      storedDocuments(store.db, docs, () => core?.profile?.id ?? ''),
      {
        debounceMs: options.projectionDebounceMs ?? 100,
        onProjected: () => core?.broadcast({ type: 'series-changed' }),
        log: options.log ?? silentLogger,
      },
    );
    core = new TandemCore(store, docs, projector, options, unlock);
    if (options.checkStorageAtOpen) core.check = { state: 'ok' };
    try {
      core.profile = ProfileSetting.nullable()
        .catch(null)
        .parse(await core.readSetting('profile'));
      await projector.ensure();
    } catch (error) {
      await store.close();
      unlock();
      throw error;
    }
    core.deferredTimer = setTimeout(() => void core!.startDeferred(), options.deferredWorkAfterMs ?? 10_000);
    core.deferredTimer.unref();
    if (options.sync !== false) await core.sync.startAll((seriesId) => core!.profile && void core!.joinWhenArrived(seriesId));
    return core;
  }

  /** A new UI session: the object a transport serves, implementing the TandemApi contract. */
  connect(): CoreSession {
    return openSession(this, this.sessions);
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.deferredTimer) clearTimeout(this.deferredTimer);
    this.reminders?.stop();
    if (this.backupTimer) clearInterval(this.backupTimer);
    for (const s of [...this.sessions]) s.dispose();
    this.sync.stopAll();
    await this.projector.flush();
    await this.deferred;
    await this.backingUp;
    this.healthParts.flush();
    this.docs.closeAll();
    await this.store.close();
    this.unlock();
  }

  /** Writes a backup of all local data to `file` (see backup/backup.ts). */
  backup(file: string): Promise<BackupManifest> {
    const run = this.backingUp.then(() => createBackup(this.store.sqlite, file));
    this.backingUp = run.catch(() => undefined);
    return run;
  }

  /** A backup now, to `file` or into the data directory's backups folder (after today's daily one). */
  async backupNow(input: BackupNowInput): Promise<BackupWritten> {
    if (input.file !== undefined && !isAbsolute(input.file))
      throw new TandemError('invalid-input', 'Choose where to save the backup by its full path.');
    void this.startDeferred();
    const file = input.file ?? manualBackupFile(this.dataDir, this.now());
    const manifest = await this.backup(file);
    const inFolder = dirname(file) === join(this.dataDir, BACKUPS_FOLDER) && isBackupName(basename(file));
    return { file, name: inFolder ? basename(file) : null, createdAt: manifest.createdAt, bytes: statSync(file).size };
  }

  /** After any backup being written (today's daily one too), so the list holds it. */
  async listBackups(): Promise<BackupList> {
    await this.startDeferred();
    await this.backingUp;
    return listBackups(this.dataDir);
  }

  /** Restores a backup into another, empty data directory: a running Tandem never replaces its own data. */
  restoreInto(input: RestoreInput): RestoreResult {
    for (const [path, what] of [
      [input.file, 'the backup file'],
      [input.dataDir, 'the folder to restore into'],
    ] as const) {
      if (!isAbsolute(path)) throw new TandemError('invalid-input', `Choose ${what} by its full path.`);
    }
    if (resolve(input.dataDir) === resolve(this.dataDir)) {
      throw new TandemError(
        'invalid-input',
        'Tandem is running on that data directory: restore into an empty folder, then start Tandem on it. Nothing was changed.',
      );
    }
    const manifest = restoreBackup(input.file, input.dataDir);
    return { dataDir: input.dataDir, createdAt: manifest.createdAt };
  }

  get storageCheck(): StorageCheck {
    return this.check;
  }

  listed(): void {
    if (!this.deferred) setImmediate(() => void this.startDeferred());
  }

  /**
   * What opening leaves until the first list has gone out (or deferredWorkAfterMs): SQLite's check
   * of every page, on a thread of its own, then the daily backups, of a sound file only (a damaged
   * copy must not push a good one out of the seven kept). Resolves once the check is done.
   */
  private startDeferred(): Promise<void> {
    if (this.closing) return Promise.resolve();
    if (!this.deferred) {
      if (this.deferredTimer) clearTimeout(this.deferredTimer);
      this.deferred = this.checkStorage();
      if (this.options.autoBackup) this.keepDailyBackups(this.deferred);
    }
    return this.deferred;
  }

  private async checkStorage(): Promise<void> {
    if (this.check.state !== 'pending') return;
    const damage = await checkStore(this.store, this.options.sqliteBinding);
    this.check = damage ? { state: 'damaged', message: damage } : { state: 'ok' };
    if (damage) this.log.error({ file: DATABASE_FILE }, 'the database is damaged (SQLite quick_check)');
    this.broadcast({ type: 'storage-check', check: this.check });
  }

  /** Today's backup once `checked`, if it is missing, then a look every hour (the app may run for days). */
  private keepDailyBackups(checked: Promise<void>): void {
    const check = () => {
      this.backingUp = this.backingUp
        .then(() => checked)
        .then(() => {
          if (this.closing) return null;
          if (this.check.state !== 'damaged') return dailyBackup(this.store.sqlite, this.dataDir);
          this.log.warn({ file: BACKUPS_FOLDER }, 'daily backup skipped: the database is damaged');
          return null;
        })
        .then(
          (file) => file && this.log.info({ file: BACKUPS_FOLDER }, 'daily backup written'),
          (error: unknown) => this.log.error({ error: (error as Error).message }, 'daily backup failed'),
        );
    };
    check();
    this.backupTimer = setInterval(check, 60 * 60_000);
    this.backupTimer.unref();
  }

  now(): Date {
    return this.clock();
  }

  startReminders(): void {
    this.reminderService().start();
  }

  /** Runs one reminder check at the core's clock now (what the timer does), for tests. */
  checkReminders(): Promise<ReminderNotice[]> {
    return this.reminderService().check();
  }

  private reminderService(): ReminderService {
    this.reminders ??= new ReminderService(this, (reminder) => this.broadcast({ type: 'reminder', reminder }), this.log);
    return this.reminders;
  }

  get currentProfile(): Profile | null {
    return this.profile;
  }

  requireProfile(): Profile {
    if (!this.profile) throw new TandemError('invalid-input', 'Set your name first: the other person sees it next to what you write.');
    return this.profile;
  }

  async saveProfile(name: string): Promise<Profile> {
    const profile = { id: this.profile?.id ?? crypto.randomUUID(), name };
    await this.writeSetting('profile', profile);
    this.profile = profile;
    return profile;
  }

  async readSetting(key: string): Promise<unknown> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    if (!row) return undefined;
    try {
      return JSON.parse(row.value) as unknown;
    } catch {
      return undefined;
    }
  }

  async writeSetting(key: string, value: unknown): Promise<void> {
    const json = JSON.stringify(value);
    await this.db
      .insertInto('settings')
      .values({ key, value: json })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json }))
      .execute();
  }

  flushProjection(): Promise<unknown> {
    return this.projector.flush();
  }

  search(input: SearchInput): Promise<SearchResult[]> {
    return searchIndex(this.db, input);
  }

  exportMarkdown(input: ExportInput): Promise<ExportResult> {
    const seriesIds = async () =>
      (await this.db.selectFrom('docs').select('doc_id').where('kind', '=', 'series').execute()).map((r) => r.doc_id);
    return exportMarkdown({ docs: this.docs, seriesIds, userId: this.requireProfile().id }, input);
  }

  /**
   * Resolves once a shared series' content is here, adding this user as its other participant if
   * they are not yet one. The content can arrive long after joining (the inviter's laptop was
   * closed), so this also runs for every share at start-up.
   */
  joinWhenArrived(seriesId: string): Promise<void> {
    const waiting = this.joining.get(seriesId);
    if (waiting) return waiting;
    const me = this.requireProfile();
    const doc = this.docs.acquire(seriesId);
    let done = false;
    const joined = new Promise<void>((resolve) => {
      const settle = () => {
        if (done || !hasMeta(doc)) return;
        done = true;
        this.joining.delete(seriesId);
        doc.off('update', onUpdate);
        try {
          joinSeries(doc, { name: me.name }, { now: this.now(), userId: me.id });
        } finally {
          this.docs.release(seriesId);
          resolve();
        }
      };
      // Outside the update event: a new transaction must not start inside another's observers.
      const onUpdate = () => queueMicrotask(settle);
      doc.on('update', onUpdate);
      settle();
    });
    if (!done) this.joining.set(seriesId, joined);
    return joined;
  }

  async removeSeries(seriesId: string): Promise<void> {
    await this.sync.remove(seriesId);
    // Their kept health parts leave the disk with the documents (a cascade), and memory here.
    this.healthParts.forget(this.docs.remove(seriesId));
    await this.projector.forget(seriesId);
    this.broadcast({ type: 'series-changed' });
  }

  syncState(seriesId: string): SyncState {
    return this.sync.state(seriesId);
  }

  /** Sends an update to every session that has the series open, except the one it came from. */
  private routeUpdate(seriesId: string, update: Uint8Array, origin: unknown, transaction: Y.Transaction): void {
    // Archives are listed from their series' index and private notes are nobody's list: only
    // search reads them (private notes on this device only).
    const ofPrivate = seriesOfPrivateDoc(seriesId);
    const archive = parseArchiveDocId(seriesId);
    if (isSeriesDoc(seriesId)) this.projector.markDirty(seriesId, transaction);
    else if (ofPrivate !== null) this.projector.markPrivateDirty(ofPrivate, transaction);
    else if (archive) this.projector.markArchiveDirty(archive.seriesId, archive.year, transaction);
    for (const s of this.sessions) if (s !== origin) s.deliver(seriesId, update);
  }

  broadcast(event: TandemEvent): void {
    for (const s of this.sessions) s.emit(event);
  }
}
