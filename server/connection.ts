/**
 * One client's WebSocket in a room: the y-websocket protocol on the relay's side, with the
 * per-connection limits. Whatever the client sends wrong closes this connection with a WebSocket
 * close code and is logged; nothing a client sends can throw out of here into the process.
 */
import { WebSocket, type RawData } from 'ws';
import type { ClientLog } from './log-limit.js';
import type { Metrics } from './metrics.js';
import {
  Close,
  ProtocolViolation,
  admitScanned,
  isSyncStep2,
  parseClientMessage,
  type MessageLimits,
  syncStep1Message,
  syncStep2Message,
  stateVectorMessage,
  updatePayload,
  type ClientMessage,
} from './protocol.js';
import { TokenBucket } from './rate-limit.js';
import type { Peer, Room, Rooms } from './rooms.js';
import { ScanPoolBusy, type ScanPool } from './scan-pool.js';
import { tagRoomIn } from './room-tag.js';

/** A peer that answers no ping for this long is gone (a sleeping laptop, a dropped network). */
const KEEPALIVE_MS = 30_000;
/** How often every connection is looked at, at most, by one timer for all. */
const SWEEP_MS = 5000;

export interface ConnectionContext {
  rooms: Rooms;
  metrics: Metrics;
  logger: ClientLog;
  tag: (room: string) => string;
  /** Every open connection, swept by one timer (`startSweeping`) rather than a timer each. */
  live: Set<Connection>;
  /** How long a client may take to start its sync. */
  syncDeadlineMs: number;
  rateLimit: number;
  rateBurst: number;
  budget: WorkBudget;
  addresses: AddressBudgets;
  limits: MessageLimits;
  /** The limits of every message but a connection's first sync step 2: fewer structs an update. */
  syncedLimits: MessageLimits;
  /** Largest message once synced (the first sync may bring a whole document). */
  syncedMessageBytes: number;
  /** Bytes queued for a peer beyond which it is too slow to keep up and is disconnected. */
  maxBufferedBytes: number;
  /** Where updates of `offloadBytes` or more are scanned, off the event loop. */
  scans: ScanPool;
  offloadBytes: number;
}

/** What one connection may cost per second (bursts: one largest message, or update, at once). */
export interface WorkBudget {
  bytesPerSecond: number;
  bytesBurst: number;
  structsPerSecond: number;
  structsBurst: number;
}

/** One address may cost this many connections' worth of work. */
const ADDRESS_SHARE = 8;

interface Spend {
  bytes: TokenBucket;
  structs: TokenBucket;
}

const spendFor = (budget: WorkBudget, share = 1): Spend => ({
  bytes: new TokenBucket(budget.bytesPerSecond * share, budget.bytesBurst * share),
  structs: new TokenBucket(budget.structsPerSecond * share, budget.structsBurst * share),
});

/** The work budgets of the addresses with open connections, shared by all of an address's connections. */
export class AddressBudgets {
  private readonly spends = new Map<string, Spend & { connections: number }>();

  constructor(private readonly budget: WorkBudget) {}

  /** Open connections from the address. */
  connections(address: string): number {
    return this.spends.get(address)?.connections ?? 0;
  }

  acquire(address: string): Spend {
    let spend = this.spends.get(address);
    if (!spend) this.spends.set(address, (spend = { ...spendFor(this.budget, ADDRESS_SHARE), connections: 0 }));
    spend.connections++;
    return spend;
  }

  release(address: string): void {
    const spend = this.spends.get(address);
    if (spend && --spend.connections === 0) this.spends.delete(address);
  }
}

/** A connection's own spend: messages, bytes and structs. */
interface OwnSpend extends Spend {
  messages: TokenBucket;
}

const CONNECTION = Symbol('connection');
const connectionOf = (ws: WebSocket) => (ws as WebSocket & { [CONNECTION]: Connection })[CONNECTION];

class Connection implements Peer {
  /**
   * Made at the first message and dropped by the sweep once every bucket is full again, which is
   * what a new one is: an idle connection holds none.
   */
  private own: OwnSpend | null = null;
  private readonly shared: Spend;
  private readonly openedAt = performance.now();
  private room: Room | null = null;
  private closing = false;
  private synced = false;
  /** Whether its first sync step 2 has come, the one update that may be a whole document. */
  private stepTwoSeen = false;
  private alive = true;
  /** While an update of this connection is scanned on a worker, what it sends next waits here, to be handled after it in order. */
  private backlog: Uint8Array[] | null = null;

  constructor(
    private readonly ws: WebSocket,
    private readonly roomName: string,
    private readonly address: string,
    private readonly ctx: ConnectionContext,
  ) {
    this.shared = ctx.addresses.acquire(address);
    // Listeners shared by every connection, finding theirs on the socket: a closure each would cost every idle connection.
    (ws as WebSocket & { [CONNECTION]: Connection })[CONNECTION] = this;
    ws.on('error', Connection.onError);
    ws.on('close', Connection.onClose);
    ws.on('pong', Connection.onPong);
    ws.on('message', Connection.onMessage);
    ctx.live.add(this);
  }

