/**
 * What the relay keeps: each room's document as a snapshot plus a log of updates, the sha256 of
 * each room's secret, and the key that names rooms in logs. Two implementations: SQLite (one relay
 * on one machine, the default) and PostgreSQL (several relays sharing rooms). Every call is async
 * so the relay is written once for both.
 */
import type * as Y from 'yjs';

export interface StoredRoom {
  doc: Y.Doc;
  /** Log entries not yet folded into the snapshot: how soon the room wants compacting. */
  pending: number;
  /** Bytes the room takes in the store (snapshot and log), for its quota. */
  bytes: number;
}

export interface RoomUpdate {
  room: string;
  update: Uint8Array;
}

/**
 * The store cannot be reached right now (its server is down or restarting). Nothing of the call
 * was written; the caller keeps what it was writing and tries again later. Any other error from a
 * store means the call itself failed and retrying will not help.
 */
export class StoreUnavailable extends Error {
  override name = 'StoreUnavailable';
}

export interface RoomStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Whether other relays write to the same store, so a room loaded here may change behind it. */
  readonly shared: boolean;
  /** The key of the hash that names rooms in logs: made once per store, so names stay stable across restarts and instances. */
  readonly logKey: Buffer;
  /** Whether the store answered its last call (a store that failed checks on its own until it answers again). */
  available(): boolean;
  /**
   * Loads a room's document, creating an empty one if the room has none, and marks the room used
   * now. A stored entry that does not decode refuses the load with a TandemError('storage') that
   * names the room and the entry; nothing is written.
   */
  open(room: string): Promise<StoredRoom>;
  /** Appends updates of any rooms in one transaction; resolved only once they are durable. */
  append(updates: readonly RoomUpdate[]): Promise<void>;
  /**
   * Folds a room's log into its snapshot, at most one compactor per room at a time across every
   * relay sharing the store. `doc` holds every update appended for the room so far (the caller
   * waits for its commits first); a store shared with other relays ignores it and re-reads the
   * log, which they append to as well. False when another compactor has the room: it will do it.
   */
  compact(room: string, doc: Y.Doc): Promise<boolean>;
  /** The relay has unloaded the room: per-room state the store kept for it can go. */
  release(room: string): void;
  /** The sha256 of the room's secret, or null when nobody has registered the room. */
  secretHash(room: string): Promise<Buffer | null>;
  /** Registers the room's secret hash unless it has one; returns the hash the room ends up with. */
  registerSecret(room: string, hash: Buffer): Promise<Buffer>;
  /** Takes back a registration, if the room still has this hash. */
  withdrawSecret(room: string, hash: Buffer): Promise<void>;
  /** Forgets rooms registered before `before` that never stored a document, except those in use. Returns how many. */
  expireEmpty(before: Date, inUse: (room: string) => boolean): Promise<number>;
  /** Deletes rooms, document and all, that nobody has connected to or written since `before`, except those in use. */
  expireUnused(before: Date, inUse: (room: string) => boolean): Promise<number>;
  /** Bytes the whole store takes, for the relay's storage quota. */
  storageBytes(): Promise<number>;
  close(): Promise<void>;
}
