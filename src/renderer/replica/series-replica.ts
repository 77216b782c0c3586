/**
 * The renderer's replica of one 1:1 document. The core holds the persisted document; this Y.Doc is
 * a copy fed by the core's update frames, and every local edit is sent back as an update frame.
 * Frames the replica applies carry the REMOTE origin so they are never echoed back.
 *
 * It also tracks whether local edits are stored yet ("Saving…" / "Saved"), keeps updates the core
 * refused so nothing typed is lost and can be retried, and bridges presence (y-protocols
 * awareness) both ways.
 */
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import { type TandemApi, type Unsubscribe } from '../../shared/api.js';
import { COMMAND, type CommandContext } from '../../shared/domain/commands.js';
import { claimNotesAuthorship } from '../../shared/domain/meetings.js';
import { parseArchiveDocId } from '../../shared/domain/archive.js';
import { seriesOfPrivateDoc } from '../../shared/domain/private-notes.js';
import { agendaMap, removedItemsMap } from '../../shared/domain/series-doc.js';
import { TandemError } from '../../shared/errors.js';

/** Origin of changes that came from the core: applied locally, never sent back. */
export const REMOTE = Symbol('tandem-remote');

export interface PresenceUser {
  name: string;
  /** #rrggbb: the caret extension ignores any other colour format. */
  color: string;
}

export interface SaveState {
  /** Local updates sent and not yet confirmed stored. */
  pending: number;
  /** Why the last save failed, while unsaved updates remain. */
  error: TandemError | null;
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

export function toTandemError(error: unknown): TandemError {
  if (error instanceof TandemError) return error;
  return new TandemError('internal', error instanceof Error ? error.message : String(error));
}

/** A domain command (shared/domain/commands.ts) as the replica runs it. */
export type Command<I, R> = (doc: Y.Doc, input: I, ctx: CommandContext) => R;

export class SeriesReplica {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  /**
   * Undo and redo of this user's own agenda commands only: a peer's changes arrive with the REMOTE
   * origin and are never undone, and undoing ours leaves theirs in place.
   */
  readonly undoManager = new Y.UndoManager([agendaMap(this.doc), removedItemsMap(this.doc)], { trackedOrigins: new Set([COMMAND]) });
  /** Settles once the full state has arrived from the core. */
  readonly ready: Promise<void>;

  private version = 0;
  private pending = 0;
  private failed: Uint8Array[] = [];
  private saveError: TandemError | null = null;
  private opened = false;
  private closed = false;
  private readonly listeners = new Set<() => void>();
  private readonly offCore: Unsubscribe[];

  constructor(
    private readonly api: TandemApi,
    /** The document's id: a series, a series' private notes (private-notes.ts) or one of its archives (archive.ts). */
    readonly seriesId: string,
    user: PresenceUser,
    private readonly userId: string,
  ) {
    // Subscribe before asking for the state: Yjs applies updates in any order, so a frame that
    // overtakes the state is simply merged.
    this.offCore = [
      api.onDocUpdate((id, update) => id === seriesId && Y.applyUpdate(this.doc, update, REMOTE)),
      api.onAwareness((id, update) => id === seriesId && applyAwarenessUpdate(this.awareness, update, REMOTE)),
    ];
    this.doc.on('update', this.onDocUpdate);
    if (!seriesOfPrivateDoc(seriesId)) this.doc.on('afterTransaction', this.claimNotesOnFirstEdit);
    this.awareness.on('update', this.onAwarenessUpdate);
    this.awareness.setLocalStateField('user', user);
    const privateOf = seriesOfPrivateDoc(seriesId);
    const archive = parseArchiveDocId(seriesId);
    const opening = privateOf
      ? api.openPrivateNotes({ seriesId: privateOf })
      : archive
        ? api.openArchive(archive)
        : api.openSeries({ seriesId });
    this.ready = opening.then((state) => {
      if (this.closed) return;
      Y.applyUpdate(this.doc, state, REMOTE);
      // The core refuses presence for a series not yet open; announce ourselves now that it is.
      this.opened = true;
      this.announce();
    });
    // Whoever shows the replica handles a failed open; a replica nobody awaits must not raise an
    // unhandled rejection when the connection goes away mid-open.
    this.ready.catch(() => undefined);
  }

