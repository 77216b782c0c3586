/**
 * Fan-out between relay instances through Redis pub/sub, so two people connected to different
 * instances behind a load balancer edit live.
 *
 * Why pub/sub and not streams. yjs/y-redis makes a Redis stream per room the shared log: every
 * instance appends to it and reads it, and workers persist it and trim it. Hocuspocus' Redis
 * extension uses pub/sub: a channel per document, each message prefixed with the sender's id so
 * it ignores its own, and a sync step 1 published when a document loads so instances exchange
 * what each lacks. Here each instance already keeps every room it serves in memory and persists
 * it itself (its store), so a second log in Redis would duplicate the store, cost Redis memory per
 * update and add a read loop's delay to every keystroke. Pub/sub is at-most-once, and what it drops
 * (Redis down or restarted, a subscriber disconnected) is caught up the Yjs way: whenever this
 * instance (re)subscribes to a room's channel it publishes its state vector, and every instance
 * serving that room answers with what the sender lacks and with its own state vector, which the
 * sender answers likewise. Updates are idempotent, so a duplicate costs bytes, never correctness.
 *
 * Each message: [instance id, 16 bytes][kind, 1 byte][payload]. An instance drops what it sent
 * itself and never publishes again what it applied from Redis, so nothing loops.
 *
 * Storing. With a store of its own (SQLite) each instance stores everything it applies, whoever
 * sent it. With a shared store (PostgreSQL) an instance publishes a client's update only once it
 * has stored it (never one its store refused: RoomDocs' `onDurable`), and the others apply it
 * without storing it again: an instance killed between
 * passing an update on and storing it must not leave another holding it in memory alone, which
 * would then confirm it to the client (the client reconnects there and finds it known) although no
 * store has it. The price is one commit (about a millisecond) on the way between instances, and
 * while the store is unreachable updates cross instances only once it returns. What a resync
 * sends comes from the sender's memory and may include updates it has not stored yet, or never
 * will (its store refused them), so the receiver stores what is new to it first and only then
 * applies it and passes it to its clients: tried again while the store cannot be reached, dropped
 * when the store refuses it (the log may take a duplicate, which compaction folds away). Awareness travels the same way; presences an instance owns are
 * re-sent with its state vector answer, and those of an instance that died expire on the others
 * after the awareness timeout (30 s), as a client's do.
 *
 * Redis down: publishing fails fast (no offline queue: an outage must not pile updates up in
 * memory), every instance keeps serving the clients it holds, and `ready()` is false so a load
 * balancer sends newcomers elsewhere. When both connections are back, every active room is
 * subscribed again and its state vector published, and the edits made apart converge.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Logger } from '../src/node/log.js';
import type { AwarenessChange, Room, RoomObserver } from './rooms.js';
import { StoreUnavailable } from './store/room-store.js';

/** The origin of what is applied from Redis: never published again, and stored here like a client's update. */
const FROM_REDIS = Symbol('from-redis');
/** The origin of a live update from a relay sharing this one's store, published once it stored it: not stored again. */
const STORED_BY_SENDER = Symbol('stored-by-sender');

const ID_BYTES = 16;
/** How soon what a resync brought is offered again to a store that could not be reached. */
const STORE_RETRY_MS = 200;
const Kind = {
  update: 0,
  awareness: 1,
  /** "I (re)joined: here is my state vector; send what I lack and your state vector." */
  hello: 2,
  /** "Here is my state vector; send what I lack." */
  stateVector: 3,
  /** What the sender of a state vector lacked: applied as an update, counted apart from live ones. */
  missing: 4,
} as const;

const CHANNEL_PREFIX = 'tandem:room:';
const kindLabel = (kind: number) => (kind === Kind.update ? 'update' : kind === Kind.awareness ? 'awareness' : 'sync');

export interface FanoutOptions {
  url: string;
  logger: Logger;
  /** Whether the relays share one store (PostgreSQL) rather than each keeping its own (SQLite). */
  sharedStore: boolean;
  /** With a shared store: stores what a resync brought before it is applied here (see the module's doc). */
  storeUpdate?(room: string, update: Uint8Array): Promise<void>;
  /** Told each time the link to Redis goes down or comes back. */
  onLink?(up: boolean): void;
  /** Told of each message sent or received, by what it carries (a document update, presence, or a resync's state vector). */
  onMessage?(direction: 'in' | 'out', kind: 'update' | 'awareness' | 'sync'): void;
}

export class Fanout implements RoomObserver {
  private readonly id = randomBytes(ID_BYTES);
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly rooms = new Map<string, Room>();
  private up = false;
  private stopped = false;

