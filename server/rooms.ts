/**
 * Rooms: one shared Y.Doc (held by RoomDocs, which forwards every update to the peers at once and
 * stores the updates of one event-loop turn, of all rooms, in one commit right after it), one
 * Awareness, and the peers connected to it. A room's document is loaded before its first peer's
 * upgrade (`hold`), so a room the store cannot give is refused with an HTTP status; the room lives
 * while it has peers, and its document then stays loaded until RoomDocs unloads it as idle.
 */
import { Awareness, applyAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { Close, ProtocolViolation, awarenessMessage, updateMessage } from './protocol.js';
import { RoomDocs } from './room-docs.js';
import type { RoomStore } from './store/room-store.js';

/** What a room needs from a connection. */
export interface Peer {
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
}

export interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

/** Presences one connection may speak for: a person, and a few windows of theirs. */
const MAX_PRESENCES_PER_PEER = 8;
/** Presence changes are sent out together at most this often, however many peers change. */
const PRESENCE_COALESCE_MS = 50;

/**
 * Limits every room shares; `storageFull` is set while the relay's disk budget is spent;
 * `backlogFull` says whether that many more bytes would take the updates waiting for an
 * unreachable store past their bound.
 */
export interface RoomQuota {
  maxRoomBytes: number;
  storageFull: boolean;
  backlogFull(bytes: number): boolean;
}

/** A room's presences, made at its first presence message: most rooms of idle peers never have one. */
class Presence {
  readonly awareness: Awareness;
  readonly changed = new Set<number>();
  timer: NodeJS.Timeout | null = null;

  constructor(
    doc: Y.Doc,
    private readonly onChange: (change: AwarenessChange, origin: unknown) => void,
  ) {
    this.awareness = new Awareness(doc);
    // The relay is not a participant: it has no presence of its own.
    this.awareness.setLocalState(null);
    this.awareness.on('update', onChange);
  }

  destroy(): void {
    // Taken off first: destroying the awareness reports the relay's own (absent) presence as removed.
    this.awareness.off('update', this.onChange);
    this.awareness.destroy();
    if (this.timer) clearTimeout(this.timer);
  }
}

export class Room {
  /** Each peer with the awareness client ids it speaks for (made at its first presence: most idle peers have none), removed when it leaves. */
  private readonly peers = new Map<Peer, Set<number> | null>();
  private presence: Presence | null = null;

  constructor(
    readonly name: string,
    readonly doc: Y.Doc,
    /** Bytes stored for this room (snapshot and log), counted on as updates arrive. */
    private storedBytes: number,
    private readonly quota: RoomQuota,
    private readonly observer?: RoomObserver,
  ) {}

  get size(): number {
    return this.peers.size;
  }

  /** The room's presences, made now if it had none. */
  get awareness(): Awareness {
    this.presence ??= new Presence(this.doc, (change, origin) => this.awarenessChanged(change, origin));
    return this.presence.awareness;
  }

  add(peer: Peer): void {
    this.peers.set(peer, null);
  }

  remove(peer: Peer): void {
    const ids = this.peers.get(peer);
    if (!this.peers.delete(peer) || !ids) return;
    removeAwarenessStates(this.awareness, [...ids], null);
  }

  /** Applies an update that has already passed Y.decodeUpdate; RoomDocs fans it out with `broadcastUpdate` and stores it. */
  applyUpdate(update: Uint8Array, origin: Peer): void {
    if (this.quota.storageFull) throw new ProtocolViolation(Close.tryAgainLater, 'the relay has no storage left');
    if (this.quota.backlogFull(update.byteLength))
      throw new ProtocolViolation(Close.tryAgainLater, 'the relay cannot save changes right now: its store is unreachable');
    if (this.storedBytes + update.byteLength > this.quota.maxRoomBytes)
      throw new ProtocolViolation(Close.policyViolation, 'room storage quota reached');
    this.storedBytes += update.byteLength;
    Y.applyUpdate(this.doc, update, origin);
  }

  /** Applies a presence update that has already passed the protocol's checks. */
  applyAwareness(update: Uint8Array, origin: Peer): void {
    if (this.peers.has(origin)) {
      const ids = this.peers.get(origin) ?? new Set<number>();
      const decoder = decoding.createDecoder(update);
      const added = new Set<number>();
      for (let i = decoding.readVarUint(decoder); i > 0; i--) {
        const client = decoding.readVarUint(decoder);
        decoding.readVarUint(decoder);
        if (decoding.readVarString(decoder) !== 'null' && !ids.has(client)) added.add(client);
      }
      if (ids.size + added.size > MAX_PRESENCES_PER_PEER) {
        throw new ProtocolViolation(Close.policyViolation, `more than ${MAX_PRESENCES_PER_PEER} presences on one connection`);
      }
    }
    applyAwarenessUpdate(this.awareness, update, origin);
  }

  /** The presences this relay's own peers speak for (not those heard from other relay instances). */
  ownedPresences(): number[] {
    return [...this.peers.values()].flatMap((ids) => (ids ? [...ids] : []));
  }

  /** Every known presence, for a newcomer; null when nobody has any. */
  awarenessSnapshot(): Uint8Array | null {
    const awareness = this.presence?.awareness;
    if (!awareness?.getStates().size) return null;
    return awarenessMessage(awareness, [...awareness.getStates().keys()]);
  }

  broadcastUpdate(update: Uint8Array, origin: unknown): void {
    this.broadcast(updateMessage(update), origin);
  }

  closeAll(code: number, reason: string): void {
    for (const peer of [...this.peers.keys()]) peer.close(code, reason);
  }

  destroy(): void {
    this.presence?.destroy();
    this.presence = null;
  }

  private awarenessChanged(change: AwarenessChange, origin: unknown): void {
    const { added, updated, removed } = change;
    const presence = this.presence!;
    if (this.peers.has(origin as Peer)) {
      let ids = this.peers.get(origin as Peer);
      if (!ids) this.peers.set(origin as Peer, (ids = new Set()));
      for (const id of added) ids.add(id);
      for (const id of removed) ids.delete(id);
    }
    for (const id of [...added, ...updated, ...removed]) presence.changed.add(id);
    this.observer?.presenceChanged(this, change, origin);
    // One message for every change in the window: a crowd of peers costs a broadcast each per window, not one per change.
    presence.timer ??= setTimeout(() => {
      presence.timer = null;
      const changed = [...presence.changed];
      presence.changed.clear();
      // Echoed to the sender too: a y-websocket client that hears nothing for 30 s reconnects, and
      // its own presence renewals (every 15 s) are all a client alone in a room would ever hear.
      this.broadcast(awarenessMessage(presence.awareness, changed), null);
    }, PRESENCE_COALESCE_MS);
  }

  /** Document updates skip their origin, which already has them. */
  private broadcast(message: Uint8Array, origin: unknown): void {
    for (const peer of this.peers.keys()) if (peer !== origin) peer.send(message);
  }
}

/** Told of each room as it opens and closes here and of every update applied to it (the fan-out between relay instances). */
export interface RoomObserver {
  opened(room: Room): void;
  closed(room: Room): void;
  updated(room: Room, update: Uint8Array, origin: unknown): void;
  /** Told of each change of the room's presences; a room has none until its first presence arrives. */
  presenceChanged(room: Room, change: AwarenessChange, origin: unknown): void;
  /** Told of each update once the store holds it (RoomDocsOptions.onDurable), whether or not its room is still open. */
  stored(room: string, update: Uint8Array, origin: unknown): void;
}

export interface RoomsOptions {
  observer?: RoomObserver;
  /** See RoomDocsOptions.storedElsewhere. */
  storedElsewhere?(origin: unknown): boolean;
  compactAfter: number;
  idleUnloadMs: number;
  maxRoomBytes: number;
  /** Bytes of updates that may wait for an unreachable store before changes are refused. */
  maxBacklogBytes: number;
  onStoreFailed(room: string, error: Error): void;
  onCompactFailed(room: string, error: Error): void;
  onStored(ms: number): void;
  onCompacted(ms: number): void;
}

export class Rooms {
  private readonly docs: RoomDocs;
  private readonly active = new Map<string, Room>();
  /** Rooms whose documents may still be loaded; pruned when counted. */
  private readonly loaded = new Set<string>();
  private closed = false;
  readonly quota: RoomQuota;
  private readonly observer: RoomObserver | undefined;

  constructor(store: RoomStore, options: RoomsOptions) {
    this.observer = options.observer;
    this.quota = { maxRoomBytes: options.maxRoomBytes, storageFull: false, backlogFull: (bytes) => this.docs.backlogFull(bytes) };
    this.docs = new RoomDocs(store, {
      compactAfter: options.compactAfter,
      idleUnloadMs: options.idleUnloadMs,
      maxBacklogBytes: options.maxBacklogBytes,
      storedElsewhere: options.storedElsewhere,
      onCompacted: options.onCompacted,
      onCompactFailed: options.onCompactFailed,
      onStored: options.onStored,
      onStoreFailed: (name, error) => {
        options.onStoreFailed(name, error);
        const room = this.active.get(name);
        if (room) this.fail(room, 'the relay could not save a change', Close.internalError);
      },
      onDurable: (name, update, origin) => this.observer?.stored(name, update, origin),
      onUpdate: (name, update, origin) => {
        const room = this.active.get(name);
        if (!room) return;
        room.broadcastUpdate(update, origin);
        this.observer?.updated(room, update, origin);
      },
    });
  }

  /**
   * Loads the room's document, or creates it, and holds it until the returned release: done
   * before a peer's upgrade, so `join` finds it loaded. Throws StoreUnavailable when the room is
   * not loaded here and the store cannot be reached.
   */
  async hold(name: string, secretHash: Buffer): Promise<() => void> {
    if (this.closed) throw new Error('the relay is shutting down');
    const release = await this.docs.hold(name, secretHash);
    this.loaded.add(name);
    return release;
  }

  /** Adds the peer to a room `hold` has loaded. Throws if it is not loaded (its document could not be read). */
  join(name: string, peer: Peer): Room {
    if (this.closed) throw new Error('the relay is shutting down');
    let room = this.active.get(name);
    if (!room) {
      const { doc, bytes } = this.docs.acquire(name);
      room = new Room(name, doc, bytes, this.quota, this.observer);
      this.active.set(name, room);
      this.observer?.opened(room);
    }
    room.add(peer);
    return room;
  }

  /** The secret hash a room loaded here was admitted with: admissions use it while the store cannot be asked. */
  secretHash(name: string): Buffer | undefined {
    return this.docs.secretHash(name);
  }

  /** Bytes of updates waiting for the store. */
  get backlogBytes(): number {
    return this.docs.backlogBytes;
  }

  leave(room: Room, peer: Peer): void {
    if (this.active.get(room.name) !== room) return;
    room.remove(peer);
    if (room.size > 0) return;
    this.retire(room);
    this.docs.release(room.name);
  }

  /** Runs `fn` once every update received so far is stored: what a confirmation to a client waits for. */
  whenStored(fn: () => void): void {
    this.docs.whenStored(fn);
  }

  /**
   * Disconnects everyone from a room whose document could not be saved. RoomDocs has already
   * dropped that document, so the next connection reloads what is on disk.
   */
  private fail(room: Room, reason: string, code: number): void {
    if (this.active.get(room.name) !== room) return;
    this.retire(room);
    room.closeAll(code, reason);
  }

  /** Connections in the room now. */
  size(name: string): number {
    return this.active.get(name)?.size ?? 0;
  }

  /** Whether the room has connections or its document is loaded. */
  inUse(name: string): boolean {
    return this.active.has(name) || this.docs.isLoaded(name);
  }

  get activeCount(): number {
    return this.active.size;
  }

  loadedCount(): number {
    for (const name of this.loaded) if (!this.docs.isLoaded(name)) this.loaded.delete(name);
    return this.loaded.size;
  }

  /** Disconnects every peer, then stores, compacts and unloads every document. Returns how many updates could not be stored. */
  closeAll(code: number, reason: string): Promise<number> {
    this.closed = true;
    for (const room of [...this.active.values()]) {
      this.retire(room);
      room.closeAll(code, reason);
    }
    return this.docs.closeAll();
  }

  private retire(room: Room): void {
    this.active.delete(room.name);
    this.observer?.closed(room);
    room.destroy();
  }
}