  private static onError(this: WebSocket, error: Error): void {
    const connection = connectionOf(this);
    connection.ctx.logger.warn({ room: connection.ctx.tag(connection.roomName), error: error.message }, 'connection error');
  }

  private static onClose(this: WebSocket, code: number): void {
    connectionOf(this).closed(code);
  }

  private static onPong(this: WebSocket): void {
    connectionOf(this).alive = true;
  }

  private static onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    connectionOf(this).receive(data, isBinary);
  }

  open(): void {
    try {
      this.room = this.ctx.rooms.join(this.roomName, this);
    } catch (error) {
      this.ctx.logger.error(
        { room: this.ctx.tag(this.roomName), error: tagRoomIn(error, this.roomName, this.ctx.tag) },
        'room could not be opened',
      );
      this.close(Close.internalError, 'room unavailable');
      return;
    }
    this.ctx.logger.info({ room: this.ctx.tag(this.roomName) }, 'connection opened');
    this.send(syncStep1Message(this.room.doc));
    const presence = this.room.awarenessSnapshot();
    if (presence) this.send(presence);
  }

  send(message: Uint8Array): void {
    if (this.closing || this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > this.ctx.maxBufferedBytes) {
      this.close(Close.tryAgainLater, 'too slow to keep up');
      return;
    }
    // No callback: a write that fails errors the socket, which closes this connection anyway, and a closure a send adds up.
    this.ws.send(message);
    const traffic = this.ctx.metrics.traffic;
    traffic.messagesOut++;
    traffic.bytesOut += message.byteLength;
  }

  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.ctx.metrics.closesByReason.inc({ reason: reasonLabel(reason) });
    if (code !== Close.goingAway) this.ctx.logger.warn({ room: this.ctx.tag(this.roomName), code, reason }, 'closing connection');
    // A socket paused behind a scan must read the client's answering close frame, or the close waits out ws's 30 s timeout.
    this.ws.resume();
    this.ws.close(code, closeReason(reason));
  }

  /** Drops the connection without a closing handshake. */
  terminate(): void {
    this.ws.terminate();
  }

  /** The StructBudget of this connection's updates: its own and its address's. */
  takeStructs(structs: number): boolean {
    return this.spend().structs.take(structs) && this.shared.structs.take(structs);
  }

  private spend(): OwnSpend {
    const { ctx } = this;
    return (this.own ??= { ...spendFor(ctx.budget), messages: new TokenBucket(ctx.rateLimit, ctx.rateBurst) });
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (this.closing || !this.room) return;
    const bytes = toBytes(data);
    const traffic = this.ctx.metrics.traffic;
    traffic.messagesIn++;
    traffic.bytesIn += bytes.byteLength;
    const own = this.spend();
    if (!own.messages.take()) return this.close(Close.policyViolation, 'rate limit exceeded');
    if (!isBinary) return this.close(Close.unsupportedData, 'text messages are not part of the protocol');
    if (this.synced && bytes.byteLength > this.ctx.syncedMessageBytes)
      return this.close(Close.messageTooBig, 'message too big once synced');
    if (!own.bytes.take(bytes.byteLength) || !this.shared.bytes.take(bytes.byteLength)) {
      return this.close(Close.policyViolation, 'byte budget exceeded');
    }
    if (this.backlog) this.backlog.push(bytes);
    else this.process(this.room, bytes);
  }

  private limitsFor(bytes: Uint8Array): MessageLimits {
    if (this.stepTwoSeen || !isSyncStep2(bytes)) return this.ctx.syncedLimits;
    this.stepTwoSeen = true;
    return this.ctx.limits;
  }

  /** Handles a message, or hands it to a worker and returns true. */
  private process(room: Room, bytes: Uint8Array): boolean {
    const limits = this.limitsFor(bytes);
    const payload = bytes.byteLength >= this.ctx.offloadBytes ? updatePayload(bytes) : null;
    if (payload) {
      this.offload(room, bytes, payload, limits);
      return true;
    }
    let message: ClientMessage;
    try {
      message = parseClientMessage(bytes, room.doc, limits, this);
    } catch (error) {
      this.refuse(error);
      return false;
    }
    this.handle(room, message);
    return false;
  }

  /** Scans a large update on a worker; this connection's later messages wait for it, and the socket stops reading. */
  private offload(room: Room, bytes: Uint8Array, payload: Uint8Array, limits: MessageLimits): void {
    this.backlog = [];
    this.ws.pause();
    const held = room.doc.store.pendingStructs?.update ?? null;
    this.ctx.scans.scan(payload, held, limits).then(
      (scan) => {
        if (this.closing) return;
        let message: ClientMessage;
        try {
          // Scanned with the structs the room held pending then; if they changed meanwhile, it is measured again here.
          message =
            (room.doc.store.pendingStructs?.update ?? null) === held
              ? admitScanned(payload, scan, room.doc, limits, this)
              : parseClientMessage(bytes, room.doc, limits, this);
        } catch (error) {
          return this.refuse(error);
        }
        this.handle(room, message);
        this.drain(room);
      },
      (error: Error) => {
        if (error instanceof ProtocolViolation) return this.refuse(error);
        // The update was never looked at: the client keeps it and sends it again when it reconnects.
        if (error instanceof ScanPoolBusy) return this.close(Close.tryAgainLater, 'relay busy checking updates');
        this.close(Close.internalError, `update could not be checked: ${error.message}`);
      },
    );
  }

  private drain(room: Room): void {
    const waiting = this.backlog!;
    this.backlog = null;
    while (waiting.length > 0 && !this.closing) {
      if (this.process(room, waiting.shift()!)) {
        // Offloaded again: the rest waits behind that one too.
        this.backlog!.push(...waiting);
        return;
      }
    }
    if (!this.closing) this.ws.resume();
  }

  private refuse(error: unknown): void {
    const violation = error as ProtocolViolation;
    if (violation.updateRejected) this.ctx.metrics.updatesRejected.inc();
    this.close(violation.code, violation.message);
  }

  private handle(room: Room, message: ClientMessage): void {
    try {
      switch (message.kind) {
        case 'sync-step1':
          this.synced = true;
          return this.send(syncStep2Message(room.doc, message.stateVector));
        case 'update':
          return room.applyUpdate(message.update, this);
        case 'awareness':
          return room.applyAwareness(message.update, this);
        case 'query-awareness': {
          const presence = room.awarenessSnapshot();
          if (presence) this.send(presence);
          return;
        }
        case 'query-state-vector': {
          // The answer confirms what the room holds now, so it waits until that is on disk. Taken
          // now, not then: updates that arrive while the commit is under way are not in it yet.
          const answer = stateVectorMessage(room.doc);
          return this.ctx.rooms.whenStored(() => {
            if (!this.closing) this.send(answer);
          });
        }
      }
    } catch (error) {
      if (error instanceof ProtocolViolation) {
        if (message.kind === 'update') this.ctx.metrics.updatesRejected.inc();
        return this.close(error.code, error.message);
      }
      // Decoded fine yet failed to apply: the client's data is inconsistent, not the relay.
      if (message.kind === 'update') this.ctx.metrics.updatesRejected.inc();
      this.close(Close.invalidPayload, `message could not be applied: ${(error as Error).message}`);
    }
  }

  /**
   * Drops a connection that never started its sync, and the spend of one that has been quiet long
   * enough to have it all back; `ping` also pings and drops one that stopped answering.
   */
  sweep(now: number, ping: boolean): void {
    if (!this.synced && now - this.openedAt > this.ctx.syncDeadlineMs) return this.close(Close.policyViolation, 'no sync started in time');
    const own = this.own;
    if (own && own.messages.full() && own.bytes.full() && own.structs.full()) this.own = null;
    if (!ping) return;
    if (!this.alive) {
      this.ctx.metrics.closesByReason.inc({ reason: 'no-pong' });
      this.ws.terminate();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  private closed(code: number): void {
    this.ctx.live.delete(this);
    this.ctx.addresses.release(this.address);
    this.closing = true;
    if (this.room) this.ctx.rooms.leave(this.room, this);
    this.ctx.metrics.connectionsClosed.inc({ code: String(code) });
    this.ctx.logger.info({ room: this.ctx.tag(this.roomName), code }, 'connection closed');
  }
}

export type { Connection };

/** One timer for every connection's deadlines; returns its stop. */
export function startSweeping(live: Set<Connection>, syncDeadlineMs: number): () => void {
  const every = Math.min(SWEEP_MS, Math.ceil(syncDeadlineMs / 2));
  let lastPing = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const ping = now - lastPing >= KEEPALIVE_MS;
    if (ping) lastPing = now;
    for (const connection of live) connection.sweep(now, ping);
  }, every).unref();
  return () => clearInterval(timer);
}

/** A metric label from a close reason: its fixed leading words, without the detail after a colon or any number. */
function reasonLabel(reason: string): string {
  return reason.split(':')[0]!.replace(/\d+/g, '').trim().replace(/\s+/g, '-');
}

/** A close frame's reason is limited to 123 bytes of UTF-8; the log keeps the full text. */
function closeReason(reason: string): string {
  let short = reason;
  while (Buffer.byteLength(short) > 123) short = short.slice(0, -1);
  return short;
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/** Serves an upgraded, admitted WebSocket for its room until it closes. */
export function serveConnection(ws: WebSocket, room: string, address: string, ctx: ConnectionContext): void {
  new Connection(ws, room, address, ctx).open();
}
