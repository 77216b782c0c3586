/**
 * Keeps one shared series in sync with its relay: a stock y-websocket WebsocketProvider (with
 * `ws` in Node) over the persisted document, plus the count of local changes the relay has not
 * yet stored.
 *
 * Counting unsent changes: every local update is pending until the relay answers a state-vector
 * query (relay-protocol.ts) that was sent after it on a live connection, and the answered state
 * vector covers it. WebSocket messages are ordered, so such an answer proves the relay applied
 * and stored everything sent before the query.
 *
 * A stock y-websocket server ignores the query. When no answer comes within `confirmProbeMs`,
 * the relay is taken to be such a server: changes then count as sent once a synced connection
 * carries them, the best such a server allows.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import { WebsocketProvider, messageSync } from 'y-websocket';
import * as syncProtocol from 'y-protocols/sync';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { checkNesting } from '../../node/docstore/nesting.js';
import type { Logger } from '../../node/log.js';
import type { SyncState, SyncStatus } from '../../shared/api.js';
import { TandemError } from '../../shared/errors.js';
import { MESSAGE_STATE_VECTOR } from '../../shared/relay-protocol.js';
import { RelayUrl, explainZodError } from '../../shared/schemas.js';

import type { Share } from './share.js';

/** How long a relay has to answer the first query, and the longest pause between attempts to reach it. */
export interface SyncTiming {
  confirmProbeMs: number;
  maxBackoffMs: number;
}

export const SYNC_TIMING: SyncTiming = { confirmProbeMs: 5000, maxBackoffMs: 5000 };
/** y-websocket's message type for auth; its own handler logs the URL, room secret included. */
const MESSAGE_AUTH = 2;

type OfflineReason = NonNullable<SyncState['reason']>;

/** What a failed connection attempt's error says about the relay. */
function offlineReason(event: unknown): OfflineReason {
  const error = (event as { error?: NodeJS.ErrnoException } | null)?.error;
  if (error?.code === 'ECONNREFUSED') return 'refused';
  if (error?.code === 'ENOTFOUND' || error?.code === 'EAI_AGAIN') return 'not-found';
  // ws reports a refused upgrade as "Unexpected server response: <status>".
  const status = /Unexpected server response: (\d+)/.exec(error?.message ?? '')?.[1];
  if (status === '401') return 'key-required';
  if (status === '403') return 'forbidden';
  return 'unreachable';
}

/**
 * y-websocket reads a relay's messages without a try/catch, and in Node an exception in a socket's
 * message event is an uncaught exception: one malformed frame from a relay (or from a hostile one
 * named in an invite) would take the core down. This socket closes the connection instead; the
 * provider reconnects with backoff.
 */
const guardedWebSocket = (log: Logger, seriesId: string) =>
  class GuardedWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols);
      const accessor = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage')!;
      Object.defineProperty(this, 'onmessage', {
        get: () => accessor.get!.call(this),
        set: (handler: ((event: WebSocket.MessageEvent) => void) | null) =>
          accessor.set!.call(
            this,
            handler &&
              ((event: WebSocket.MessageEvent) => {
                try {
                  handler.call(this, event);
                } catch (error) {
                  log.warn({ seriesId, error: (error as Error).message }, 'closed a relay connection after a malformed message');
                  this.close();
                }
              }),
          ),
      });
    }
  };

/**
 * The state vector a local change needs the relay to reach: each client's clock after it, for the
 * clients it added to. (Y.encodeStateVectorFromUpdate would not do: it counts only structs from
 * clock 0, so it is empty for every change but a client's first.)
 */
const addedClocks = (t: Y.Transaction): Map<number, number> =>
  new Map([...t.afterState].filter(([client, clock]) => clock > (t.beforeState.get(client) ?? 0)));

interface PendingChange {
  /** Highest clock per client the change contains; empty for deletion-only changes. */
  clocks: Map<number, number>;
  /** Position among local changes, for matching against the queries answered. */
  index: number;
}

/**
 * y-websocket adds a process `exit` listener per provider (to withdraw its presence) and takes it
 * off on destroy: one per shared 1:1 being synced, which past ten made Node warn of a leak that is
 * not one. The allowance follows the providers (0 means no limit, and stays so).
 */
function allowExitListeners(change: 1 | -1): void {
  const max = process.getMaxListeners();
  if (max !== 0) process.setMaxListeners(max + change);
}

export class SeriesSync {
  readonly provider: WebsocketProvider;
  private status: SyncStatus = 'connecting';
  private failedSinceConnect = false;
  /** Why the last attempt failed, and when the next is due: set while offline, and only then. */
  private offline: { reason: OfflineReason; retryAt: string } | null = null;
  private attemptError: OfflineReason | null = null;
  private pending: PendingChange[] = [];
  private localCount = 0;
  /** For each query in flight on the current socket, how many local changes preceded it. */
  private queries: number[] = [];
  private queryTimer: NodeJS.Timeout | null = null;
  /** Whether the relay answers state-vector queries; null until known. */
  private confirms: boolean | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private destroyed = false;
  private readonly onUpdate: (update: Uint8Array, origin: unknown, doc: Y.Doc, transaction: Y.Transaction) => void;

