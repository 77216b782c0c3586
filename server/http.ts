/**
 * The relay's HTTP face: /healthz and /metrics, and the WebSocket upgrade, which is admitted or
 * refused here before the WebSocket handshake so a refused client gets a plain HTTP status
 * (401 key, 403 secret, 400 bad room, 503 full or stopping) and never a WebSocket.
 */
import { STATUS_CODES, createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Gatekeeper } from './auth.js';
import type { Logger } from '../src/node/log.js';
import type { Metrics } from './metrics.js';

export interface HttpContext {
  gate: Gatekeeper;
  wss: WebSocketServer;
  metrics: Metrics;
  logger: Logger;
  /** False when the relay is full or shutting down. */
  accepting: () => boolean;
  onConnection: (ws: WebSocket, room: string) => void;
}

/** A slow or silent client must not hold a socket open forever before it is authenticated. */
const HEADERS_TIMEOUT_MS = 10_000;

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

function upgrade(ctx: HttpContext, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const onError = (error: Error) => ctx.logger.warn({ error: error.message }, 'socket error before upgrade');
  socket.on('error', onError);
  const url = requestUrl(req);
  const refuseWith = (status: number, fields: Record<string, unknown>) => {
    ctx.metrics.upgradesRejected.inc(1, { status: String(status) });
    ctx.logger.warn({ status, ...fields }, 'upgrade refused');
    refuse(socket, status);
  };
  if (!url) return refuseWith(400, { reason: 'bad-url' });
  if (!ctx.accepting()) return refuseWith(503, { reason: 'unavailable' });
  let admission;
  try {
    admission = ctx.gate.admit(url.pathname, url.searchParams);
  } catch (error) {
    ctx.logger.error({ error: (error as Error).message }, 'admission failed');
    return refuseWith(500, { reason: 'internal' });
  }
  if (!admission.ok) {
    if (admission.reason !== 'bad-room') ctx.metrics.authFailures.inc(1, { reason: admission.reason });
    // The room is named only once it is known to be a valid name (the key is checked first); secrets and keys never are.
    const room = admission.reason === 'secret' ? url.pathname.slice(1) : undefined;
    return refuseWith(admission.status, { reason: admission.reason, room });
  }
  ctx.wss.handleUpgrade(req, socket, head, (ws) => {
    // From here ws owns the socket and reports its errors on the WebSocket.
    socket.off('error', onError);
    ctx.onConnection(ws, admission.room);
  });
}

export function createRelayServer(ctx: HttpContext): Server {
  const server = createServer((req, res) => {
    const path = requestUrl(req)?.pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed');
    } else if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    } else if (path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(ctx.metrics.render());
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = HEADERS_TIMEOUT_MS * 3;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => upgrade(ctx, req, socket, head));
  server.on('clientError', (error, socket) => {
    ctx.logger.warn({ error: error.message }, 'bad http request');
    if (socket.writable) refuse(socket, 400);
    else socket.destroy();
  });
  server.on('error', (error) => ctx.logger.error({ error: error.message }, 'http server error'));
  return server;
}
