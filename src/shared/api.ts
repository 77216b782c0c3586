/**
 * The contract between the UI and the core. The Electron preload bridge and the web shell client
 * both implement exactly this interface on top of the message protocol (protocol.ts); the core
 * implements it for each connected UI session. Inputs are validated at runtime by the core with
 * the schemas in schemas.ts.
 *
 * Editing a 1:1 goes through its Y.Doc: the UI holds a replica, fed by `openSeries` (full state)
 * and `onDocUpdate` frames, and sends its own changes with `sendDocUpdate`. Methods that change a
 * document directly (`addAgendaItem`) exist for surfaces without a replica, like tray quick-add.
 */
import type {
  AcceptInviteInput,
  AddAgendaItemInput,
  Cadence,
  CreateSeriesInput,
  Role,
  SeriesKind,
  SeriesRef,
  SetProfileInput,
  SetRelayInput,
} from './schemas.js';

export interface Profile {
  id: string;
  name: string;
}

export interface SeriesSummary {
  id: string;
  kind: SeriesKind;
  cadence: Cadence;
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

/** `connection-lost` comes from the UI's own end of the protocol when the core goes away. */
export type TandemEvent = { type: 'series-changed' } | { type: 'sync-state'; state: SyncState } | { type: 'connection-lost' };

export type Unsubscribe = () => void;
export type FrameListener = (seriesId: string, update: Uint8Array) => void;
export type EventListener = (event: TandemEvent) => void;

export interface TandemApi {
  getProfile(): Promise<Profile | null>;
  setProfile(input: SetProfileInput): Promise<Profile>;

  listSeries(): Promise<SeriesSummary[]>;
  createSeries(input: CreateSeriesInput): Promise<SeriesSummary>;
  /** Loads the series document and returns its full state as one Yjs update; frames follow. */
  openSeries(input: SeriesRef): Promise<Uint8Array>;
  closeSeries(input: SeriesRef): Promise<void>;
  addAgendaItem(input: AddAgendaItemInput): Promise<{ id: string }>;

  /** The relay new shares go through, or null when none is set. */
  getRelay(): Promise<RelayConfig | null>;
  setRelay(input: SetRelayInput): Promise<RelayConfig>;
  /** Shares the series through the relay (if not yet) and returns an invite for the other person. */
  createInvite(input: SeriesRef): Promise<Invite>;
  /** Joins a series from an invite code or `tandem://join/…` link. */
  acceptInvite(input: AcceptInviteInput): Promise<SeriesSummary>;
  getSyncState(input: SeriesRef): Promise<SyncState>;

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
