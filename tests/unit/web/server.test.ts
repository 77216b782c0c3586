/** The web shell against the real core: only requests holding its session token get anything. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { startWebShell, type WebShell } from '../../../src/web/server.js';
import { openCore, tempDir } from '../helpers/core.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function shell(): Promise<WebShell & { origin: string; token: string }> {
  const rendererDir = tempDir();
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Tandem</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'export {};');
  writeFileSync(join(rendererDir, '..', 'outside.txt'), 'not for the page');
  const { core } = await openCore();
  const web = await startWebShell({ core, rendererDir });
  cleanups.push(
    () => core.close(),
    () => web.close(),
  );
  const url = new URL(web.url);
  return { ...web, origin: url.origin, token: url.searchParams.get('token')! };
}

function rawStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

function upgrade(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', reject);
  });
}

test('the page, its assets and its socket all need the token; the page hands it on as a cookie', async () => {
  const web = await shell();
  expect((await fetch(`${web.origin}/`)).status).toBe(401);
  expect((await fetch(`${web.origin}/assets/app.js`)).status).toBe(401);
  const page = await fetch(web.url);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
  expect(cookie).toBe(`tandem_session_${web.port}=${web.token}`);
  expect((await fetch(`${web.origin}/assets/app.js`, { headers: { cookie } })).status).toBe(200);
  expect((await fetch(`${web.origin}/assets/app.js`, { headers: { cookie: `tandem_session_${web.port}=wrong` } })).status).toBe(401);

  const rpc = `${web.origin.replace('http', 'ws')}/rpc`;
  expect(await upgrade(rpc)).toBe(401);
  expect(await upgrade(rpc, { cookie })).toBe(101);
  expect(await upgrade(rpc, { cookie, origin: 'http://evil.example' })).toBe(401);
});

test('no path reaches a file outside the renderer folder', async () => {
  const web = await shell();
  // Sent raw, as written: fetch() would normalise the dots away before they reach the server.
  for (const path of ['/../outside.txt', '/%2e%2e/outside.txt', '/assets/..%2f..%2foutside.txt']) {
    expect(await rawStatus(web.port, `${path}?token=${web.token}`), path).toBe(404);
  }
  expect(await rawStatus(web.port, `/assets/app.js?token=${web.token}`)).toBe(200);
});
