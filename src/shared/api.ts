/**
 * The contract between the UI and the core. The Electron preload bridge and the web shell client
 * both implement exactly this interface on top of the message protocol (protocol.ts); the core
 * implements it for each connected UI session. Inputs are validated at runtime by the core with
 * the schemas of the core's handler registry.
 *
 * Editing a 1:1 goes through its Y.Doc: the UI holds a replica, fed by `openSeries` (full state)
 * and `onDocUpdate` frames, and sends its own changes with `sendDocUpdate`. Methods that change a
 * document directly (`addAgendaItem`) exist for surfaces without a replica, like tray quick-add.
 */
import type { ApiOf } from '../core/features/define.js';
import type { Operations } from '../core/features/registry.js';
import type { AppSettings } from './app-settings.js';
import type { SeriesState } from './domain/series-doc.js';
import type { CadencePattern, Role, SeriesKind } from './schemas.js';

export interface Profile {
  id: string;
  name: string;
}

/** A piece of a search result's text: matched words are `hit`. */
export interface TextPart {
  text: string;
  hit: boolean;
}

export interface SearchResult {
  seriesId: string;
  /** The 1:1's title, or the other person's name. */
  seriesName: string;
  kind: 'item' | 'notes' | 'check-in' | 'step' | 'private';
  /** The meeting to open (null: an item waiting for the next meeting). */
  meetingId: string | null;
  /** The item or next step found (null for notes and check-ins). */
  entryId: string | null;
  purpose: string | null;
  /** When the meeting is (or when the entry was made, for the next meeting's items). */
  at: string;
  title: TextPart[];
  snippet: TextPart[];
}

export interface ExportResult {
  dir: string;
  /** Every file written, one per meeting. */
  files: string[];
  /** Meetings too damaged to render. */
  skipped: number;
}

/** A backup file in the data directory's backups folder. */
export interface BackupFile {
  /** Its file name, which also names it for download in the web shell. */
  name: string;
  file: string;
  /** Written by itself once a day (the newest seven are kept), or by the person. */
  kind: 'daily' | 'manual';
  createdAt: string;
  bytes: number;
}

export interface BackupList {
  folder: string;
  backups: BackupFile[];
}

export interface BackupWritten {
  file: string;
  /** Set when the file is in the backups folder (and can be downloaded by that name in the web shell). */
  name: string | null;
  createdAt: string;
  bytes: number;
}

export interface RestoreResult {
  dataDir: string;
  /** When the restored backup was made. */
  createdAt: string;
}

export interface SeriesSummary {
  id: string;
  kind: SeriesKind;
  cadence: CadencePattern;
  /** The name the participants gave the 1:1 (empty: none). */
  title: string;
  /** Paused 1:1s plan no meetings; ended ones are kept read-only among past 1:1s. */
  state: SeriesState;
  /** The other person's name as this user sees it. */
  partnerName: string;
  /** This user's role in the relationship. */
  myRole: Role;
  createdAt: string;
  /** Last time anything in the series changed (ISO). */
  updatedAt: string;
  /** The next scheduled meeting (ISO), or null when none is scheduled. */
  nextMeetingAt: string | null;
  /** Open agenda items for the next meeting. */
  openItemCount: number;
}

/**
 * `local`: not shared through a relay. `offline`: shared but the relay is out of reach.
 * `connecting`: reaching it. `synced`: connected with nothing unsent.
 */
export type SyncStatus = 'local' | 'offline' | 'connecting' | 'synced';

export interface SyncState {
  seriesId: string;
  status: SyncStatus;
  /** Local changes the relay has not yet acknowledged. */
  unsent: number;
  /**
   * Why the relay is out of reach, while offline: the connection was refused, the host name was
   * not found, the room secret was refused (403), the relay requires an access key (401), or
   * anything else.
   */
  reason?: 'refused' | 'not-found' | 'forbidden' | 'key-required' | 'unreachable';
  /** When the next connection attempt is due (ISO 8601), while offline. */
  retryAt?: string;
}

export interface RelayConfig {
  url: string;
  key?: string;
}

export interface Invite {
  /** `tandem://join/<code>` */
  link: string;
  /** The same invite, to paste. */
  code: string;
}

/**
 * A notification to show: before a meeting (`1:1 with Sam in 10 min`, its agenda in the body), or
 * a nudge about a held meeting's next steps. Clicking it opens the 1:1.
 */
export interface ReminderNotice {
  key: string;
  kind: 'before-meeting' | 'next-steps';
  seriesId: string;
  meetingId: string;
  title: string;
  body: string;
}

/**
 * SQLite's check of the local database, which runs once the first list has gone out: `pending`
 * until then, `damaged` with a sentence naming the file and what to do.
 */
export type StorageCheck = { state: 'pending' | 'ok' } | { state: 'damaged'; message: string };

/** `connection-lost` comes from the UI's own end of the protocol when the core goes away. */
export type TandemEvent =
  | { type: 'series-changed' }
  | { type: 'sync-state'; state: SyncState }
  | { type: 'settings-changed'; settings: AppSettings }
  | { type: 'reminder'; reminder: ReminderNotice }
  | { type: 'storage-check'; check: StorageCheck }
  | { type: 'connection-lost' };

export type Unsubscribe = () => void;
export type FrameListener = (seriesId: string, update: Uint8Array) => void;
export type EventListener = (event: TandemEvent) => void;

/**
 * The contract's operations: request/response calls, one per handler of the core's registry
 * (src/core/features/<feature>/handlers.ts), with the input and result types of those handlers. The
 * import is types only, erased from every bundle; the handlers are written against browser-safe
 * service interfaces so the renderer's type check can follow it (docs/architecture.md).
 */
export type OperationsApi = ApiOf<Operations>;
export type OperationName = keyof Operations;

/** The streaming half of the contract: Yjs update and awareness frames, and events. */
export interface StreamApi {
  /** Applies a Yjs update made by this UI; resolves once it is stored on disk. */
  sendDocUpdate(seriesId: string, update: Uint8Array): Promise<void>;
  /** Updates made elsewhere (core, other windows, peers) to series this UI has open. */
  onDocUpdate(listener: FrameListener): Unsubscribe;
  /** Presence (y-protocols awareness updates) of this UI for an open series. */
  sendAwareness(seriesId: string, update: Uint8Array): void;
  /** Presence of everyone else in series this UI has open. */
  onAwareness(listener: FrameListener): Unsubscribe;
  onEvent(listener: EventListener): Unsubscribe;
}

export type TandemApi = OperationsApi & StreamApi;
