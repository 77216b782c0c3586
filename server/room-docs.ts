/**
 * The room documents a relay holds in memory, over its RoomStore. Each update is handed on to the
 * room's peers at once and stored with the other updates of the same event-loop turn, of all rooms,
 * in one commit right after it (group commit: one fsync for all). Its sender keeps its own copy
 * until told the relay has stored it (relay-protocol.ts), an answer given through `whenStored`, so
 * forwarding first loses nothing and spares every update the wait for its own commit. A peer handed
 * an update the relay then loses in a crash confirms nothing by holding it: it sends it back in its
 * next sync like any change of its own, and a relay confirms only what it has stored itself (or
 * what another relay sharing its store stored before passing it on). What must wait for the store
 * is passing an update to another relay, which would answer for it: that is `onDurable`.
 *
 * When the store cannot be reached, updates wait in memory, in order, and the commit is retried
 * until the store answers; nothing waiting is confirmed meanwhile. A commit whose answer was lost
 * may thus store an update twice, which loading ignores (Yjs applies an update once). The waiting bytes are bounded
 * (`backlogFull`): past the bound the relay refuses changes rather than hold more than it may.
 * A room with unstored updates is not unloaded.
 *
 * A commit that fails for another reason (a constraint, a trigger, a full disk, a serialization
 * failure) is tried again room by room, so that one room's fault fails that room alone: each room
 * whose own commit fails is dropped (the next use reloads what is stored), its updates not stored
 * since are discarded with it, and it is reported to `onStoreFailed` (its connections are closed
 * and nothing of it confirmed: its clients keep their changes and send them again). Only an update
 * that is stored is reported to `onDurable`, which is what a relay sharing its store passes on to
 * the others: what the others hold must be what any relay can load.
 *
 * A store shared with other relays may have changed while a room sat idle here: taking up an idle
 * room first brings in what the store has that the loaded document lacks.
 */
import * as Y from 'yjs';
import { StoreUnavailable, type RoomStore, type RoomUpdate } from './store/room-store.js';

/**
 * A loaded room. A class rather than an object literal: every room's entry then shares one hidden
 * class, where a spread literal gave each room a shape (and descriptor array) of its own.
 */
class Entry {
  /** This room's updates stored since it was loaded, and how many of them the last compaction covered. */
  stored = 0;
  folded = 0;
  refs = 0;
  idleTimer: NodeJS.Timeout | undefined = undefined;
  compacting: Promise<void> | null = null;

  constructor(
    readonly room: string,
    readonly doc: Y.Doc,
    /** Log entries not yet folded into the snapshot. */
    public pending: number,
    /** Bytes the room takes in the store, counted on as updates arrive. */
    public bytes: number,
    /** The secret hash the room was admitted with, for admissions while the store cannot be asked. */
    readonly secretHash: Buffer,
  ) {}
}

/** Where the one update listener every room document shares finds that document's room. */
const ENTRY = Symbol('room entry');
const entryOf = (doc: Y.Doc) => (doc as Y.Doc & { [ENTRY]: Entry })[ENTRY];

export interface RoomDocsOptions {
  /** Log entries after which a room is compacted. */
  compactAfter: number;
  /** How long a room nobody is in stays loaded. */
  idleUnloadMs: number;
  /** Bytes of updates that may wait for the store before changes are refused. */
  maxBacklogBytes: number;
  onUpdate(room: string, update: Uint8Array, origin: unknown): void;
  /** Told of each update once it is stored, in the order it arrived; never of one that was not. */
  onDurable(room: string, update: Uint8Array, origin: unknown): void;
  /** Whether an update from this origin is already in the store (another relay sharing it stored it): passed on, not stored again. */
  storedElsewhere?(origin: unknown): boolean;
  onStoreFailed(room: string, error: Error): void;
  onCompactFailed(room: string, error: Error): void;
  onStored(ms: number): void;
  onCompacted(ms: number): void;
}

