/**
 * The documents loaded in memory. Each is persisted update by update as it changes, compacted
 * once its log grows past a threshold, and unloaded when nobody has used it for a while (a loaded
 * doc costs many times its snapshot in memory).
 */
import * as Y from 'yjs';
import { TandemError } from '../../shared/errors.js';
import type { UpdateLog } from './update-log.js';

/** `transaction` says what changed (Y.Transaction.changed), for those who update only that. */
export type UpdateHandler = (docId: string, update: Uint8Array, origin: unknown, transaction: Y.Transaction) => void;

interface Entry {
  doc: Y.Doc;
  /** The stored state while the document has not changed since it was loaded from its snapshot alone. */
  state: Uint8Array | null;
  seq: number;
  pending: number;
  refs: number;
  idleTimer: NodeJS.Timeout | undefined;
  compactTimer: NodeJS.Immediate | undefined;
}

export interface DocRegistryOptions {
  /** Log rows after which a document is compacted. */
  compactAfter: number;
  /** How long an unused document stays loaded. */
  idleUnloadMs: number;
  onUpdate: UpdateHandler;
  /** Called once each time a document is loaded into memory, before anyone uses it. */
  onLoad?: (docId: string, doc: Y.Doc) => void;
  /** Told how long each compaction took. */
  onCompacted?(ms: number): void;
}

export class DocRegistry {
  private readonly entries = new Map<string, Entry>();
  /** Documents removed in this process, by id: a version names which of its lives it is. */
  private readonly removals = new Map<string, number>();

  constructor(
    private readonly log: UpdateLog,
    private readonly options: DocRegistryOptions,
  ) {}

  isLoaded(docId: string): boolean {
    return this.entries.has(docId);
  }

  /** Whether the document is stored (loaded or not). */
  exists(docId: string): boolean {
    return this.entries.has(docId) || this.log.exists(docId);
  }

  /**
   * A name for the document's content as it is now, loaded or not: it changes with every update
   * (deletions included, which a state vector does not show) and never comes back to an earlier
   * value in this process, so what was computed from the document can be kept under it. Null when
   * the document does not exist. Costs one indexed query when the document is not loaded.
   */
  version(docId: string): string | null {
    const seq = this.entries.get(docId)?.seq ?? this.log.storedSeq(docId);
    return seq === null ? null : `${this.removals.get(docId) ?? 0}:${seq}`;
  }

  /** Creates and loads a new, empty document. */
  create(docId: string, kind: string): Y.Doc {
    this.log.create(docId, kind);
    return this.acquire(docId);
  }

  /** Loads the document if needed and holds it until `release`. */
  acquire(docId: string): Y.Doc {
    let entry = this.entries.get(docId);
    if (!entry) {
      const loaded = this.log.load(docId);
      entry = { ...loaded, refs: 0, idleTimer: undefined, compactTimer: undefined };
      this.entries.set(docId, entry);
      this.watch(docId, entry);
      this.options.onLoad?.(docId, entry.doc);
    }
    clearTimeout(entry.idleTimer);
    entry.idleTimer = undefined;
    entry.refs++;
    return entry.doc;
  }

  release(docId: string): void {
    const entry = this.entries.get(docId);
    if (!entry) return;
    entry.refs = Math.max(0, entry.refs - 1);
    if (entry.refs === 0 && !entry.idleTimer) {
      entry.idleTimer = setTimeout(() => this.unload(docId, entry), this.options.idleUnloadMs);
      entry.idleTimer.unref();
    }
  }

  /**
   * The document's whole state as one update. A document not in memory whose snapshot is all it
   * has on disk (the usual case: unloading compacts) is not loaded for it: the snapshot is that
   * state. Right after a load from a snapshot alone, it is that snapshot too, so opening a 1:1 does
   * not encode again what compaction encoded when it was last unloaded.
   */
  state(docId: string): Uint8Array {
    const entry = this.entries.get(docId);
    if (entry) return entry.state ?? Y.encodeStateAsUpdate(entry.doc);
    return this.log.snapshotAlone(docId) ?? this.with(docId, () => this.state(docId));
  }

  /** Runs `fn` with the document loaded, whether or not anyone else holds it. */
  with<T>(docId: string, fn: (doc: Y.Doc) => T): T {
    const doc = this.acquire(docId);
    try {
      return fn(doc);
    } finally {
      this.release(docId);
    }
  }

  /**
   * Deletes a document and those belonging to it (see UpdateLog.removeFamily) from memory and
   * disk, whoever holds them: nothing of them is written again. Returns their ids.
   */
  remove(docId: string): string[] {
    const ids = this.log.removeFamily(docId);
    for (const id of ids) {
      this.removals.set(id, (this.removals.get(id) ?? 0) + 1);
      const entry = this.entries.get(id);
      if (entry) this.drop(id, entry);
    }
    return ids;
  }

  /** Compacts and unloads every document. */
  closeAll(): void {
    for (const [docId, entry] of [...this.entries]) this.unload(docId, entry);
  }

  private watch(docId: string, entry: Entry): void {
    entry.doc.on('update', (update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
      entry.state = null;
      try {
        this.log.append(docId, entry.seq + 1, update);
      } catch (error) {
        // The in-memory doc is now ahead of the disk: drop it so the next use reloads the truth.
        this.drop(docId, entry);
        throw new TandemError('storage', `Tandem could not save a change: ${(error as Error).message}`);
      }
      entry.seq++;
      entry.pending++;
      if (entry.pending >= this.options.compactAfter && !entry.compactTimer) {
        entry.compactTimer = setImmediate(() => {
          entry.compactTimer = undefined;
          this.compact(docId, entry);
        });
      }
      this.options.onUpdate(docId, update, origin, transaction);
    });
  }

  /** Only for a loaded entry: dropping one clears the timers that would compact or unload it. */
  private compact(docId: string, entry: Entry): void {
    if (entry.pending === 0) return;
    const start = performance.now();
    this.log.compact(docId, entry.doc, entry.seq);
    this.options.onCompacted?.(performance.now() - start);
    entry.pending = 0;
  }

  private unload(docId: string, entry: Entry): void {
    this.compact(docId, entry);
    this.drop(docId, entry);
  }

  private drop(docId: string, entry: Entry): void {
    clearTimeout(entry.idleTimer);
    clearImmediate(entry.compactTimer);
    this.entries.delete(docId);
    entry.doc.destroy();
  }
}
