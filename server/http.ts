/**
 * The relay's HTTP face: /healthz, /readyz and /metrics, and the WebSocket upgrade, which is
 * admitted or refused here before the WebSocket handshake so a refused client gets a plain HTTP
 * status (401 key, 403 secret, 400 bad room, 429 too many from one address, 503 relay or room full,
 * stopping, or a room the store cannot give right now) and never a WebSocket. The room's capacity
 * is told only to holders of its secret. The room's document is loaded before the 101, so the
 * WebSocket that follows finds it in memory.
 *
 * Before admission a socket costs little and lives briefly: the server holds at most
 * `maxConnections` plus a small allowance of sockets in all, one address at most its own limit
 * plus that allowance, and a request must complete its headers within a few seconds.
 */
import { STATUS_CODES, createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Gatekeeper } from './auth.js';
import type { ClientLog } from './log-limit.js';
import type { Metrics } from './metrics.js';
import { TokenBucket } from './rate-limit.js';
import { StoreUnavailable } from './store/room-store.js';
import { tagRoomIn } from './room-tag.js';

export interface HttpContext {
  gate: Gatekeeper;
  wss: WebSocketServer;
  metrics: Metrics;
  logger: ClientLog;
  /** The log's name for a room (never the room id itself). */
  tag: (room: string) => string;
  limits: { connections: number; perIp: number; perRoom: number; roomsPerMinute: number };
  /** False when the relay is shutting down. */
  accepting: () => boolean;
  /** Why the relay cannot serve rooms now (its store unreachable, Redis unreachable), or null when it can. */
  unready: () => string | null;
  roomSize: (room: string) => number;
  /** Open WebSockets, in all and from one address. */
  connections: () => number;
  connectionsFrom: (address: string) => number;
  /** Loads the room and holds it until the release it returns (Rooms.hold). */
  holdRoom: (room: string, secretHash: Buffer) => Promise<() => void>;
  onConnection: (ws: WebSocket, room: string, address: string) => void;
}

/** A slow or silent client must not hold a socket open long before it is authenticated. */
const HEADERS_TIMEOUT_MS = 5000;
/** Sockets beyond the connection limits allowed to be mid-handshake (refused ones get their answer). */
export const HANDSHAKE_ALLOWANCE = 64;

/** Rooms each address may create: `perMinute`, and as many at once; addresses are forgotten once their bucket is full again. */
class Creations {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly perMinute: number) {}

  take(address: string): boolean {
    if (this.buckets.size > 10_000) this.buckets.clear();
    let bucket = this.buckets.get(address);
    if (!bucket) this.buckets.set(address, (bucket = new TokenBucket(this.perMinute / 60, this.perMinute)));
    return bucket.take();
  }
}

/** Counts per remote address, forgetting an address at zero. */
class PerAddress {
  private readonly counts = new Map<string, number>();

  get(address: string): number {
    return this.counts.get(address) ?? 0;
  }

  add(address: string, by: 1 | -1): void {
    const n = this.get(address) + by;
    if (n > 0) this.counts.set(address, n);
    else this.counts.delete(address);
  }
}

function refuse(socket: Duplex, status: number): void {
  const body = STATUS_CODES[status] ?? 'Error';
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${body}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function requestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://relay.invalid');
  } catch {
    return null;
  }
}

/**
 * Counts a socket under its address until it closes, with one listener shared by every socket (a
 * closure each would be kept by every idle connection). The socket keeps its address once read, so
 * the listener reads it back at close.
 */
function countUntilClosed(counts: PerAddress): (socket: Socket) => void {
  function closed(this: Socket): void {
    counts.add(this.remoteAddress ?? '', -1);
  }
  return (socket) => {
    counts.add(socket.remoteAddress ?? '', 1);
    socket.on('close', closed);
  };
}

