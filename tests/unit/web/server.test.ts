/**
 * The web shell against the real core: only requests holding its session token get the page or
 * a socket, only under its own address, and nothing secret ever leaves for another server.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { startWebShell, type WebShell } from '../../../src/web/server.js';
import { RPC_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '../../../src/web/browser-client.js';
import { createRpcClient } from '../../../src/shared/rpc-client.js';
import { wsPort } from '../../../src/web/ws-port.js';
import { openCore, tempDir } from '../helpers/core.js';

const CHROMIUM = process.env.TANDEM_CHROMIUM ?? '/usr/bin/chromium';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function shell(
  page = '<!doctype html><title>Tandem</title>',
  port?: number,
): Promise<WebShell & { origin: string; token: string; ws: string }> {
  const rendererDir = tempDir();
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), page);
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'export {};');
  writeFileSync(join(rendererDir, 'assets', 'QuickAdd-Bx7_k2-Q.js'), 'export {};');
  writeFileSync(join(rendererDir, '..', 'outside.txt'), 'not for the page');
  const { core } = await openCore();
  const token = randomBytes(32).toString('base64url');
  cleanups.push(() => core.close());
  const web = await startWebShell({ core, rendererDir, token, port });
  cleanups.push(() => web.close());
  const url = new URL(web.url);
  return { ...web, origin: url.origin, token, ws: `ws://127.0.0.1:${web.port}/rpc` };
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request sent as written (fetch() would normalise paths and refuses to set Host). */
function raw(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, method }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The HTTP status a WebSocket upgrade gets (101 when accepted), and the subprotocol chosen. */
function upgrade(url: string, protocols: string[], headers: Record<string, string> = {}): Promise<{ status: number; protocol?: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { headers });
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.on('open', () => {
      resolve({ status: 101, protocol: ws.protocol });
      ws.close();
    });
    ws.on('error', reject);
  });
}