/** How soon a commit the store could not take is tried again. */
const RETRY_MS = 200;
/** The origin of what a refresh brings in from the store: forwarded to peers, never stored again. */
const FROM_STORE = Symbol('from the store');

/** An update waiting for the store: `seq` counts updates as they arrive; `entry` is the loaded room it belongs to. */
interface Unstored extends RoomUpdate {
  seq: number;
  entry: Entry;
  origin: unknown;
}

export class RoomDocs {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Entry>>();
  /** Updates received and not yet stored, oldest first; `committing` are being stored now. */
  private unstored: Unstored[] = [];
  private committing: Unstored[] = [];
  private backlog = 0;
  /** Updates received in all, and how many of the oldest are settled: stored, or dropped with their room. */
  private received = 0;
  private settled = 0;
  private waiters: { upTo: number; fn: () => void }[] = [];
  private commitSoon: NodeJS.Immediate | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | null = null;
  private closed = false;

  /** One listener for every room's document, not a closure each: an idle room holds nothing it does not need. */
  private readonly onDocUpdate = (update: Uint8Array, origin: unknown, doc: Y.Doc) => this.updated(entryOf(doc), update, origin);

  constructor(
    private readonly store: RoomStore,
    private readonly options: RoomDocsOptions,
  ) {}

  /**
   * Loads the room (once, however many ask at the same time) and holds it until the returned
   * release is called. Throws StoreUnavailable when the room is not loaded and the store cannot be reached.
   */
  async hold(room: string, secretHash: Buffer): Promise<() => void> {
    let entry = this.entries.get(room);
    if (!entry) {
      let load = this.loading.get(room);
      if (!load) {
        load = this.load(room, secretHash).finally(() => this.loading.delete(room));
        this.loading.set(room, load);
      }
      entry = await load;
      this.take(entry);
    } else {
      const idle = entry.refs === 0;
      this.take(entry);
      if (idle && this.store.shared) {
        try {
          await this.refresh(room, entry);
        } catch (error) {
          this.release(room);
          throw error;
        }
      }
    }
    const held = entry;
    let released = false;
    return () => {
      // A room dropped meanwhile (a failed commit) may have been loaded again: that one is not this hold's.
      if (!released && this.entries.get(room) === held) this.release(room);
      released = true;
    };
  }

  /** Takes one more hold on a loaded room; throws when it is not loaded. */
  acquire(room: string): { doc: Y.Doc; bytes: number } {
    const entry = this.entries.get(room);
    if (!entry) throw new Error('the room is not loaded');
    this.take(entry);
    return entry;
  }

  release(room: string): void {
    const entry = this.entries.get(room);
    if (!entry) return;
    entry.refs = Math.max(0, entry.refs - 1);
    if (entry.refs === 0) this.armIdle(room, entry);
  }

  isLoaded(room: string): boolean {
    return this.entries.has(room);
  }

  /** The secret hash a loaded room was admitted with. */
  secretHash(room: string): Buffer | undefined {
    return this.entries.get(room)?.secretHash;
  }

  /** Whether `bytes` more would take the updates waiting for the store past their bound. */
  backlogFull(bytes: number): boolean {
    return this.backlog + bytes > this.options.maxBacklogBytes;
  }

  get backlogBytes(): number {
    return this.backlog;
  }

  /** Runs `fn` once every update received so far is stored: what a confirmation to a client waits for. */
  whenStored(fn: () => void): void {
    if (this.settled === this.received) fn();
    else this.waiters.push({ upTo: this.received, fn });
  }

  /**
   * Stores what is waiting (trying once more if the store cannot be reached), then compacts and
   * unloads every room. Returns how many updates could not be stored; none of them was confirmed.
   */
  async closeAll(): Promise<number> {
    this.closed = true;
    await Promise.all([...this.loading.values()].map((load) => load.catch(() => undefined)));
    await this.flushing;
    await this.commit();
    const unstored = this.unstored.length;
    for (const [room, entry] of [...this.entries]) {
      if (unstored === 0) await this.compact(room, entry);
      this.drop(room);
    }
    return unstored;
  }