  constructor(private readonly options: FanoutOptions) {
    const connection = {
      // An outage must not queue updates in memory: they are caught up by the resync instead.
      enableOfflineQueue: false,
      autoResubscribe: false,
      // A command cut off with its connection is not sent again past one reconnect: the resync covers it.
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt: number) => Math.min(50 * attempt, 1000),
    };
    this.pub = new Redis(options.url, connection);
    this.sub = new Redis(options.url, connection);
    for (const client of [this.pub, this.sub]) {
      client.on('ready', () => this.linkChanged());
      client.on('close', () => this.linkChanged());
      // ioredis reports every failed reconnect; the link's state changes are what the log says.
      client.on('error', () => {});
    }
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message));
  }

  /** Whether both connections to Redis are up: this instance's rooms reach the other instances. */
  ready(): boolean {
    return this.up;
  }

  opened(room: Room): void {
    this.rooms.set(room.name, room);
    if (this.up) void this.join([room.name]);
  }

  closed(room: Room): void {
    if (this.rooms.get(room.name) !== room) return;
    this.rooms.delete(room.name);
    if (this.up) this.sub.unsubscribe(CHANNEL_PREFIX + room.name).catch(() => {});
  }

  presenceChanged(room: Room, change: AwarenessChange, origin: unknown): void {
    // Each instance expires stale presences itself; telling the others would only repeat it.
    if (origin === FROM_REDIS || origin === 'timeout' || this.rooms.get(room.name) !== room) return;
    const changed = [...change.added, ...change.updated, ...change.removed];
    this.publish(room.name, Kind.awareness, encodeAwarenessUpdate(room.awareness, changed));
  }

  updated(room: Room, update: Uint8Array, origin: unknown): void {
    if (this.options.sharedStore || origin === FROM_REDIS || origin === STORED_BY_SENDER) return;
    this.publish(room.name, Kind.update, update);
  }

  /** With a shared store a client's update is published here, once stored, and never when its store refused it. */
  stored(room: string, update: Uint8Array, origin: unknown): void {
    if (!this.options.sharedStore || origin === FROM_REDIS || origin === STORED_BY_SENDER) return;
    this.publish(room, Kind.update, update);
  }

  /** Whether an update applied with this origin is in the shared store already (RoomsOptions.storedElsewhere). */
  storedElsewhere(origin: unknown): boolean {
    return origin === STORED_BY_SENDER;
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.rooms.clear();
    await Promise.all([this.pub, this.sub].map((c) => c.quit().catch(() => c.disconnect())));
  }

  private linkChanged(): void {
    const up = !this.stopped && this.pub.status === 'ready' && this.sub.status === 'ready';
    if (up === this.up) return;
    this.up = up;
    this.options.onLink?.(up);
    if (up) void this.join([...this.rooms.keys()]);
  }

  /** Subscribes to the rooms' channels, then publishes each room's state vector (see the module's doc). */
  private async join(names: string[]): Promise<void> {
    if (names.length === 0) return;
    try {
      await this.sub.subscribe(...names.map((n) => CHANNEL_PREFIX + n));
    } catch (error) {
      // The link went down meanwhile; its return joins every room again.
      this.options.logger.warn({ error: (error as Error).message }, 'redis subscribe failed');
      return;
    }
    for (const name of names) {
      const room = this.rooms.get(name);
      if (room) this.publish(name, Kind.hello, Y.encodeStateVector(room.doc));
    }
  }

  private publish(room: string, kind: number, payload: Uint8Array): void {
    if (!this.up) return;
    const message = Buffer.allocUnsafe(ID_BYTES + 1 + payload.byteLength);
    this.id.copy(message, 0);
    message[ID_BYTES] = kind;
    message.set(payload, ID_BYTES + 1);
    this.options.onMessage?.('out', kindLabel(kind));
    // A failure means the link is going down; the resync on its return covers what was lost.
    this.pub.publish(CHANNEL_PREFIX + room, message).catch(() => {});
  }

  private receive(channel: string, message: Buffer): void {
    if (message.byteLength <= ID_BYTES || message.subarray(0, ID_BYTES).equals(this.id)) return;
    const room = this.rooms.get(channel.slice(CHANNEL_PREFIX.length));
    if (!room) return;
    const kind = message[ID_BYTES]!;
    this.options.onMessage?.('in', kindLabel(kind));
    const payload = new Uint8Array(message.buffer, message.byteOffset + ID_BYTES + 1, message.byteLength - ID_BYTES - 1);
    try {
      switch (kind) {
        case Kind.update:
          return Y.applyUpdate(room.doc, payload, this.options.sharedStore ? STORED_BY_SENDER : FROM_REDIS);
        case Kind.missing:
          if (this.options.storeUpdate) return void this.storeThenApply(room, payload.slice(), this.options.storeUpdate);
          return Y.applyUpdate(room.doc, payload, FROM_REDIS);
        case Kind.awareness:
          return applyAwarenessUpdate(room.awareness, payload, FROM_REDIS);
        case Kind.hello:
        case Kind.stateVector: {
          this.publish(room.name, Kind.missing, Y.encodeStateAsUpdate(room.doc, payload));
          if (kind === Kind.stateVector) return;
          this.publish(room.name, Kind.stateVector, Y.encodeStateVector(room.doc));
          const owned = room.ownedPresences();
          if (owned.length) this.publish(room.name, Kind.awareness, encodeAwarenessUpdate(room.awareness, owned));
          return;
        }
      }
    } catch (error) {
      this.options.logger.error({ error: (error as Error).message, kind }, 'message from redis could not be applied');
    }
  }

  private async storeThenApply(room: Room, update: Uint8Array, store: (room: string, update: Uint8Array) => Promise<void>): Promise<void> {
    const open = () => !this.stopped && this.rooms.get(room.name) === room;
    for (;;) {
      if (!open() || Y.snapshotContainsUpdate(Y.snapshot(room.doc), update)) return;
      try {
        await store(room.name, update);
        break;
      } catch (error) {
        if (!(error instanceof StoreUnavailable)) {
          this.options.logger.warn({ error: (error as Error).message }, 'what a resync brought could not be stored: dropped');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, STORE_RETRY_MS));
      }
    }
    if (open()) Y.applyUpdate(room.doc, update, STORED_BY_SENDER);
  }
}
