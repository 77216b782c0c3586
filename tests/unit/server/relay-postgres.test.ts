/**
 * The relay on PostgreSQL, against a real server started for the file: it serves rooms, two relay
 * processes share them, and while PostgreSQL is down loaded rooms keep working with their updates
 * held in memory (bounded), new rooms are refused with 503, /readyz says not ready, and everything
 * held is written when PostgreSQL returns. An update is confirmed to its sender (the answer to
 * Tandem's state-vector query) only once it is committed in PostgreSQL.
 */
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type Relay } from '../../../server/relay.js';
import { silentLogger } from '../../../src/node/log.js';
import {
  askStored,
  clientPool,
  closeCode,
  confirmedAll,
  coversAll,
  fetchMetrics,
  freePort,
  memoryLogger,
  metric,
  newRoom,
  newSecret,
  openSocket,
  readyz,
  waitReady,
  spawnRelay,
  synced,
  syncUpdateMessage,
  upgradeStatus,
  waitFor,
  type RelayProcess,
  SPAWNED_RELAY_TIMEOUT_MS,
} from './helpers.js';
import { postgresSkipReason, queryDatabase, startPostgres, storedText, type PostgresServer } from './postgres-server.js';

const skip = postgresSkipReason();
if (skip) console.warn(`relay on PostgreSQL tests skipped: ${skip}`);

