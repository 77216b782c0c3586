/**
 * The web shell's HTTP server: serves the built renderer and the core's protocol over a
 * WebSocket, on loopback only, behind a random session token. The token arrives once in the URL
 * the shell prints; the page then carries it as a SameSite=Strict cookie. Anything without it,
 * page, asset or socket, gets 401.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { WebSocketServer } from 'ws';
import { CONTENT_SECURITY_POLICY } from '../shared/csp.js';
import { contentType, resolveInside } from '../node/static-files.js';
import { serveSession } from '../core/rpc-server.js';
import type { TandemCore } from '../core/tandem-core.js';
import { RPC_PATH } from './browser-client.js';
import { wsPort } from './ws-port.js';

/**
 * Cookies are scoped by host, not port: each shell names its cookie after its port so that two
 * shells open in one browser (one per participant, as in the tests) never overwrite each other's.
 */
const sessionCookie = (port: number) => `tandem_session_${port}`;

export interface WebShellOptions {
  core: TandemCore;
  rendererDir: string;
  port?: number;
  token?: string;
}

export interface WebShell {
  url: string;
  port: number;
  close(): Promise<void>;
}

function cookieToken(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === name) return v;
  }
  return undefined;
}

/** Browsers always send Origin on WebSocket upgrades; a page from elsewhere must not get in. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export async function startWebShell(options: WebShellOptions): Promise<WebShell> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const expected = Buffer.from(token);
  const rendererDir = resolve(options.rendererDir);
  await stat(join(rendererDir, 'index.html')).catch(() => {
    throw new Error(`the renderer is not built in ${rendererDir}: run \`npm run build:renderer\` first`);
  });

  const matches = (candidate: string | undefined | null) =>
    !!candidate && candidate.length === token.length && timingSafeEqual(Buffer.from(candidate), expected);
  let cookieName = '';
  const authorized = (req: IncomingMessage, url: URL) => matches(url.searchParams.get('token')) || matches(cookieToken(req, cookieName));

  const refuse = (res: ServerResponse) => {
    res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Unauthorized: open the address that `npm run web` printed.\n');
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!authorized(req, url)) return refuse(res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const path = resolveInside(rendererDir, url.pathname);
    if (!path) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(path);
      const headers: Record<string, string> = {
        'content-type': contentType(path),
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      };
      if (url.searchParams.has('token')) {
        headers['set-cookie'] = `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`;
      }
      res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404).end();
    }
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== RPC_PATH || !authorized(req, url) || !sameOrigin(req)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
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
  cookieName = sessionCookie(port);
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
