import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/node/log.js';
import { startRelay, type Relay } from '../../../server/relay.js';
import { closeCode, connectClient, metric, newRoom, newSecret, openSocket, synced, tempDir, upgradeStatus, waitFor } from './helpers.js';

describe('relay HTTP endpoints and limits', () => {
  let dir: ReturnType<typeof tempDir>;
  let relay: Relay;
  const http = (path: string) => fetch(`http://127.0.0.1:${relay.port}${path}`);
  const metrics = async () => (await http('/metrics')).text();

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(async () => {
    await relay.close();
    dir.remove();
  });

  it('answers /healthz with 200 ok', async () => {
    relay = await startRelay({ port: 0, data: dir.path }, silentLogger);
    const res = await http('/healthz');
    expect(res.status).toBe(200);
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
    for (const path of ['/', '/rooms', '/api/rooms']) expect((await http(path)).status).toBe(404);
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
    relay = await startRelay({ port: 0, data: dir.path, maxConnections: 2 }, silentLogger);
    const url = `${relay.url}/${newRoom()}?secret=${newSecret()}`;
    const first = await openSocket(url);
    const second = await openSocket(url);
    expect(await upgradeStatus(url)).toBe(503);
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
});
