/**
 * The web shell's HTTP server: serves the built renderer and the core's protocol over a
 * WebSocket, on loopback only, behind a session token. The token travels in the address the
 * shell prints (`/?token=…`), which the page needs; the page presents it again as a WebSocket
 * subprotocol when it opens `/rpc`. No cookie: a cookie ignores the port, so every other server
 * on 127.0.0.1 would receive it. The renderer's scripts and styles are the public build and need
 * no token. Every request must name this shell's own address as its Host (a DNS-rebinding page
 * names its own host), and a socket's Origin must be exactly this shell's.
 */
import { timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { CONTENT_SECURITY_POLICY } from '../shared/csp.js';
import { contentType, isContentHashed, resolveInside } from '../node/static-files.js';
import { BACKUPS_FOLDER, isBackupName } from '../core/backup/backup.js';
import { serveSession } from '../core/rpc-server.js';
import type { TandemCore } from '../core/tandem-core.js';
import { BACKUP_DOWNLOAD_PATH, RPC_PATH, RPC_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from './browser-client.js';
import { wsPort } from './ws-port.js';

export interface WebShellOptions {
  core: TandemCore;
  rendererDir: string;
  token: string;
  port?: number;
}

export interface WebShell {
  url: string;
  port: number;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'cross-origin-opener-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** Only for the build's content-hashed files (see isContentHashed); everything else is no-store. */
const KEEP_FOREVER = 'public, max-age=31536000, immutable';

/** The subprotocols a WebSocket upgrade offers. */
function offeredProtocols(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** The request's target, or null when it is not a URL at all. */
function target(req: IncomingMessage, origin: string): URL | null {
  try {
    return new URL(req.url ?? '/', origin);
  } catch {
    return null;
  }
}

function refuseUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function startWebShell(options: WebShellOptions): Promise<WebShell> {
  const expected = Buffer.from(options.token);
  const rendererDir = resolve(options.rendererDir);
  await stat(join(rendererDir, 'index.html')).catch(() => {
    throw new Error(`the renderer is not built in ${rendererDir}: run \`npm run build:renderer\` first`);
  });

  const matches = (candidate: string | null | undefined) =>
    !!candidate && candidate.length === expected.length && timingSafeEqual(Buffer.from(candidate), expected);
  // Known once listening: the port is chosen by the system unless given.
  let host = '';
  let origin = '';

  const respond = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
  };

  /**
   * A browser cannot be handed a file by the core: a backup in the data directory's backups folder
   * (written daily, or by "Backup now") is downloaded from here, behind the session token.
   */
  const downloadBackup = async (url: URL, res: ServerResponse) => {
    if (!matches(url.searchParams.get('token'))) return respond(res, 401, 'This download lacks Tandem’s session token.');
    const name = url.pathname.slice(BACKUP_DOWNLOAD_PATH.length);
    if (!isBackupName(name)) return respond(res, 404, 'Not found.');
    try {
      const body = await readFile(join(options.core.dataDir, BACKUPS_FOLDER, name));
      res
        .writeHead(200, {
          ...SECURITY_HEADERS,
          'content-type': 'application/octet-stream',
          'content-disposition': `attachment; filename="${name}"`,
        })
        .end(body);
    } catch {
      respond(res, 404, 'That backup is no longer in the backups folder.');
    }
  };

  const server = createServer(async (req, res) => {
    if (req.headers.host !== host)
      return respond(res, 421, `This is Tandem at ${origin}: open the address Tandem printed when it started.`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return respond(res, 405, 'Tandem serves pages only.');
    const url = target(req, origin);
    if (url?.pathname.startsWith(BACKUP_DOWNLOAD_PATH)) return downloadBackup(url, res);
    const path = url && resolveInside(rendererDir, url.pathname);
    if (!url || !path) return respond(res, 404, 'Not found.');
    if (extname(path) === '.html' && !matches(url.searchParams.get('token'))) {
      return respond(
        res,
        401,
        'This address lacks Tandem’s session token: open the address Tandem printed when it started (it ends in ?token=…).',
      );
    }
    try {
      const body = await readFile(path);
      res
        .writeHead(200, {
          ...SECURITY_HEADERS,
          'content-type': contentType(path),
          ...(isContentHashed(url.pathname) ? { 'cache-control': KEEP_FOREVER } : {}),
        })
        .end(req.method === 'HEAD' ? undefined : body);
    } catch {
      respond(res, 404, 'Not found.');
    }
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024 * 1024,
    // Echo the plain protocol name, never the one carrying the token.
    handleProtocols: (protocols) => (protocols.has(RPC_PROTOCOL) ? RPC_PROTOCOL : false),
  });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = target(req, origin);
    const token = offeredProtocols(req)
      .find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX))
      ?.slice(TOKEN_PROTOCOL_PREFIX.length);
    // Browsers always send Origin on a WebSocket upgrade; a client without one is no browser page.
    const fromHere = req.headers.host === host && (req.headers.origin === undefined || req.headers.origin === origin);
    if (!fromHere) return refuseUpgrade(socket, '403 Forbidden');
    if (url?.pathname !== RPC_PATH || !matches(token)) return refuseUpgrade(socket, '401 Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => ws.terminate());
      serveSession(wsPort(ws), options.core.connect(), {
        onProtocolError: (error) => console.warn(`Tandem web shell: refused a message from the page: ${error.message}`),
      });
    });
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', ok);
  });
  const { port } = server.address() as AddressInfo;
  host = `127.0.0.1:${port}`;
  origin = `http://${host}`;
  return {
    url: `${origin}/?token=${options.token}`,
    port,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