  private async load(room: string, secretHash: Buffer): Promise<Entry> {
    const { doc, pending, bytes } = await this.store.open(room);
    // Copied into Node's shared pool of small buffers: a digest's own ArrayBuffer costs more than the hash itself, in every room held.
    const entry = new Entry(room, doc, pending, bytes, Buffer.from(secretHash));
    this.entries.set(room, entry);
    (doc as Y.Doc & { [ENTRY]: Entry })[ENTRY] = entry;
    doc.on('update', this.onDocUpdate);
    return entry;
  }

  /** Applies what the store has that the loaded room lacks; while the store cannot be reached, the room goes on as it is. */
  private async refresh(room: string, entry: Entry): Promise<void> {
    let stored;
    try {
      stored = await this.store.open(room);
    } catch (error) {
      if (error instanceof StoreUnavailable) return;
      throw error;
    }
    if (this.entries.get(room) === entry) {
      Y.applyUpdate(entry.doc, Y.encodeStateAsUpdate(stored.doc, Y.encodeStateVector(entry.doc)), FROM_STORE);
      entry.pending = stored.pending;
      entry.bytes = stored.bytes;
    }
    stored.doc.destroy();
  }

  private take(entry: Entry): void {
    clearTimeout(entry.idleTimer);
    entry.idleTimer = undefined;
    entry.refs++;
  }

  private armIdle(room: string, entry: Entry): void {
    clearTimeout(entry.idleTimer);
    entry.idleTimer = setTimeout(() => {
      entry.idleTimer = undefined;
      void this.unload(room, entry);
    }, this.options.idleUnloadMs);
    entry.idleTimer.unref();
  }

  private updated(entry: Entry, update: Uint8Array, origin: unknown): void {
    const { room } = entry;
    // Counted before it is handed on, so whoever is handed it can wait for it to be stored (whenStored).
    // What came from the store, or was stored by another relay, is not stored again.
    if (origin !== FROM_STORE && !this.options.storedElsewhere?.(origin)) {
      this.unstored.push({ room, update, seq: ++this.received, entry, origin });
      this.backlog += update.byteLength;
      entry.bytes += update.byteLength;
      entry.pending++;
      this.commitSoon ??= setImmediate(() => void this.commit());
      if (entry.pending >= this.options.compactAfter) void this.compact(room, entry);
    }
    this.options.onUpdate(room, update, origin);
  }

  private hasUnstored(room: string): boolean {
    return this.unstored.some((u) => u.room === room) || this.committing.some((u) => u.room === room);
  }

  /** Stores everything waiting, one commit at a time so the log keeps the order updates arrived in. */
  private commit(): Promise<void> {
    clearImmediate(this.commitSoon);
    clearTimeout(this.retryTimer);
    this.commitSoon = this.retryTimer = undefined;
    if (this.flushing || this.unstored.length === 0) return this.flushing ?? Promise.resolve();
    const rows = (this.committing = this.unstored);
    this.unstored = [];
    this.flushing = this.storeRows(rows).finally(() => {
      this.committing = [];
      this.flushing = null;
      this.settle();
      if (this.unstored.length > 0 && !this.retryTimer && !this.closed) this.commitSoon ??= setImmediate(() => void this.commit());
    });
    return this.flushing;
  }

  private async storeRows(rows: Unstored[]): Promise<void> {
    // The updates of a room dropped since they arrived go with it: they were never confirmed.
    const live = rows.filter((r) => this.entries.get(r.room) === r.entry);
    this.backlog -= bytesOf(rows.filter((r) => this.entries.get(r.room) !== r.entry));
    const error = await this.append(live);
    if (error === null) return;
    if (error instanceof StoreUnavailable) return this.requeue(live);
    const byRoom = new Map<string, Unstored[]>();
    for (const row of live) byRoom.set(row.room, [...(byRoom.get(row.room) ?? []), row]);
    const rooms = [...byRoom.values()];
    for (const [i, roomRows] of rooms.entries()) {
      const alone = await this.append(roomRows);
      if (alone instanceof StoreUnavailable) return this.requeue(rooms.slice(i).flat());
      if (alone) this.fail(roomRows, alone);
    }
  }

