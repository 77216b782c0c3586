/**
 * What an operation handler may use: the core's services, described as interfaces over
 * browser-safe types only (Yjs, kysely's query types, the shared contract). `TandemCore` is the
 * one implementation. Handlers never reach SQLite files, sockets or the file system directly, so
 * they can be type-checked with the renderer (whose `TandemApi` type is derived from them) and
 * tested against a real core alike.
 */
import type { Kysely } from 'kysely';
import type * as Y from 'yjs';
import type { z } from 'zod';
import type {
  BackupList,
  BackupWritten,
  ExportResult,
  Profile,
  RelayConfig,
  RestoreResult,
  SearchResult,
  StorageCheck,
  SyncState,
  TandemEvent,
} from '../../shared/api.js';
import type { BackupNowInput, ExportInput, RestoreInput, SearchInput } from '../../shared/schemas.js';
import type { Database } from '../store/schema.js';
import type { Share } from '../sync/share.js';

/** Loaded documents, reference-counted: every acquire is paired with a release. */
export interface DocAccess {
  create(docId: string, kind: string): Y.Doc;
  acquire(docId: string): Y.Doc;
  release(docId: string): void;
  /** Whether the document is stored here (loaded or not). */
  exists(docId: string): boolean;
  /** The whole state of a document as one update, loaded or not (DocRegistry.state). */
  state(docId: string): Uint8Array;
  /** Runs `fn` with the document loaded, releasing it afterwards. */
  with<T>(docId: string, fn: (doc: Y.Doc) => T): T;
  /** A name for the document's content as it is now, loaded or not (DocRegistry.version). */
  version(docId: string): string | null;
}

export interface SyncAccess {
  share(seriesId: string): Promise<Share | null>;
  /** Records a share and connects it. */
  add(share: Share): Promise<unknown>;
  /** Points an existing share at another relay. */
  move(share: Share): Promise<unknown>;
  state(seriesId: string): SyncState;
  /** Tries to reach the relay now instead of at the next scheduled attempt. */
  retrySync(seriesId: string): SyncState;
  /** Connects these archive years of a shared series (nothing when it is not shared). */
  syncArchives(seriesId: string, years: number[]): void;
}

export interface ArchiveAccess {
  /** The id of a year's archive document, created empty when it is not here yet. */
  ensure(seriesId: string, year: number): string;
}

/**
 * Values derived from documents, kept on this device only (in no document, so never synced) under
 * a key naming everything each was computed from, the document's version among it
 * (core/insights/health-parts.ts).
 */
export interface HealthPartAccess {
  /**
   * The value kept for `docId` under exactly `key`: from memory, else from disk when the stored one
   * fits `schema`, else `compute()`'s, then kept.
   */
  get<T>(docId: string, key: string, schema: z.ZodType<T>, compute: () => T): T;
}

export interface CoreServices {
  readonly db: Kysely<Database>;
  readonly docs: DocAccess;
  readonly sync: SyncAccess;
  readonly archives: ArchiveAccess;
  readonly healthParts: HealthPartAccess;
  readonly currentProfile: Profile | null;
  requireProfile(): Profile;
  saveProfile(name: string): Promise<Profile>;
  /** The stored value; undefined when the setting was never written. */
  readSetting(key: string): Promise<unknown>;
  writeSetting(key: string, value: unknown): Promise<void>;
  /** The relay to share through when the user has set none (from the command line). */
  readonly defaultRelay: RelayConfig | null;
  /** How long joining waits for the relay to deliver the 1:1. */
  readonly joinTimeoutMs: number;
  /** Resolves once the series' content has arrived, adding this user as a participant. */
  joinWhenArrived(seriesId: string): Promise<void>;
  /**
   * Deletes a 1:1 from this device: its documents (private notes included), its share and room
   * secret, its list rows. The relay and the other person's copy are not touched.
   */
  removeSeries(seriesId: string): Promise<void>;
  /** Makes the list tables reflect every change so far. */
  flushProjection(): Promise<unknown>;
  /** Tells every connected UI. */
  broadcast(event: TandemEvent): void;
  /** Starts checking for due reminders (idempotent). */
  startReminders(): void;
  /** Full-text search of the projection's index (call flushProjection first for what just changed). */
  search(input: SearchInput): Promise<SearchResult[]>;
  /** Writes meetings as Markdown files into a folder. */
  exportMarkdown(input: ExportInput): Promise<ExportResult>;
  /** Writes a backup of all local data, to a file or into the data directory's backups folder. */
  backupNow(input: BackupNowInput): Promise<BackupWritten>;
  /** The backups in the data directory's backups folder (daily and asked for), newest first. */
  listBackups(): Promise<BackupList>;
  /** Restores a backup into another, empty data directory. */
  restoreInto(input: RestoreInput): RestoreResult;
  /** What the check of the local database found so far. */
  readonly storageCheck: StorageCheck;
  /** A UI has its list: the work opening deferred starts once this reply has gone out. */
  listed(): void;
  now(): Date;
}

/** What one UI session keeps: the 1:1s it has open. */
export interface SessionAccess {
  /** Opens a document for this session (again, if already open) and returns its whole state. */
  open(docId: string): Uint8Array;
  close(seriesId: string): void;
  isOpen(seriesId: string): boolean;
}

export interface HandlerContext {
  core: CoreServices;
  session: SessionAccess;
}