describe.skipIf(skip)('the relay on PostgreSQL', { timeout: SPAWNED_RELAY_TIMEOUT_MS * 2 }, () => {
  let server: PostgresServer;
  const clients = clientPool();
  const relays: Relay[] = [];
  const processes: RelayProcess[] = [];

  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.destroy();
  });
  afterEach(async () => {
    clients.destroyAll();
    for (const r of relays.splice(0)) await r.close();
    for (const p of processes.splice(0)) await p.stop('SIGKILL');
  });

  const client = clients.connect;
  const relayOn = async (
    postgres: string,
    options: { storeBacklogBytes?: number; compactAfter?: number; roomExpiryMs?: number; idleUnloadMs?: number } = {},
  ) => {
    const relay = await startRelay({ port: 0, postgres, ...options }, silentLogger);
    relays.push(relay);
    return relay;
  };

  it('serves a room, confirms only what PostgreSQL holds, and keeps it across a restart with the same secret', async () => {
    const url = await server.createDatabase();
    let relay = await relayOn(url);
    const room = newRoom();
    const secret = newSecret();
    const [a, b] = await clients.pair(relay, room, secret);
    a.text.insert(0, 'kept in PostgreSQL');
    await waitFor(() => b.text.toString() === 'kept in PostgreSQL', 'B to see the edit');
    await confirmedAll(a);
    expect(await storedText(url, room)).toBe('kept in PostgreSQL');
    clients.destroyAll();
    await relays.splice(0)[0]!.close();
    relay = await relayOn(url);
    expect(await upgradeStatus(`${relay.url}/${room}?secret=${newSecret()}`)).toBe(403);
    const later = client(relay, room, secret);
    await synced(later);
    expect(later.text.toString()).toBe('kept in PostgreSQL');
  });

  it('compacts a room in PostgreSQL as its log grows, and loads back the same text', async () => {
    const url = await server.createDatabase();
    const relay = await relayOn(url, { compactAfter: 5 });
    const room = newRoom();
    const secret = newSecret();
    const a = client(relay, room, secret);
    await synced(a);
    for (let i = 0; i < 23; i++) a.text.insert(a.text.length, `${i};`);
    await confirmedAll(a);
    const rows = async () =>
      (
        await queryDatabase<{ snapshot: boolean; updates: number }>(
          url,
          `select (select snapshot is not null from docs where doc_id = $1) as snapshot,
                  (select count(*)::int from doc_updates where doc_id = $1) as updates`,
          [room],
        )
      ).rows[0]!;
    await waitFor(async () => (await rows()).updates < 5, 'the room to be compacted', 10_000);
    expect((await rows()).snapshot).toBe(true);
    expect(await storedText(url, room)).toBe(a.text.toString());
  });

  it('two relay processes share rooms: written through one, loaded by the other, with the secret the first registered', async () => {
    const url = await server.createDatabase();
    const one = await spawnRelay(['--port', '0', '--postgres', url]);
    processes.push(one);
    const two = await spawnRelay(['--port', '0'], { TANDEM_RELAY_POSTGRES_URL: url });
    processes.push(two);
    const room = newRoom();
    const secret = newSecret();
    const writer = client(one, room, secret);
    await synced(writer);
    writer.text.insert(0, 'written through one');
    await confirmedAll(writer);
    writer.destroy();
    await waitFor(async () => metric(await fetchMetrics(one), 'tandem_relay_rooms_active') === 0, 'relay one to close the room', 10_000);
    expect(await upgradeStatus(`${two.url}/${room}?secret=${newSecret()}`)).toBe(403);
    const reader = client(two, room, secret);
    await synced(reader);
    expect(reader.text.toString()).toBe('written through one');
  });

  it('a room idle on one relay and changed through another is brought up to date when it is used again', async () => {
    const url = await server.createDatabase();
    const [one, two] = [await relayOn(url), await relayOn(url)];
    const room = newRoom();
    const secret = newSecret();
    const writeVia = async (relay: Relay, text: string) => {
      const c = client(relay, room, secret);
      await synced(c);
      c.text.insert(c.text.length, text);
      await confirmedAll(c);
      const seen = c.text.toString();
      c.destroy();
      return seen;
    };
    await writeVia(one, 'through one;');
    const both = await writeVia(two, 'through two;');
    expect(both).toBe('through one;through two;');
    const back = client(one, room, secret);
    await synced(back);
    await waitFor(() => back.text.toString() === both, 'relay one to serve what relay two stored');
    // What relay one brought in from PostgreSQL is not stored a second time.
    const { rows } = await queryDatabase<{ n: number }>(url, 'select count(*)::int as n from doc_updates where doc_id = $1', [room]);
    expect(rows[0]!.n).toBe(2);
  });

  it('while PostgreSQL is down, a room loaded here that everyone left is joined again with all it held', async () => {
    const url = await server.createDatabase();
    const relay = await relayOn(url);
    const room = newRoom();
    const secret = newSecret();
    const first = client(relay, room, secret);
    await synced(first);
    first.text.insert(0, 'held here;');
    await confirmedAll(first);
    first.destroy();
    await waitFor(async () => metric(await fetchMetrics(relay), 'tandem_relay_rooms_active') === 0, 'the relay to close the room');
    await server.stop('immediate');
    try {
      await waitReady(relay, false);
      const again = client(relay, room, secret);
      await synced(again);
      expect(again.text.toString()).toBe('held here;');
    } finally {
      await server.start();
    }
  });

  it('never expires a room another relay holds without writing to it, while rooms nobody holds expire', async () => {
    const url = await server.createDatabase();
    const options = { roomExpiryMs: 1500, idleUnloadMs: 0 };
    const [one, two] = [await relayOn(url, options), await relayOn(url, options)];
    const [read, forgotten] = [newRoom(), newRoom()];
    const secret = newSecret();
    const writeVia = async (room: string, text: string) => {
      const c = client(one, room, secret);
      await synced(c);
      c.text.insert(0, text);
      await confirmedAll(c);
      c.destroy();
    };
    await writeVia(read, 'still read');
    // Only relay two holds the room from now on, for a reader who never writes.
    const reader = client(two, read, secret);
    await synced(reader);
    await writeVia(forgotten, 'nobody reads this');
    const stored = async (room: string) => (await queryDatabase(url, 'select 1 from docs where doc_id = $1', [room])).rowCount === 1;
    // The room nobody holds was last used after the one relay two holds: once it has expired, relay one's sweep has judged both.
    await waitFor(async () => !(await stored(forgotten)), 'the room nobody holds to expire', 15_000);
    expect(await stored(read)).toBe(true);
    expect(reader.text.toString()).toBe('still read');
    reader.destroy();
    const later = client(one, read, secret);
    await synced(later);
    expect(later.text.toString()).toBe('still read');
  });

  it('while PostgreSQL is down: edits keep flowing unconfirmed, new rooms get 503, /readyz is not ready; all is written when it returns', async () => {
    const url = await server.createDatabase();
    const relay = await relayOn(url);
    const room = newRoom();
    const secret = newSecret();
    const [a, b] = await clients.pair(relay, room, secret);
    a.text.insert(0, 'before;');
    await confirmedAll(a);
    expect(await readyz(relay)).toBe('200 ready');

    await server.stop('immediate');
    let asked: ReturnType<typeof askStored>;
    try {
      await waitReady(relay, false);
      for (let i = 0; i < 20; i++) a.text.insert(a.text.length, `during ${i};`);
      b.text.insert(0, 'from b;');
      await waitFor(() => b.text.toString() === a.text.toString() && b.text.toString().includes('during 19;'), 'edits to keep flowing');
      expect(await upgradeStatus(`${relay.url}/${newRoom()}?secret=${newSecret()}`)).toBe(503);
      // The loaded room still checks its secret, against the hash it was loaded with.
      expect(await upgradeStatus(`${relay.url}/${room}?secret=${newSecret()}`)).toBe(403);
      const third = client(relay, room, secret);
      await synced(third);
      expect(third.text.toString()).toBe(a.text.toString());
      asked = askStored(a);
      // Negative by nature: give the relay time to answer, which it must not do before PostgreSQL has the edits.
      await new Promise((r) => setTimeout(r, 500));
      expect(asked.answer()).toBeNull();
    } finally {
      await server.start();
    }
    await waitReady(relay);
    await waitFor(() => coversAll(a, asked.answer()), 'the held edits to be confirmed once written', 10_000);
    const expected = a.text.toString();
    expect(expected).toContain('during 19;');
    expect(await storedText(url, room)).toBe(expected);
    expect(await upgradeStatus(`${relay.url}/${newRoom()}?secret=${newSecret()}`)).toBe(101);
  });

  it('stopped while PostgreSQL is down, a relay loses only unconfirmed edits, which its clients send again to the next relay', async () => {
    const url = await server.createDatabase();
    const port = await freePort();
    const log = memoryLogger();
    const first = await startRelay({ port, postgres: url }, log.logger);
    const room = newRoom();
    const secret = newSecret();
    const [a, b] = await clients.pair(first, room, secret);
    a.text.insert(0, 'confirmed;');
    await confirmedAll(a);
    await server.stop('immediate');
    try {
      await waitReady(first, false);
      a.text.insert(a.text.length, 'held;');
      await waitFor(() => b.text.toString() === 'confirmed;held;', 'the held edit to reach B');
      await first.close();
    } finally {
      await server.start();
    }
    expect(log.lines().find((l) => l.msg === 'updates could not be stored before stopping')).toMatchObject({ unstored: 1 });
    relays.push(await startRelay({ port, postgres: url }, silentLogger));
    await waitFor(() => a.provider.synced && b.provider.synced, 'the clients to reconnect', 15_000);
    await waitFor(async () => (await storedText(url, room)) === 'confirmed;held;', 'the next relay to store the unconfirmed edit', 15_000);
  });

  it('refuses changes past the bound held for PostgreSQL with 1013 and a reason, and writes all it accepted when PostgreSQL returns', async () => {
    const url = await server.createDatabase();
    const relay = await relayOn(url, { storeBacklogBytes: 1024 * 1024 });
    const room = newRoom();
    const secret = newSecret();
    const watcher = client(relay, room, secret);
    await synced(watcher);
    const ws = await openSocket(`${relay.url}/${room}?secret=${secret}`);
    const closed = new Promise<string>((resolve) => ws.once('close', (_code, reason) => resolve(reason.toString())));
    const code = closeCode(ws, 15_000);
    await server.stop('immediate');
    const local = new Y.Doc();
    try {
      await waitReady(relay, false);
      for (let i = 0; i < 8 && ws.readyState === ws.OPEN; i++) {
        const update = (() => {
          let captured: Uint8Array | null = null;
          local.once('update', (u: Uint8Array) => (captured = u));
          local.getText('notes').insert(local.getText('notes').length, `${i}:${'x'.repeat(200 * 1024)};`);
          return captured!;
        })();
        ws.send(syncUpdateMessage(update));
        // Each accepted update reaches the other peer: wait for it so the next one is judged against a known backlog.
        await waitFor(() => watcher.text.toString().includes(`${i}:`) || ws.readyState !== ws.OPEN, `update ${i} to be handled`);
      }
      expect(await code).toBe(1013);
      expect(await closed).toMatch(/cannot save changes right now/);
    } finally {
      await server.start();
    }
    const accepted = watcher.text.toString();
    expect(accepted.length).toBeGreaterThan(600 * 1024);
    await waitReady(relay);
    await waitFor(
      async () => metric(await fetchMetrics(relay), 'tandem_relay_store_backlog_bytes') === 0,
      'the held updates to be written',
      10_000,
    );
    expect(await storedText(url, room)).toBe(accepted);
  });
});