  constructor(
    private readonly doc: Y.Doc,
    awareness: Awareness,
    readonly share: Share,
    private readonly onState: (state: SyncState) => void,
    log: Logger,
    private readonly timing: SyncTiming = SYNC_TIMING,
  ) {
    // Checked here, not left to the WebSocket: its errors quote the whole address, room secret included.
    const relay = RelayUrl.safeParse(share.relayUrl);
    if (!relay.success) throw new TandemError('invalid-input', `This 1:1 cannot connect to its relay. ${explainZodError(relay.error)}`);
    const params: Record<string, string> = { secret: share.secret };
    if (share.key) params.key = share.key;
    allowExitListeners(1);
    this.provider = new WebsocketProvider(share.relayUrl, share.seriesId, doc, {
      WebSocketPolyfill: guardedWebSocket(log, share.seriesId) as unknown as typeof globalThis.WebSocket,
      awareness,
      params,
      disableBc: true,
      maxBackoffTime: timing.maxBackoffMs,
    });
    // y-websocket applies a relay's updates as it reads them; one nesting types past what Yjs can
    // delete again is refused first (nesting.ts), and the guarded socket then drops the connection.
    const applySync = this.provider.messageHandlers[messageSync]!;
    this.provider.messageHandlers[messageSync] = (encoder, decoder, provider, emitSynced, type) => {
      const peek = decoding.clone(decoder);
      if (decoding.readVarUint(peek) !== syncProtocol.messageYjsSyncStep1)
        checkNesting(Y.decodeUpdate(decoding.readVarUint8Array(peek)), doc);
      applySync(encoder, decoder, provider, emitSynced, type);
    };
    this.provider.messageHandlers[MESSAGE_AUTH] = () => log.warn({ seriesId: share.seriesId }, 'the relay denied access to the room');
    this.provider.messageHandlers[MESSAGE_STATE_VECTOR] = (_encoder, decoder) =>
      this.confirm(Y.decodeStateVector(decoding.readVarUint8Array(decoder)));
    this.provider.on('connection-error', (event) => (this.attemptError = offlineReason(event)));
    this.provider.on('status', ({ status }) => {
      if (status === 'connecting') this.attemptError = null;
      if (status === 'connected') {
        this.failedSinceConnect = false;
        this.offline = null;
      }
      this.queries = [];
      this.setStatus(this.failedSinceConnect ? 'offline' : 'connecting');
    });
    this.provider.on('connection-close', () => {
      this.failedSinceConnect = true;
      // Emitted before y-websocket counts this failure and schedules the next attempt with
      // min(2^failures × 100 ms, max backoff): the same delay, counted one ahead.
      const delay = Math.min(2 ** (this.provider.wsUnsuccessfulReconnects + 1) * 100, timing.maxBackoffMs);
      this.offline = { reason: this.attemptError ?? 'unreachable', retryAt: new Date(Date.now() + delay).toISOString() };
      this.status = 'offline';
      this.emit();
    });
    this.provider.on('sync', (synced) => {
      if (!synced) return;
      if (this.confirms === false) this.pending = [];
      this.status = 'synced';
      this.emit();
      this.query();
    });
    this.onUpdate = (_update, origin, _doc, transaction) => {
      if (origin === this.provider) return;
      if (this.confirms === false && this.provider.synced) return;
      this.pending.push({ clocks: addedClocks(transaction), index: this.localCount++ });
      this.emit();
      this.scheduleQuery();
    };
    doc.on('update', this.onUpdate);
  }

  state(): SyncState {
    const state: SyncState = { seriesId: this.share.seriesId, status: this.status, unsent: this.pending.length };
    return this.offline ? { ...state, ...this.offline } : state;
  }

  /** Tries the relay now instead of at the next scheduled attempt; nothing if connected or trying. */
  retryNow(): void {
    this.provider.connect();
  }

  /** Resolves true once synced with the relay, false if `timeoutMs` passes first. */
  whenSynced(timeoutMs: number): Promise<boolean> {
    if (this.provider.synced) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.provider.off('sync', onSync);
        resolve(ok);
      };
      const onSync = (synced: boolean) => synced && done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.provider.on('sync', onSync);
    });
  }

  /** Disconnects for good, announcing nothing more: the share is gone or replaced, not offline. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.queryTimer) clearTimeout(this.queryTimer);
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.doc.off('update', this.onUpdate);
    this.provider.destroy();
    allowExitListeners(-1);
  }

  private setStatus(status: SyncStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.emit();
  }

  private emit(): void {
    if (!this.destroyed) this.onState(this.state());
  }

  private scheduleQuery(): void {
    if (this.queryTimer || !this.provider.synced) return;
    this.queryTimer = setTimeout(() => {
      this.queryTimer = null;
      this.query();
    }, 20);
  }

  private query(): void {
    const ws = this.provider.ws;
    if (this.confirms === false || !this.provider.wsconnected || !ws || ws.readyState !== ws.OPEN) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_STATE_VECTOR);
    ws.send(encoding.toUint8Array(encoder));
    this.queries.push(this.localCount);
    if (this.confirms === null && !this.probeTimer) {
      this.probeTimer = setTimeout(() => {
        this.probeTimer = null;
        if (this.confirms !== null || !this.provider.synced) return;
        this.confirms = false;
        this.pending = [];
        this.emit();
      }, this.timing.confirmProbeMs);
      this.probeTimer.unref();
    }
  }

  private confirm(relayClocks: Map<number, number>): void {
    this.confirms = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    const before = this.queries.shift();
    if (before === undefined) return;
    const covered = (c: PendingChange) =>
      c.index < before && [...c.clocks].every(([client, clock]) => (relayClocks.get(client) ?? 0) >= clock);
    const left = this.pending.filter((c) => !covered(c));
    if (left.length === this.pending.length) return;
    this.pending = left;
    this.emit();
    if (left.length && this.queries.length === 0) this.scheduleQuery();
  }
}
