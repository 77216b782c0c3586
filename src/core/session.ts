/**
 * One UI's view of the core: the TandemApi contract for one window or browser tab. Operations come
 * from the handler registry, each call validated with its handler's schema before it runs; the
 * session itself only keeps what is per-UI: the 1:1s it has open, and its listeners for document
 * frames, presence and events.
 */
import type { EventListener, FrameListener, OperationName, OperationsApi, TandemApi, TandemEvent } from '../shared/api.js';
import { TandemError } from '../shared/errors.js';
import { DocId } from '../shared/domain/private-notes.js';
import { explainZodError } from '../shared/schemas.js';
import { applyChecked } from '../node/docstore/update-log.js';
import type { HandlerContext, SessionAccess } from './features/context.js';
import { operations } from './features/registry.js';
import type { TandemCore } from './tandem-core.js';

export type CoreSession = TandemApi & {
  dispose(): void;
};

/** Runs one operation: validates its input, then calls its handler. */
export async function dispatch(ctx: HandlerContext, method: OperationName, input: unknown): Promise<unknown> {
  const { input: schema, run } = operations[method];
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new TandemError('invalid-input', explainZodError(parsed.error));
  return (run as (ctx: HandlerContext, input: unknown) => Promise<unknown>)(ctx, parsed.data);
}

function requireId(docId: unknown): string {
  const parsed = DocId.safeParse(docId);
  if (!parsed.success) throw new TandemError('invalid-input', explainZodError(parsed.error));
  return parsed.data;
}

/** A new session of `core`, in `sessions` (what the core fans out to) until it is disposed. */
export function openSession(core: TandemCore, sessions: Set<SessionState>): CoreSession {
  const state = new SessionState(core, (s) => sessions.delete(s));
  sessions.add(state);
  const ctx: HandlerContext = { core, session: state };
  const ops = Object.fromEntries(
    (Object.keys(operations) as OperationName[]).map((method) => [method, (input?: unknown) => dispatch(ctx, method, input)]),
  ) as OperationsApi;
  return {
    ...ops,
    sendDocUpdate: async (seriesId, update) => state.applyUpdate(requireId(seriesId), update),
    onDocUpdate: (listener) => state.listen(state.frameListeners, listener),
    sendAwareness: (seriesId, update) => state.applyAwareness(requireId(seriesId), update),
    onAwareness: (listener) => state.listen(state.awarenessListeners, listener),
    onEvent: (listener) => state.listen(state.eventListeners, listener),
    dispose: () => state.dispose(),
  };
}

/** What the core fans out to: one per connected UI. */
export class SessionState implements SessionAccess {
  /** Series this UI has open, with how many openSeries calls are not yet closed (a quick reopen overlaps its close). */
  private readonly opened = new Map<string, number>();
  /** Open documents whose core copy this session holds loaded (see `open`). */
  private readonly held = new Set<string>();
  /** Set once the session is gone: a load deferred by `open` must not touch a core that may be closed by then. */
  private disposed = false;
  readonly frameListeners = new Set<FrameListener>();
  readonly eventListeners = new Set<EventListener>();
  readonly awarenessListeners = new Set<FrameListener>();

  constructor(
    private readonly core: TandemCore,
    private readonly onDispose: (session: SessionState) => void,
  ) {}

  /**
   * Opens a document for this UI and returns its whole state. The core's own copy is loaded after
   * the reply has gone out (`hold`), or at the UI's first message if that comes sooner: a stored
   * snapshot is the state already, so the UI does not wait for the core to decode it as well.
   */
  open(docId: string): Uint8Array {
    const count = this.opened.get(docId) ?? 0;
    const state = this.core.docs.state(docId);
    this.opened.set(docId, count + 1);
    if (count === 0) setImmediate(() => this.hold(docId));
    return state;
  }

  /** Loads and holds an open document, with its presence; tells the window who is already here. */
  private hold(docId: string): void {
    if (this.disposed || !this.opened.has(docId) || this.held.has(docId)) return;
    const doc = this.core.docs.acquire(docId);
    this.held.add(docId);
    this.core.presence.awareness(docId, doc);
    const present = this.core.presence.snapshot(docId);
    if (present) this.deliverAwareness(docId, present);
  }

  close(seriesId: string): void {
    const count = this.opened.get(seriesId);
    if (!count) return;
    if (count > 1) {
      this.opened.set(seriesId, count - 1);
      return;
    }
    this.opened.delete(seriesId);
    this.core.presence.leave(this, seriesId);
    if (this.held.delete(seriesId)) this.core.docs.release(seriesId);
  }

  isOpen(seriesId: string): boolean {
    return this.opened.has(seriesId);
  }

  applyUpdate(seriesId: string, update: Uint8Array): void {
    if (!this.isOpen(seriesId))
      throw new TandemError('invalid-input', `This 1:1 (${seriesId}) is not open in this window any more: open it again to keep editing.`);
    this.hold(seriesId);
    this.core.docs.with(seriesId, (doc) => {
      let decoded: ReturnType<typeof applyChecked>;
      try {
        decoded = applyChecked(doc, update, this);
      } catch (error) {
        if (error instanceof TandemError) throw error;
        throw new TandemError('invalid-input', `sendDocUpdate: the update does not decode (${(error as Error).message})`);
      }
      this.core.archives.fromWindow(seriesId, doc, decoded);
    });
  }

  applyAwareness(seriesId: string, update: Uint8Array): void {
    if (!this.isOpen(seriesId))
      throw new TandemError('invalid-input', `This 1:1 (${seriesId}) is not open in this window any more: open it again to keep editing.`);
    this.hold(seriesId);
    this.core.presence.apply(seriesId, update, this);
  }

  listen<L>(set: Set<L>, listener: L): () => void {
    set.add(listener);
    return () => void set.delete(listener);
  }

  deliver(seriesId: string, update: Uint8Array): void {
    if (!this.isOpen(seriesId)) return;
    for (const l of this.frameListeners) l(seriesId, update);
  }

  deliverAwareness(seriesId: string, update: Uint8Array): void {
    if (!this.isOpen(seriesId)) return;
    for (const l of this.awarenessListeners) l(seriesId, update);
  }

  emit(event: TandemEvent): void {
    for (const l of this.eventListeners) l(event);
  }

  dispose(): void {
    this.disposed = true;
    this.core.presence.leave(this);
    for (const id of this.held) this.core.docs.release(id);
    this.held.clear();
    this.opened.clear();
    this.frameListeners.clear();
    this.eventListeners.clear();
    this.awarenessListeners.clear();
    this.onDispose(this);
  }
}