  /** Runs a domain command on this replica as this user; the update it makes is sent to the core. */
  run<I, R>(command: Command<I, R>, input: I): R {
    return command(this.doc, input, { now: new Date(), userId: this.userId });
  }

  /**
   * Runs a command that can be undone on its own later (deleting an item, with Undo in a toast),
   * and returns that undo. It undoes exactly this command even after later edits: its stack item
   * is moved to the top of the undo stack first.
   */
  runUndoable<I, R>(command: Command<I, R>, input: I): () => void {
    this.undoManager.stopCapturing();
    this.run(command, input);
    const item = this.undoManager.undoStack[this.undoManager.undoStack.length - 1];
    this.undoManager.stopCapturing();
    return () => {
      const stack = this.undoManager.undoStack;
      const at = item ? stack.indexOf(item) : -1;
      if (at < 0) return;
      stack.splice(at, 1);
      stack.push(item!);
      this.undoManager.undo();
    };
  }

  /** Called on any change worth re-rendering for: document content or save state. */
  subscribe = (listener: () => void): Unsubscribe => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  /** Changes whenever the document or the save state changes (a useSyncExternalStore snapshot). */
  getVersion = (): number => this.version;

  get saveState(): SaveState {
    return { pending: this.pending, error: this.saveError };
  }

  /** Sends again, as one update, everything the core refused so far. */
  retry(): void {
    if (this.failed.length === 0) return;
    const update = Y.mergeUpdates(this.failed.splice(0));
    this.saveError = null;
    this.send(update);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Tell the others we left before the listeners go.
    removeAwarenessStates(this.awareness, [this.doc.clientID], 'local');
    this.closed = true;
    for (const off of this.offCore) off();
    this.undoManager.destroy();
    this.awareness.destroy();
    this.doc.destroy();
    this.listeners.clear();
    await this.ready.catch(() => undefined);
    await this.api.closeSeries({ seriesId: this.seriesId });
  }

  private changed(): void {
    this.version++;
    for (const l of [...this.listeners]) l();
  }

  /**
   * The first time this replica writes shared notes, it records that its client writes as this
   * user, so the notes can be counted per person (claimNotesAuthorship). Only the editor writes
   * notes, outside any command, so the check is on what the transaction touched.
   */
  private readonly claimNotesOnFirstEdit = (tr: Y.Transaction): void => {
    if (tr.origin === REMOTE || !tr.local) return;
    const touchedNotes = [...tr.changed.keys()].some((type) => type instanceof Y.XmlFragment || type instanceof Y.XmlText);
    if (!touchedNotes) return;
    this.doc.off('afterTransaction', this.claimNotesOnFirstEdit);
    queueMicrotask(() => !this.closed && this.run(claimNotesAuthorship, {}));
  };

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin !== REMOTE) this.send(update);
    this.changed();
  };

  private send(update: Uint8Array): void {
    this.pending++;
    this.api.sendDocUpdate(this.seriesId, update).then(
      () => {
        this.pending--;
        this.changed();
      },
      (error: unknown) => {
        this.pending--;
        this.failed.push(update);
        this.saveError = toTandemError(error);
        this.changed();
      },
    );
  }

  private readonly onAwarenessUpdate = ({ added, updated, removed }: AwarenessChange, origin: unknown): void => {
    if (!this.opened) return;
    if (origin !== REMOTE) {
      this.api.sendAwareness(this.seriesId, encodeAwarenessUpdate(this.awareness, [...added, ...updated, ...removed]));
    } else if (added.length > 0) {
      // Someone new arrived: show ourselves now instead of at our next heartbeat.
      this.announce();
    }
  };

  private announce(): void {
    if (this.awareness.getLocalState()) {
      this.api.sendAwareness(this.seriesId, encodeAwarenessUpdate(this.awareness, [this.doc.clientID]));
    }
  }
}