  /** Appends the rows in one commit; returns what failed it, or null once they are stored. */
  private async append(rows: Unstored[]): Promise<unknown> {
    if (rows.length === 0) return null;
    const start = performance.now();
    try {
      await this.store.append(rows.map(({ room, update }) => ({ room, update })));
    } catch (error) {
      return error;
    }
    this.options.onStored(performance.now() - start);
    this.backlog -= bytesOf(rows);
    for (const row of rows) {
      row.entry.stored++;
      this.options.onDurable(row.room, row.update, row.origin);
    }
    return null;
  }

  /**
   * Puts rows the store could not take back in front of the waiting ones and tries again soon.
   * Each room's rows keep their order, which is all a log's order means; the oldest row comes first,
   * which is what `settle` reads.
   */
  private requeue(rows: Unstored[]): void {
    this.unstored = rows.concat(this.unstored);
    if (!this.closed) this.retryTimer = setTimeout(() => void this.commit(), RETRY_MS);
  }

  private fail(rows: Unstored[], error: unknown): void {
    const room = rows[0]!.room;
    this.backlog -= bytesOf(rows);
    this.drop(room);
    this.options.onStoreFailed(room, new Error(`the relay could not save a change: ${(error as Error).message}`));
  }

  /** Runs the waiters whose updates are all settled: every update older than the oldest still waiting. */
  private settle(): void {
    this.settled = this.unstored.length > 0 ? this.unstored[0]!.seq - 1 : this.received;
    const ready = this.waiters.filter((w) => w.upTo <= this.settled);
    this.waiters = this.waiters.filter((w) => w.upTo > this.settled);
    for (const w of ready) w.fn();
  }

  /** Resolves once every update received so far has been committed (or dropped with its room). */
  private stored(): Promise<void> {
    return new Promise((resolve) => this.whenStored(resolve));
  }

  private compact(room: string, entry: Entry): Promise<void> {
    entry.compacting ??= (async () => {
      let again = false;
      try {
        // The snapshot must cover the room's log: its updates go in first.
        await this.stored();
        if (this.entries.get(room) !== entry || entry.pending === 0) return;
        const start = performance.now();
        // What is stored now is what the snapshot covers; updates still on their way are not.
        const covered = entry.stored;
        if (await this.store.compact(room, entry.doc)) this.options.onCompacted(performance.now() - start);
        entry.pending = Math.max(0, entry.pending - (covered - entry.folded));
        entry.folded = covered;
        // Updates that arrived meanwhile may already be past the threshold, and none may follow.
        again = entry.pending >= this.options.compactAfter;
      } catch (error) {
        // An unreachable store is tried again as the log grows or the room unloads.
        if (!(error instanceof StoreUnavailable)) this.options.onCompactFailed(room, error as Error);
      } finally {
        entry.compacting = null;
      }
      if (again) void this.compact(room, entry);
    })();
    return entry.compacting;
  }

  /**
   * Compacts and drops a room nobody holds (taking it up clears the timer that calls this). The
   * compaction waits for the room's updates to be stored; a hold, a drop or an update that comes
   * meanwhile keeps the room.
   */
  private async unload(room: string, entry: Entry): Promise<void> {
    await this.compact(room, entry);
    if (this.entries.get(room) !== entry || entry.refs > 0) return;
    if (this.hasUnstored(room)) return this.armIdle(room, entry);
    this.drop(room);
  }

  private drop(room: string): void {
    const entry = this.entries.get(room);
    if (!entry) return;
    clearTimeout(entry.idleTimer);
    this.entries.delete(room);
    this.store.release(room);
    entry.doc.destroy();
  }
}

const bytesOf = (rows: readonly RoomUpdate[]) => rows.reduce((sum, r) => sum + r.update.byteLength, 0);