async function upgrade(ctx: HttpContext, creations: Creations, req: IncomingMessage, socket: Duplex, head: Buffer) {
  const onError = (error: Error) => ctx.logger.warn({ error: error.message }, 'socket error before upgrade');
  socket.on('error', onError);
  const url = requestUrl(req);
  const address = req.socket.remoteAddress ?? '';
  const refuseWith = (status: number, reason: string, room?: string) => {
    ctx.metrics.upgradesRejected.inc({ status: String(status), reason });
    ctx.logger.warn({ status, reason, room: room === undefined ? undefined : ctx.tag(room) }, 'upgrade refused');
    refuse(socket, status);
  };
  /** A failed store call: 503 when the store cannot be reached (the client tries again later), 500 otherwise. */
  const storeFailed = (error: unknown, room?: string) => {
    if (error instanceof StoreUnavailable) return refuseWith(503, 'store-unavailable', room);
    ctx.logger.error({ error: (error as Error).message }, 'admission failed');
    refuseWith(500, 'internal');
  };
  if (!url) return refuseWith(400, 'bad-url');
  if (!ctx.accepting()) return refuseWith(503, 'stopping');
  if (ctx.connections() >= ctx.limits.connections) return refuseWith(503, 'relay-full');
  if (ctx.connectionsFrom(address) >= ctx.limits.perIp) return refuseWith(429, 'address-full');
  let admission;
  try {
    admission = await ctx.gate.admit(url.pathname, url.searchParams);
  } catch (error) {
    return storeFailed(error);
  }
  if (!admission.ok) {
    if (admission.reason === 'key' || admission.reason === 'secret') ctx.metrics.authFailures.inc({ reason: admission.reason });
    // The room is named only once it is known to be a valid name (the key is checked first); secrets and keys never are.
    return refuseWith(admission.status, admission.reason, admission.reason === 'secret' ? url.pathname.slice(1) : undefined);
  }
  const { room } = admission;
  if (ctx.roomSize(room) >= ctx.limits.perRoom) return refuseWith(503, 'room-full', room);
  if (admission.created && !creations.take(address)) return refuseWith(429, 'room-creation-rate');
  // Registered before the 101 goes out, so whoever sees the 101 finds the room registered; taken
  // back if the handshake fails: ws answers a bad one (400) itself and calls back, in this same
  // step, only once the 101 is written.
  try {
    if (!(await ctx.gate.register(admission))) return refuseWith(403, 'secret', room);
  } catch (error) {
    return storeFailed(error, room);
  }
  const unregister = () => {
    if (admission.created) ctx.gate.unregister(admission).catch(() => undefined);
  };
  let release: (() => void) | null = null;
  try {
    release = await ctx.holdRoom(room, admission.secretHash);
  } catch (error) {
    if (error instanceof StoreUnavailable) {
      unregister();
      return refuseWith(503, 'store-unavailable', room);
    }
    // A room whose document cannot be read is refused by its connection once upgraded (closed with 1011), naming the cause.
    ctx.logger.error({ room: ctx.tag(room), error: tagRoomIn(error, room, ctx.tag) }, 'room could not be loaded');
  }
  // The awaits above let others in: the limits are checked again before the 101.
  if (!ctx.accepting() || ctx.roomSize(room) >= ctx.limits.perRoom) {
    release?.();
    unregister();
    return refuseWith(503, ctx.accepting() ? 'room-full' : 'stopping', room);
  }
  let upgraded = false;
  try {
    ctx.wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded = true;
      // From here ws owns the socket and reports its errors on the WebSocket.
      socket.off('error', onError);
      ctx.onConnection(ws, room, address);
    });
  } finally {
    release?.();
  }
  if (!upgraded) unregister();
}

export function createRelayServer(ctx: HttpContext): Server {
  const sockets = new PerAddress();
  // Node enforces the headers timeout only when it checks, every 30 s unless told otherwise.
  const server = createServer({ connectionsCheckingInterval: 1000 }, (req, res) => {
    const path = requestUrl(req)?.pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed');
    } else if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    } else if (path === '/readyz') {
      const reason = ctx.accepting() ? ctx.unready() : 'stopping';
      res.writeHead(reason ? 503 : 200, { 'content-type': 'text/plain' }).end(reason ? `not ready: ${reason}` : 'ready');
    } else if (path === '/metrics') {
      ctx.metrics.render().then(
        (text) => res.writeHead(200, { 'content-type': ctx.metrics.contentType }).end(text),
        () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics could not be read'),
      );
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = HEADERS_TIMEOUT_MS * 2;
  server.maxConnections = ctx.limits.connections + HANDSHAKE_ALLOWANCE;
  const count = countUntilClosed(sockets);
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    if (sockets.get(address) >= ctx.limits.perIp + HANDSHAKE_ALLOWANCE) {
      ctx.metrics.upgradesRejected.inc({ status: 'none', reason: 'address-sockets' });
      socket.destroy();
      return;
    }
    count(socket);
  });
  const creations = new Creations(ctx.limits.roomsPerMinute);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgrade(ctx, creations, req, socket, head).catch((error: unknown) => {
      ctx.logger.error({ error: (error as Error).message }, 'upgrade failed');
      socket.destroy();
    });
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    ctx.metrics.upgradesRejected.inc({ status: timedOut ? '408' : '400', reason: timedOut ? 'headers-timeout' : 'bad-http' });
    ctx.logger.warn({ error: error.code ?? 'unknown' }, 'bad http request');
    if (socket.writable) refuse(socket, timedOut ? 408 : 400);
    else socket.destroy();
  });
  server.on('error', (error) => ctx.logger.error({ error: error.message }, 'http server error'));
  return server;
}
