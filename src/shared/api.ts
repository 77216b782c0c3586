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
  AddAgendaItemInput,
  Cadence,
  CreateSeriesInput,
  Role,
  SeriesKind,
  SeriesRef,
  SetProfileInput,
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

export type TandemEvent = { type: 'series-changed' };

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

  /** Applies a Yjs update made by this UI; resolves once it is stored on disk. */
  sendDocUpdate(seriesId: string, update: Uint8Array): Promise<void>;
  /** Updates made elsewhere (core, other windows, peers) to series this UI has open. */
  onDocUpdate(listener: FrameListener): Unsubscribe;
  onEvent(listener: EventListener): Unsubscribe;
}

export type ErrorCode = 'invalid-input' | 'not-found' | 'storage' | 'protocol' | 'internal';

/** The one error type that crosses the contract: a code for programs and a sentence for people. */
export class TandemError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TandemError';
  }
}
