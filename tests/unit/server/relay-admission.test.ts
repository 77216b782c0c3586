/**
 * Admission on a relay running in the test process (so a mutation run's faults reach it): caps per room, per address and for the whole relay,
 * each refused with its status and counted by reason; deadlines for a request's headers and for
 * a connection's sync; a secret registered only by a handshake that succeeds; logs that name rooms
 * only by a keyed hash; and a loud warning when anyone may create rooms.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { HANDSHAKE_ALLOWANCE } from '../../../server/http.js';
import { silentLogger } from '../../../src/node/log.js';
import { startRelay, type Relay } from '../../../server/relay.js';
import {
  closeCode,
  connectClient,
  fetchMetrics,
  memoryLogger,
  newRoom,
  newSecret,
  openSocket,
  rawExchange,
  synced,
  tempDir,
  upgradeRequest,
  upgradeStatus,
  waitFor,
} from './helpers.js';

const PER_ROOM = 3;
const PER_IP = 6;

async function metric(relay: Relay, series: string): Promise<number> {
  const text = await fetchMetrics(relay);
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

describe('admission', () => {
  let dir: ReturnType<typeof tempDir>;
  let log: ReturnType<typeof memoryLogger>;
  let relay: Relay;

  // A relay per test, so every fault a mutation run plants in admission is tried against the test that reaches it.
  beforeEach(async () => {
    dir = tempDir();
    log = memoryLogger();
    relay = await startRelay(
      { port: 0, data: dir.path, maxConnectionsPerRoom: PER_ROOM, maxConnectionsPerIp: PER_IP, syncDeadlineMs: 1000 },
      log.logger,
    );
  });

  afterEach(async () => {
    await relay.close();
    dir.remove();
  });

  it('warns at start that anyone can create rooms when no access key is set', async () => {
    await waitFor(() => log.text().includes('can create rooms'), 'the warning');
    const warning = log
      .text()
      .split('\n')
      .find((l) => l.includes('anyone who can reach this relay can create rooms'));
    expect(warning && JSON.parse(warning)).toMatchObject({ level: 'warn' });
  });

  it('refuses a connection past the room cap with 503 and counts it, while another room is served', async () => {
    const room = newRoom();
    const secret = newSecret();
    const clients = Array.from({ length: PER_ROOM }, () => connectClient(relay.url, room, { secret }));
    const elsewhere = [newRoom(), newSecret()] as const;
    try {
      await Promise.all(clients.map((c) => synced(c)));
      expect(await upgradeStatus(`${relay.url}/${room}?secret=${secret}`)).toBe(503);
      // A wrong secret still gets the 403 every wrong secret gets: the room's state is told to its holders only.
      expect(await upgradeStatus(`${relay.url}/${room}?secret=${newSecret()}`)).toBe(403);
      expect(await metric(relay, 'tandem_relay_upgrades_rejected_total{status="503",reason="room-full"}')).toBe(1);
      const other = connectClient(relay.url, elsewhere[0], { secret: elsewhere[1] });
      await synced(other);
      other.destroy();
      // Once one leaves, there is room again.
      clients.pop()!.destroy();
      const deadline = Date.now() + 5000;
      let status: number;
      do status = await upgradeStatus(`${relay.url}/${room}?secret=${secret}`);
      while (status !== 101 && Date.now() < deadline);
      expect(status).toBe(101);
    } finally {
      for (const c of clients) c.destroy();
    }
  });

  it('refuses an address past its cap with 429 and counts it, while another address is admitted', async () => {
    const before = await metric(relay, 'tandem_relay_upgrades_rejected_total{status="429",reason="address-full"}');
    const sockets = await Promise.all(Array.from({ length: PER_IP }, () => openSocket(`${relay.url}/${newRoom()}?secret=${newSecret()}`)));
    try {
      expect(await upgradeStatus(`${relay.url}/${newRoom()}?secret=${newSecret()}`)).toBe(429);
      expect(await metric(relay, 'tandem_relay_upgrades_rejected_total{status="429",reason="address-full"}')).toBe(before + 1);
      // Any 127.x address reaches the relay: another machine, as far as its counts go.
      const elsewhere = new WebSocket(`${relay.url}/${newRoom()}?secret=${newSecret()}`, { localAddress: '127.0.0.2' });
      sockets.push(elsewhere);
      await new Promise((resolve, reject) => {
        elsewhere.once('open', resolve);
        elsewhere.once('error', reject);
      });
    } finally {
      for (const ws of sockets) ws.terminate();
    }
  });

  it('holds at most its per-address cap plus the handshake allowance in sockets from one address, and forgets each as it closes', async () => {
    const series = 'tandem_relay_upgrades_rejected_total{status="none",reason="address-sockets"}';
    const before = await metric(relay, series);
    const cap = PER_IP + HANDSHAKE_ALLOWANCE;
    const extra = 10;
    const sockets: Socket[] = [];
    let closed = 0;
    try {
      for (let i = 0; i < cap + extra; i++) {
        const socket = connect(relay.port, '127.0.0.1');
        socket.on('error', () => undefined);
        socket.on('close', () => closed++);
        await new Promise((resolve) => socket.once('connect', resolve));
        sockets.push(socket);
      }
      // fetch may keep a socket of its own open: it takes a place too.
      await waitFor(() => closed >= extra, 'the sockets past the cap to be dropped');
      expect(sockets.length - closed).toBeLessThanOrEqual(cap);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
    // Every closed socket is forgotten: a new socket from the address is served again (a fresh one, not one fetch keeps open).
    const served = async () =>
      (await rawExchange(relay.port, 'GET /healthz HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n')).answer.startsWith(
        'HTTP/1.1 200',
      );
    await waitFor(served, 'the address to be served again');
    expect(await metric(relay, series)).toBeGreaterThanOrEqual(before + extra);
  });

  it('drops a connection that never starts a sync, and counts why', async () => {
    const ws = await openSocket(`${relay.url}/${newRoom()}?secret=${newSecret()}`);
    expect(await closeCode(ws, 5000)).toBe(1008);
    expect(await metric(relay, 'tandem_relay_closes_total{reason="no-sync-started-in-time"}')).toBeGreaterThanOrEqual(1);
  });

  it('closes a request whose headers never end within the headers deadline', async () => {
    const { answer, ms } = await rawExchange(relay.port, `GET /healthz HTTP/1.1\r\nHost: relay\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    // A slow client has its five seconds, and no more than that and the check's period.
    expect(ms).toBeGreaterThan(4500);
    expect(ms).toBeLessThan(10_000);
    expect(await metric(relay, 'tandem_relay_upgrades_rejected_total{status="408",reason="headers-timeout"}')).toBe(1);
  });

  it('registers a room secret only once the handshake succeeds, so a failed upgrade cannot lock the owner out', async () => {
    const room = newRoom();
    const squatter = newSecret();
    const badHandshake = upgradeRequest(`/${room}?secret=${squatter}`).replace('Sec-WebSocket-Version: 13', 'Sec-WebSocket-Version: 7');
    expect((await rawExchange(relay.port, badHandshake)).answer).toMatch(/^HTTP\/1\.1 400/);
    const ownerSecret = newSecret();
    const owner = connectClient(relay.url, room, { secret: ownerSecret });
    try {
      await synced(owner);
    } finally {
      owner.destroy();
    }
    expect(await upgradeStatus(`${relay.url}/${room}?secret=${squatter}`)).toBe(403);
    // A failed handshake into the owner's existing room takes nothing back: the room stays the owner's.
    const ownerBadHandshake = upgradeRequest(`/${room}?secret=${ownerSecret}`).replace(
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Version: 7',
    );
    expect((await rawExchange(relay.port, ownerBadHandshake)).answer).toMatch(/^HTTP\/1\.1 400/);
    expect(await upgradeStatus(`${relay.url}/${room}?secret=${squatter}`)).toBe(403);
    expect(await upgradeStatus(`${relay.url}/${room}?secret=${ownerSecret}`)).toBe(101);
  });

  it('names rooms in its logs only by a short keyed hash', async () => {
    const room = newRoom();
    const secret = newSecret();
    const client = connectClient(relay.url, room, { secret });
    await synced(client);
    expect(await upgradeStatus(`${relay.url}/${room}?secret=${newSecret()}`)).toBe(403);
    client.destroy();
    await waitFor(() => log.text().includes('"msg":"upgrade refused"'), 'the refusal to be logged');
    expect(log.text()).not.toContain(room);
    expect(log.text()).not.toContain(secret);
    const refusal = log
      .text()
      .split('\n')
      .filter((l) => l.includes('"reason":"secret"'))
      .at(-1)!;
    expect(JSON.parse(refusal).room).toMatch(/^[A-Za-z0-9_-]{12}$/);
  });
});

describe('room creation', () => {
  it('refuses an address creating rooms past its rate with 429, while its existing rooms stay open to it', async () => {
    const dir = tempDir();
    const relay = await startRelay({ port: 0, data: dir.path, roomsPerMinute: 2 }, silentLogger);
    try {
      const rooms = [newRoom(), newRoom()];
      const secret = newSecret();
      for (const room of rooms) expect(await upgradeStatus(`${relay.url}/${room}?secret=${secret}`)).toBe(101);
      expect(await upgradeStatus(`${relay.url}/${newRoom()}?secret=${secret}`)).toBe(429);
      expect(await upgradeStatus(`${relay.url}/${rooms[0]}?secret=${secret}`)).toBe(101);
      const metrics = await fetchMetrics(relay);
      expect(metrics).toContain('tandem_relay_upgrades_rejected_total{status="429",reason="room-creation-rate"} 1');
    } finally {
      await relay.close();
      dir.remove();
    }
  });
});
