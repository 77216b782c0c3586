import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { silentLogger } from '../../../src/node/log.js';
import { startRelay, type Relay } from '../../../server/relay.js';
import {
  closeCode,
  connectClient,
  memoryLogger,
  metric,
  newRoom,
  newSecret,
  openSocket,
  rawExchange,
  readyz,
  synced,
  tempDir,
  upgradeRequest,
  upgradeStatus,
  waitFor,
} from './helpers.js';

/** Sockets beyond the connection limits that may be mid-handshake (http.ts). */
const HANDSHAKE_ALLOWANCE = 64;
const HEALTHZ = 'GET /healthz HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n';

/** A TCP connection to the relay from `localAddress` (any 127.x address reaches it) that writes `text` and then waits. */
function openRaw(port: number, text = '', localAddress = '127.0.0.1'): Promise<Socket & { answer: () => string }> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = Object.assign(connect({ port, host: '127.0.0.1', localAddress }), { answer: () => answer });
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.write(text);
      resolve(socket);
    });
  });
}

/** GET `path` from another loopback address than the tests' sockets: its own per-address count. */
function getFrom(localAddress: string, port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, localAddress }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('relay HTTP endpoints and limits', () => {
  let dir: ReturnType<typeof tempDir>;
  let relay: Relay;
  const http = (path: string) => fetch(`http://127.0.0.1:${relay.port}${path}`);
  const metrics = async () => (await http('/metrics')).text();

  beforeEach(() => {
    dir = tempDir();
  });

  const held: Socket[] = [];

  afterEach(async () => {
    for (const socket of held.splice(0)) socket.destroy();
    await relay.close();
    dir.remove();
  });

  it('answers /healthz with 200 ok', async () => {
    relay = await startRelay({ port: 0, data: dir.path }, silentLogger);
    const res = await http('/healthz');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(await res.text()).toBe('ok');
  });

  it('exposes connections, rooms, traffic and auth failures as Prometheus text on /metrics', async () => {
    relay = await startRelay({ port: 0, data: dir.path }, silentLogger);
    const room = newRoom();
    const secret = newSecret();
    const a = connectClient(relay.url, room, { secret });
    const b = connectClient(relay.url, room, { secret });
    try {
      await Promise.all([synced(a), synced(b)]);
      a.text.insert(0, 'counted');
      await waitFor(() => b.text.toString() === 'counted', 'B to see the edit');
      expect(await upgradeStatus(`${relay.url}/${room}?secret=${newSecret()}`)).toBe(403);
      const res = await http('/metrics');
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      expect(text).toContain('# TYPE tandem_relay_connections gauge');
      expect(metric(text, 'tandem_relay_connections')).toBe(2);
      expect(metric(text, 'tandem_relay_rooms_active')).toBe(1);
      expect(metric(text, 'tandem_relay_rooms_loaded')).toBe(1);
      expect(metric(text, 'tandem_relay_messages_in_total')).toBeGreaterThan(0);
      expect(metric(text, 'tandem_relay_messages_out_total')).toBeGreaterThan(0);
      expect(metric(text, 'tandem_relay_bytes_in_total')).toBeGreaterThan(0);
      expect(metric(text, 'tandem_relay_auth_failures_total{reason="secret"}')).toBe(1);
      expect(text).not.toContain(room);
    } finally {
      a.destroy();
      b.destroy();
    }
  });

  it('lists no rooms anywhere: unknown paths are 404', async () => {
    relay = await startRelay({ port: 0, data: dir.path }, silentLogger);
    for (const path of ['/', '/rooms', '/api/rooms']) {
      const res = await http(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('text/plain');
      expect(await res.text()).toBe('not found');
    }
    expect((await rawExchange(relay.port, 'GET // HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n')).answer).toMatch(
      /^HTTP\/1\.1 404 /,
    );
  });

  it('answers GET and HEAD only: anything else is 405 naming the methods it allows', async () => {
    relay = await startRelay({ port: 0, data: dir.path }, silentLogger);
    const post = await fetch(`http://127.0.0.1:${relay.port}/healthz`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect(post.headers.get('content-type')).toBe('text/plain');
    expect(await post.text()).toBe('method not allowed');
    expect((await fetch(`http://127.0.0.1:${relay.port}/healthz`, { method: 'HEAD' })).status).toBe(200);
    expect((await http('/metrics')).headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('refuses an upgrade with a complete plain HTTP answer and then closes the socket', async () => {
    relay = await startRelay({ port: 0, data: dir.path }, silentLogger);
    const room = newRoom();
    await openSocket(`${relay.url}/${room}?secret=${newSecret()}`).then((ws) => ws.close());
    const { answer } = await rawExchange(relay.port, upgradeRequest(`/${room}?secret=${newSecret()}`));
    expect(answer).toBe('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nForbidden');
  });

  it('answers 400 to an upgrade whose address cannot be read, and to a request that is not HTTP', async () => {
    const log = memoryLogger();
    relay = await startRelay({ port: 0, data: dir.path }, log.logger);
    expect((await rawExchange(relay.port, upgradeRequest('//'))).answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect((await rawExchange(relay.port, 'HELLO RELAY\r\n\r\n')).answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(log.lines()).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'upgrade refused', status: 400, reason: 'bad-url' }));
    // Named by the parser's error code, never by anything the client wrote.
    expect(log.lines()).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: 'bad http request', error: expect.stringMatching(/^HPE_/) }),
    );
    expect(metric(await metrics(), 'tandem_relay_upgrades_rejected_total{status="400",reason="bad-http"}')).toBe(1);
  });

  it('logs and counts each refused upgrade by status and reason, naming the room only once its name is valid and never a secret or key', async () => {
    const key = 'operator-key-' + newSecret();
    const log = memoryLogger();
    relay = await startRelay({ port: 0, data: dir.path, key }, log.logger);
    const room = newRoom();
    const secret = newSecret();
    const wrong = newSecret();
    expect(await upgradeStatus(`${relay.url}/${room}?secret=${secret}&key=${key}`)).toBe(101);
    expect(await upgradeStatus(`${relay.url}/${room}?secret=${secret}`)).toBe(401);
    expect(await upgradeStatus(`${relay.url}/not%20a%20room?secret=${secret}&key=${key}`)).toBe(400);
    expect(await upgradeStatus(`${relay.url}/${room}?secret=${wrong}&key=${key}`)).toBe(403);
    const refusals = log.lines().filter((l) => l.msg === 'upgrade refused');
    expect(refusals.map(({ level, status, reason, room }) => ({ level, status, reason, room }))).toEqual([
      { level: 'warn', status: 401, reason: 'key', room: undefined },
      { level: 'warn', status: 400, reason: 'bad-room', room: undefined },
      { level: 'warn', status: 403, reason: 'secret', room: expect.stringMatching(/^[\w-]{12}$/) },
    ]);
    // The same tag its connections are logged with, so an operator can follow one room.
    expect(refusals[2]!.room).toBe(log.lines().find((l) => l.msg === 'connection opened')?.room);
    // The room is named by its keyed tag: logs never hold a room id a reader could connect to.
    for (const hidden of [key, secret, wrong, room]) expect(log.text()).not.toContain(hidden);
    const text = await metrics();
    expect(metric(text, 'tandem_relay_upgrades_rejected_total{status="401",reason="key"}')).toBe(1);
    expect(metric(text, 'tandem_relay_upgrades_rejected_total{status="400",reason="bad-room"}')).toBe(1);
    expect(metric(text, 'tandem_relay_upgrades_rejected_total{status="403",reason="secret"}')).toBe(1);
    expect(metric(text, 'tandem_relay_auth_failures_total{reason="key"}')).toBe(1);
    expect(metric(text, 'tandem_relay_auth_failures_total{reason="secret"}')).toBe(1);
    expect(text).not.toContain('tandem_relay_auth_failures_total{reason="bad-room"}');
  });

  it('answers 500 to an upgrade it could not check, logs why, and goes on serving', async () => {
    const log = memoryLogger();
    relay = await startRelay({ port: 0, data: dir.path }, log.logger);
    const db = new SQLite(join(dir.path, 'relay.db'));
    db.exec('drop table rooms');
    db.close();
    expect(await upgradeStatus(`${relay.url}/${newRoom()}?secret=${newSecret()}`)).toBe(500);
    expect(log.lines()).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'admission failed', error: expect.stringContaining('rooms') }),
    );
    expect(log.lines()).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'upgrade refused', status: 500, reason: 'internal' }));
    expect((await http('/healthz')).status).toBe(200);
  });

  it('unloads an idle room from memory and reloads it from disk on the next connection', async () => {
    relay = await startRelay({ port: 0, data: dir.path, idleUnloadMs: 50 }, silentLogger);
    const room = newRoom();
    const secret = newSecret();
    const a = connectClient(relay.url, room, { secret });
    await synced(a);
    a.text.insert(0, 'kept on disk');
    a.destroy();
    let text = '';
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline && metric((text = await metrics()), 'tandem_relay_rooms_loaded') !== 0)
      await new Promise((r) => setTimeout(r, 20));
    expect(metric(text, 'tandem_relay_rooms_loaded')).toBe(0);
    const b = connectClient(relay.url, room, { secret });
    try {
      await synced(b);
      expect(b.text.toString()).toBe('kept on disk');
    } finally {
      b.destroy();
    }
  });

  it('refuses upgrades past the connection limit with 503 and admits again once one leaves', async () => {
    const log = memoryLogger();
    relay = await startRelay({ port: 0, data: dir.path, maxConnections: 2 }, log.logger);
    const url = `${relay.url}/${newRoom()}?secret=${newSecret()}`;
    const first = await openSocket(url);
    const second = await openSocket(url);
    expect(await upgradeStatus(url)).toBe(503);
    expect(log.lines()).toContainEqual(expect.objectContaining({ msg: 'upgrade refused', status: 503, reason: 'relay-full' }));
    const closed = closeCode(second);
    second.close();
    await closed;
    await expect.poll(async () => metric(await metrics(), 'tandem_relay_connections'), { timeout: 5000, interval: 10 }).toBe(1);
    expect(await upgradeStatus(url)).toBe(101);
    first.close();
  });

  it('closes a connection that exceeds its message rate with 1008', async () => {
    relay = await startRelay({ port: 0, data: dir.path, rateLimit: 1, rateBurst: 5 }, silentLogger);
    const url = `${relay.url}/${newRoom()}?secret=${newSecret()}`;
    const calm = await openSocket(url);
    const flood = await openSocket(url);
    const code = closeCode(flood);
    // Message type 3 asks for presence: harmless, so only the rate can be at fault.
    for (let i = 0; i < 20; i++) flood.send(Uint8Array.of(3));
    expect(await code).toBe(1008);
    expect(calm.readyState).toBe(calm.OPEN);
    calm.close();
  });
  it('answers /readyz with 200 ready while it can serve rooms', async () => {
    relay = await startRelay({ port: 0, data: dir.path }, silentLogger);
    expect(await readyz(relay)).toBe('200 ready');
    expect((await http('/readyz')).headers.get('content-type')).toBe('text/plain');
  });

  it('once stopping, answers /readyz 503 and refuses an upgrade with 503, even on connections opened before', async () => {
    const log = memoryLogger();
    relay = await startRelay({ port: 0, data: dir.path }, log.logger);
    // A peer that never answers the close handshake keeps the shutdown waiting for it.
    const silent = await openRaw(relay.port, upgradeRequest(`/${newRoom()}?secret=${newSecret()}`));
    held.push(silent);
    await waitFor(() => silent.answer().startsWith('HTTP/1.1 101'), 'the silent peer to be admitted');
    const upgrade = upgradeRequest(`/${newRoom()}?secret=${newSecret()}`);
    const probe = await openRaw(relay.port, 'GET /readyz HTTP/1.1\r\nHost: relay\r\n');
    const late = await openRaw(relay.port, upgrade.slice(0, -2));
    held.push(probe, late);
    // A request on another connection is answered after the relay has read the two unfinished ones.
    expect((await http('/healthz')).status).toBe(200);
    const closing = relay.close();
    probe.write('Connection: close\r\n\r\n');
    late.write('\r\n');
    await waitFor(() => probe.answer().includes('not ready') && late.answer().length > 0, 'both answers');
    expect(probe.answer()).toMatch(/^HTTP\/1\.1 503 /);
    expect(probe.answer()).toContain('not ready: stopping');
    expect(late.answer()).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(log.lines()).toContainEqual(expect.objectContaining({ msg: 'upgrade refused', status: 503, reason: 'stopping' }));
    // Refused before the room is looked up: nothing is asked of a store that is closing.
    expect(log.lines().filter((l) => l.level === 'error')).toEqual([]);
    silent.destroy();
    await closing;
  });

  it('admits one of two upgrades racing for the last place in a room, refuses the other with 503, and lets go of the room for it', async () => {
    const log = memoryLogger();
    relay = await startRelay({ port: 0, data: dir.path, maxConnectionsPerRoom: 1, idleUnloadMs: 50 }, log.logger);
    const url = `${relay.url}/${newRoom()}?secret=${newSecret()}`;
    const attempts = [new WebSocket(url), new WebSocket(url)];
    const statuses = await Promise.all(
      attempts.map(
        (ws) =>
          new Promise<number>((resolve) => {
            ws.once('open', () => resolve(101));
            ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
            ws.once('error', () => {});
          }),
      ),
    );
    expect(statuses.sort()).toEqual([101, 503]);
    expect(log.lines()).toContainEqual(expect.objectContaining({ msg: 'upgrade refused', status: 503, reason: 'room-full' }));
    // Once the admitted socket has left, nothing holds the room: it unloads when idle.
    for (const ws of attempts) ws.terminate();
    await expect.poll(async () => metric(await metrics(), 'tandem_relay_rooms_loaded'), { timeout: 5000, interval: 10 }).toBe(0);
  });

  it('drops sockets from one address past its limit and the handshake allowance, counts them, and takes that address again once one closes', async () => {
    relay = await startRelay({ port: 0, data: dir.path, maxConnectionsPerIp: 1 }, silentLogger);
    for (let i = 0; i < 1 + HANDSHAKE_ALLOWANCE; i++) held.push(await openRaw(relay.port));
    expect((await rawExchange(relay.port, HEALTHZ)).answer).toBe('');
    // Another address is still served.
    const text = await getFrom('127.0.0.2', relay.port, '/metrics');
    expect(metric(text, 'tandem_relay_upgrades_rejected_total{status="none",reason="address-sockets"}')).toBe(1);
    held.shift()!.destroy();
    await waitFor(async () => (await rawExchange(relay.port, HEALTHZ)).answer.startsWith('HTTP/1.1 200'), 'the address to be taken again');
  });

  it('drops sockets past the connection limit and the handshake allowance, and takes new ones once one closes', async () => {
    relay = await startRelay({ port: 0, data: dir.path, maxConnections: 1 }, silentLogger);
    for (let i = 0; i < 1 + HANDSHAKE_ALLOWANCE; i++) held.push(await openRaw(relay.port, '', `127.0.0.${2 + (i % 2)}`));
    expect((await rawExchange(relay.port, HEALTHZ)).answer).toBe('');
    held.shift()!.destroy();
    await waitFor(async () => (await rawExchange(relay.port, HEALTHZ)).answer.startsWith('HTTP/1.1 200'), 'a place to be free again');
  });
});
