/**
 * Rooms: one shared Y.Doc (held by the project's DocRegistry, which forwards every update to the
 * peers at once and stores the updates of one event-loop turn, of all rooms, in one transaction
 * right after it), one Awareness, and the peers connected to it. A room lives while it has
 * peers; its document then stays loaded until the registry unloads it as idle.
 */
import { Awareness, applyAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { DocRegistry } from '../src/node/docstore/doc-registry.js';
import type { UpdateLog } from '../src/node/docstore/update-log.js';
import { Close, awarenessMessage, updateMessage } from './protocol.js';

/** What a room needs from a connection. */
export interface Peer {
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

const ROOM_DOC_KIND = 'relay-room';

export class Room {
  readonly awareness: Awareness;
  /** Each peer with the awareness client ids it speaks for, removed when it leaves. */
  private readonly peers = new Map<Peer, Set<number>>();

  constructor(
    readonly name: string,
    readonly doc: Y.Doc,
  ) {
    this.awareness = new Awareness(doc);
    // The relay is not a participant: it has no presence of its own.
    this.awareness.setLocalState(null);
    this.awareness.on('update', (change: AwarenessChange, origin: unknown) => this.awarenessChanged(change, origin));
  }

  get size(): number {
    return this.peers.size;
  }

  add(peer: Peer): void {
    this.peers.set(peer, new Set());
  }

  remove(peer: Peer): void {
    const ids = this.peers.get(peer);
    if (!ids) return;
    this.peers.delete(peer);
    removeAwarenessStates(this.awareness, [...ids], null);
  }

  /** Applies an update that has already passed Y.decodeUpdate; the registry fans it out with `broadcastUpdate` and stores it. */
  applyUpdate(update: Uint8Array, origin: Peer): void {
    Y.applyUpdate(this.doc, update, origin);
  }

  applyAwareness(update: Uint8Array, origin: Peer): void {
    applyAwarenessUpdate(this.awareness, update, origin);
  }

  /** Every known presence, for a newcomer; null when nobody has any. */
  awarenessSnapshot(): Uint8Array | null {
    const clients = [...this.awareness.getStates().keys()];
    return clients.length ? awarenessMessage(this.awareness, clients) : null;
  }

  broadcastUpdate(update: Uint8Array, origin: unknown): void {
    this.broadcast(updateMessage(update), origin);
  }

  closeAll(code: number, reason: string): void {
    for (const peer of [...this.peers.keys()]) peer.close(code, reason);
  }

  destroy(): void {
    this.awareness.destroy();
  }

  private awarenessChanged({ added, updated, removed }: AwarenessChange, origin: unknown): void {
    const ids = this.peers.get(origin as Peer);
    if (ids) {
      for (const id of added) ids.add(id);
      for (const id of removed) ids.delete(id);
    }
    // Echoed to the sender too: a y-websocket client that hears nothing for 30 s reconnects, and
    // its own presence renewals (every 15 s) are all a client alone in a room would ever hear.
    this.broadcast(awarenessMessage(this.awareness, [...added, ...updated, ...removed]), null);
  }

  /** Document updates skip their origin, which already has them. */
  private broadcast(message: Uint8Array, origin: unknown): void {
    for (const peer of this.peers.keys()) if (peer !== origin) peer.send(message);
  }
}

export interface RoomsOptions {
  compactAfter: number;
  idleUnloadMs: number;
  onStoreFailed(room: string, error: Error): void;
}

export class Rooms {
  private readonly registry: DocRegistry;
  private readonly active = new Map<string, Room>();
  /** Rooms whose documents may still be loaded; pruned when counted. */
  private readonly loaded = new Set<string>();
  private closed = false;

  constructor(
    private readonly log: UpdateLog,
    options: RoomsOptions,
  ) {
    this.registry = new DocRegistry(log, {
      compactAfter: options.compactAfter,
      idleUnloadMs: options.idleUnloadMs,
      groupCommit: {
        onStoreFailed: (name, error) => {
          options.onStoreFailed(name, error);
          const room = this.active.get(name);
          if (room) this.fail(room, 'the relay could not save a change', Close.internalError);
        },
      },
      onUpdate: (name, update, origin) => this.active.get(name)?.broadcastUpdate(update, origin),
    });
  }

  /** Adds the peer to the room, loading or creating the room's document. Throws if it cannot be read. */
  join(name: string, peer: Peer): Room {
    if (this.closed) throw new Error('the relay is shutting down');
    let room = this.active.get(name);
    if (!room) {
      const doc = this.log.exists(name) ? this.registry.acquire(name) : this.registry.create(name, ROOM_DOC_KIND);
      room = new Room(name, doc);
      this.active.set(name, room);
      this.loaded.add(name);
    }
    room.add(peer);
    return room;
  }

  leave(room: Room, peer: Peer): void {
    if (this.active.get(room.name) !== room) return;
    room.remove(peer);
    if (room.size > 0) return;
    this.retire(room);
    this.registry.release(room.name);
  }

  /** Runs `fn` once every update received so far is on disk: what a confirmation to a client waits for. */
  whenStored(fn: () => void): void {
    this.registry.whenStored(fn);
  }

  /**
   * Disconnects everyone from a room whose document could not be saved. The registry has already
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
    return this.active.has(name) || this.registry.isLoaded(name);
  }

  get activeCount(): number {
    return this.active.size;
  }

  loadedCount(): number {
    for (const name of this.loaded) if (!this.registry.isLoaded(name)) this.loaded.delete(name);
    return this.loaded.size;
  }

  /** Disconnects every peer, then compacts and unloads every document. */
  closeAll(code: number, reason: string): void {
    this.closed = true;
    for (const room of [...this.active.values()]) {
      this.retire(room);
      room.closeAll(code, reason);
    }
    this.registry.closeAll();
  }

  private retire(room: Room): void {
    this.active.delete(room.name);
    room.destroy();
  }
}