test('the page needs the token in its address; the public build does not; no cookie is ever set', async () => {
  const web = await shell();
  const bare = await raw(web.port, '/');
  expect(bare.status).toBe(401);
  expect(bare.body).toBe(
    'This address lacks Tandem’s session token: open the address Tandem printed when it started (it ends in ?token=…).\n',
  );
  expect((await raw(web.port, '/?token=wrong')).status).toBe(401);
  expect((await raw(web.port, `/index.html?token=${web.token.slice(0, -1)}x`)).status).toBe(401);

  const page = await raw(web.port, `/?token=${web.token}`);
  expect(page.status).toBe(200);
  expect(page.headers).toMatchObject({
    'content-security-policy': expect.stringContaining("script-src 'self'"),
    'cross-origin-opener-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  expect(page.headers['set-cookie']).toBeUndefined();
  expect((await raw(web.port, `/index.html?token=${web.token}`)).status).toBe(200);
  const asset = await raw(web.port, '/assets/app.js');
  expect(asset.status).toBe(200);
  expect(asset.headers['x-content-type-options']).toBe('nosniff');
});

test('the socket opens only with the token offered in the handshake, never echoing it', async () => {
  const web = await shell();
  const withToken = [RPC_PROTOCOL, TOKEN_PROTOCOL_PREFIX + web.token];
  expect((await upgrade(web.ws, [])).status).toBe(401);
  expect((await upgrade(web.ws, [RPC_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}wrong`])).status).toBe(401);
  expect((await upgrade(`${web.ws}?token=${web.token}`, [RPC_PROTOCOL])).status).toBe(401);
  expect((await upgrade(`ws://127.0.0.1:${web.port}/other`, withToken)).status).toBe(401);
  expect(await upgrade(web.ws, withToken)).toEqual({ status: 101, protocol: RPC_PROTOCOL });
  expect(await upgrade(web.ws, withToken, { origin: web.origin })).toEqual({ status: 101, protocol: RPC_PROTOCOL });
});

test('another origin, even the same host at another port, and a foreign Host get nothing', async () => {
  const web = await shell();
  const withToken = [RPC_PROTOCOL, TOKEN_PROTOCOL_PREFIX + web.token];
  for (const origin of [
    `http://127.0.0.1:${web.port + 1}`,
    `https://127.0.0.1:${web.port}`,
    `http://localhost:${web.port}`,
    'http://evil.example',
  ]) {
    expect((await upgrade(web.ws, withToken, { origin })).status, origin).toBe(403);
  }
  // A DNS-rebinding page reaches 127.0.0.1 under its own name, which the browser sends as Host.
  const rebound = `evil.example:${web.port}`;
  expect((await upgrade(web.ws, withToken, { host: rebound, origin: `http://${rebound}` })).status).toBe(403);
  expect((await upgrade(web.ws, withToken, { host: rebound })).status).toBe(403);
  expect((await raw(web.port, `/?token=${web.token}`, { host: rebound })).status).toBe(421);
  expect((await raw(web.port, '/assets/app.js', { host: rebound })).status).toBe(421);
  expect((await raw(web.port, '/assets/app.js', { host: `127.0.0.1:${web.port + 1}` })).status).toBe(421);
});

test('a link from the page to another server on 127.0.0.1 carries no token and no cookie', async () => {
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  const other = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Elsewhere</title>');
  });
  await new Promise<void>((ok) => other.listen(0, '127.0.0.1', ok));
  cleanups.push(() => new Promise((ok) => other.close(ok)));
  const otherPort = (other.address() as AddressInfo).port;

  const web = await shell(`<!doctype html><title>Tandem</title><a href="http://127.0.0.1:${otherPort}/landing">a link in the notes</a>`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  cleanups.push(() => browser.close());
  const page = await browser.newPage();
  await page.goto(web.url);
  await page.getByRole('link', { name: 'a link in the notes' }).click();
  await page.waitForURL(`http://127.0.0.1:${otherPort}/landing`);

  const landing = seen.find((r) => r.url === '/landing')!;
  expect(landing.headers.cookie).toBeUndefined();
  expect(landing.headers.referer).toBeUndefined();
  // Whatever else the browser asked that server for (its favicon), nothing names the token.
  for (const { url, headers } of seen) expect(`${url} ${JSON.stringify(headers)}`).not.toContain(web.token);
});

test('no path reaches a file outside the renderer folder', async () => {
  const web = await shell();
  for (const path of ['/../outside.txt', '/%2e%2e/outside.txt', '/assets/..%2f..%2foutside.txt']) {
    expect((await raw(web.port, `${path}?token=${web.token}`)).status, path).toBe(404);
  }
  expect((await raw(web.port, `/assets/app.js?token=${web.token}`)).status).toBe(200);
});

test('serves files only: another method is 405, HEAD has no body, a missing file or unreadable address is 404, only content-hashed files are cached', async () => {
  const web = await shell();
  const post = await raw(web.port, '/assets/app.js', {}, 'POST');
  expect(post).toMatchObject({ status: 405, body: 'Tandem serves pages only.\n' });
  expect(post.headers['content-type']).toBe('text/plain; charset=utf-8');
  const head = await raw(web.port, `/?token=${web.token}`, {}, 'HEAD');
  expect(head).toMatchObject({ status: 200, body: '' });
  expect(head.headers['content-type']).toBe('text/html; charset=utf-8');
  const asset = await raw(web.port, '/assets/app.js');
  expect(asset).toMatchObject({ status: 200, body: 'export {};' });
  expect(asset.headers).toMatchObject({ 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
  expect(head.headers['cache-control']).toBe('no-store');
  const hashed = await raw(web.port, '/assets/QuickAdd-Bx7_k2-Q.js');
  expect(hashed).toMatchObject({ status: 200, body: 'export {};' });
  expect(hashed.headers).toMatchObject({ 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' });
  expect(hashed.headers['content-security-policy']).toBeDefined();
  for (const path of ['/assets/missing.js', '/assets', '//', '/%']) {
    expect(await raw(web.port, path), path).toMatchObject({ status: 404, body: 'Not found.\n' });
  }
  const foreign = await raw(web.port, '/assets/app.js', { host: 'evil.example' });
  expect(foreign.body).toBe(`This is Tandem at ${web.origin}: open the address Tandem printed when it started.\n`);
  expect(foreign.headers['x-content-type-options']).toBe('nosniff');
});

/** A WebSocket handshake written by hand; resolves with the answer's first line, or all of it once the shell closes the socket. */
function rawUpgrade(port: number, path: string, protocols?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('error', reject);
    socket.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.startsWith('HTTP/1.1 101')) {
        resolve(text.slice(0, text.indexOf('\r\n')));
        socket.destroy();
      }
    });
    socket.on('close', () => resolve(text));
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        (protocols === undefined ? '' : `Sec-WebSocket-Protocol: ${protocols}\r\n`) +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
}

test('a refused socket gets a bare HTTP answer and is closed; a browser’s spaced protocol list is understood', async () => {
  const web = await shell();
  const refused = 'HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';
  expect(await rawUpgrade(web.port, '/rpc')).toBe(refused);
  expect(await rawUpgrade(web.port, '//', `${RPC_PROTOCOL}, ${TOKEN_PROTOCOL_PREFIX}${web.token}`)).toBe(refused);
  expect(await rawUpgrade(web.port, '/rpc', `${RPC_PROTOCOL}, ${TOKEN_PROTOCOL_PREFIX}${web.token}`)).toBe(
    'HTTP/1.1 101 Switching Protocols',
  );
});

test('an admitted socket is a session of the core: a call over it is answered', async () => {
  const web = await shell();
  const ws = new WebSocket(web.ws, [RPC_PROTOCOL, TOKEN_PROTOCOL_PREFIX + web.token]);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const api = createRpcClient(wsPort(ws));
  cleanups.push(async () => {
    api.close();
    ws.terminate();
  });
  expect(await api.getProfile()).toMatchObject({ name: 'Dana' });
});

test('listens on loopback at the port it is given, and says so when that port is taken', async () => {
  const probe = createServer();
  await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((ok) => probe.close(ok));
  const web = await shell(undefined, port);
  expect(web.port).toBe(port);
  expect(web.url).toBe(`http://127.0.0.1:${port}/?token=${web.token}`);
  await expect(shell(undefined, port)).rejects.toThrow(/EADDRINUSE/);
});

test('closing the shell ends the sockets open to it', async () => {
  const web = await shell();
  const ws = new WebSocket(web.ws, [RPC_PROTOCOL, TOKEN_PROTOCOL_PREFIX + web.token]);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const closed = new Promise((resolve) => ws.once('close', resolve));
  await web.close();
  await closed;
  expect(ws.readyState).toBe(WebSocket.CLOSED);
});

test('does not start without a built renderer, and says how to build it', async () => {
  const { core } = await openCore();
  cleanups.push(() => core.close());
  const rendererDir = tempDir();
  await expect(startWebShell({ core, rendererDir, token: 'x'.repeat(43) })).rejects.toThrow(
    `the renderer is not built in ${rendererDir}: run \`npm run build:renderer\` first`,
  );
});
