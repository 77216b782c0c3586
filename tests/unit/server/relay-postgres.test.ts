/**
 * The relay on PostgreSQL, against a real server started for the file: it serves rooms, two relay
 * processes share them, and while PostgreSQL is down loaded rooms keep working with their updates
 * held in memory (bounded), new rooms are refused with 503, /readyz says not ready, and everything
 * held is written when PostgreSQL returns. An update is confirmed to its sender (the answer to
 * Tandem's state-vector query) only once it is committed in PostgreSQL.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import pg from 'pg';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type Relay } from '../../../server/relay.js';
import { MESSAGE_STATE_VECTOR } from '../../../src/shared/relay-protocol.js';
import { silentLogger } from '../../../src/node/log.js';
import {
  closeCode,
  connectClient,
  freePort,
  memoryLogger,
  metric,
  newRoom,
  newSecret,
  openSocket,
  spawnRelay,
  synced,
  syncUpdateMessage,
  upgradeStatus,
  waitFor,
  type Client,
  type RelayProcess,
  SPAWNED_RELAY_TIMEOUT_MS,
} from './helpers.js';
import { postgresSkipReason, startPostgres, storedText, type PostgresServer } from './postgres-server.js';

const skip = postgresSkipReason();
if (skip) console.warn(`relay on PostgreSQL tests skipped: ${skip}`);

async function ready(port: number): Promise<boolean> {
  return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
}

async function waitReady(port: number, expected: boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await ready(port)) !== expected) {
    if (Date.now() > deadline) throw new Error(`/readyz did not become ${expected ? 'ready' : 'not ready'}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Asks the relay, as Tandem does, which changes it has stored; resolves with its answer. */
function askStored(client: Client): { answer: () => Map<number, number> | null } {
  let answer: Map<number, number> | null = null;
  client.provider.messageHandlers[MESSAGE_STATE_VECTOR] = (_encoder, decoder) => {
    answer = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
  };
  const query = encoding.createEncoder();
  encoding.writeVarUint(query, MESSAGE_STATE_VECTOR);
  client.provider.ws!.send(encoding.toUint8Array(query));
  return { answer: () => answer };
}

/** Whether the relay's stored state has everything `client` wrote. */
const confirmsAll = (client: Client, answer: Map<number, number> | null) =>
  answer !== null && answer.get(client.doc.clientID) === Y.decodeStateVector(Y.encodeStateVector(client.doc)).get(client.doc.clientID);

describe.skipIf(skip)('the relay on PostgreSQL', { timeout: SPAWNED_RELAY_TIMEOUT_MS * 2 }, () => {
  let server: PostgresServer;
  const clients: Client[] = [];
  const relays: Relay[] = [];
  const processes: RelayProcess[] = [];

  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.destroy();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const r of relays.splice(0)) await r.close();
    for (const p of processes.splice(0)) await p.stop('SIGKILL');
  });

  const client = (url: string, room: string, secret: string) => {
    const c = connectClient(url, room, { secret });
    clients.push(c);
    return c;
  };
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
    const [a, b] = [client(relay.url, room, secret), client(relay.url, room, secret)];
    await Promise.all([synced(a), synced(b)]);
    a.text.insert(0, 'kept in PostgreSQL');
    await waitFor(() => b.text.toString() === 'kept in PostgreSQL', 'B to see the edit');
    const asked = askStored(a);
    await waitFor(() => confirmsAll(a, asked.answer()), 'the relay to confirm the edit');
    expect(await storedText(url, room)).toBe('kept in PostgreSQL');
    for (const c of clients.splice(0)) c.destroy();
    await relays.splice(0)[0]!.close();
    relay = await relayOn(url);
    expect(await upgradeStatus(`${relay.url}/${room}?secret=${newSecret()}`)).toBe(403);
    const later = client(relay.url, room, secret);
    await synced(later);
    expect(later.text.toString()).toBe('kept in PostgreSQL');
  });

  it('compacts a room in PostgreSQL as its log grows, and loads back the same text', async () => {
    const url = await server.createDatabase();
    const relay = await relayOn(url, { compactAfter: 5 });
    const room = newRoom();
    const secret = newSecret();
    const a = client(relay.url, room, secret);
    await synced(a);
    for (let i = 0; i < 23; i++) a.text.insert(a.text.length, `${i};`);
    const asked = askStored(a);
    await waitFor(() => confirmsAll(a, asked.answer()), 'the edits to be confirmed');
    const rows = async () => {
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      try {
        const { rows } = await db.query<{ snapshot: boolean; updates: number }>(
          `select (select snapshot is not null from docs where doc_id = $1) as snapshot,
                  (select count(*)::int from doc_updates where doc_id = $1) as updates`,
          [room],
        );
        return rows[0]!;
      } finally {
        await db.end();
      }
    };
    const deadline = Date.now() + 10_000;
    while ((await rows()).updates >= 5) {
      if (Date.now() > deadline) throw new Error(`the room was not compacted: ${JSON.stringify(await rows())}`);
      await new Promise((r) => setTimeout(r, 20));
    }
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
    const writer = client(one.url, room, secret);
    await synced(writer);
    writer.text.insert(0, 'written through one');
    const asked = askStored(writer);
    await waitFor(() => confirmsAll(writer, asked.answer()), 'relay one to confirm the edit');
    writer.destroy();
    const activeRooms = async () => metric(await (await fetch(`http://127.0.0.1:${one.port}/metrics`)).text(), 'tandem_relay_rooms_active');
    const deadline = Date.now() + 10_000;
    while ((await activeRooms()) !== 0) {
      if (Date.now() > deadline) throw new Error('relay one kept the room open');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await upgradeStatus(`${two.url}/${room}?secret=${newSecret()}`)).toBe(403);
    const reader = client(two.url, room, secret);
    await synced(reader);
    expect(reader.text.toString()).toBe('written through one');
  });

  it('a room idle on one relay and changed through another is brought up to date when it is used again', async () => {
    const url = await server.createDatabase();
    const [one, two] = [await relayOn(url), await relayOn(url)];
    const room = newRoom();
    const secret = newSecret();
    const writeVia = async (relay: Relay, text: string) => {
      const c = client(relay.url, room, secret);
      await synced(c);
      c.text.insert(c.text.length, text);
      const asked = askStored(c);
      await waitFor(() => confirmsAll(c, asked.answer()), 'the edit to be confirmed');
      const seen = c.text.toString();
      c.destroy();
      return seen;
    };
    await writeVia(one, 'through one;');
    const both = await writeVia(two, 'through two;');
    expect(both).toBe('through one;through two;');
    const back = client(one.url, room, secret);
    await synced(back);
    await waitFor(() => back.text.toString() === both, 'relay one to serve what relay two stored');
    // What relay one brought in from PostgreSQL is not stored a second time.
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const { rows } = await db.query<{ n: number }>('select count(*)::int as n from doc_updates where doc_id = $1', [room]);
      expect(rows[0]!.n).toBe(2);
    } finally {
      await db.end();
    }
  });

  it('while PostgreSQL is down, a room loaded here that everyone left is joined again with all it held', async () => {
    const url = await server.createDatabase();
    const relay = await relayOn(url);
    const port = Number(new URL(relay.url).port);
    const room = newRoom();
    const secret = newSecret();
    const first = client(relay.url, room, secret);
    await synced(first);
    first.text.insert(0, 'held here;');
    const asked = askStored(first);
    await waitFor(() => confirmsAll(first, asked.answer()), 'the edit to be confirmed');
    first.destroy();
    await expect
      .poll(async () => metric(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), 'tandem_relay_rooms_active'), {
        timeout: 5000,
        interval: 20,
      })
      .toBe(0);
    await server.stop('immediate');
    try {
      await waitReady(port, false);
      const again = client(relay.url, room, secret);
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
      const c = client(one.url, room, secret);
      await synced(c);
      c.text.insert(0, text);
      const asked = askStored(c);
      await waitFor(() => confirmsAll(c, asked.answer()), 'the edit to be confirmed');
      c.destroy();
    };
    await writeVia(read, 'still read');
    // Only relay two holds the room from now on, for a reader who never writes.
    const reader = client(two.url, read, secret);
    await synced(reader);
    await writeVia(forgotten, 'nobody reads this');
    const stored = async (room: string) => {
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      try {
        return (await db.query('select 1 from docs where doc_id = $1', [room])).rowCount === 1;
      } finally {
        await db.end();
      }
    };
    // The room nobody holds was last used after the one relay two holds: once it has expired, relay one's sweep has judged both.
    const deadline = Date.now() + 15_000;
    while (await stored(forgotten)) {
      if (Date.now() > deadline) throw new Error('the room nobody holds did not expire');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await stored(read)).toBe(true);
    expect(reader.text.toString()).toBe('still read');
    reader.destroy();
    const later = client(one.url, read, secret);
    await synced(later);
    expect(later.text.toString()).toBe('still read');
  });

  it('while PostgreSQL is down: edits keep flowing unconfirmed, new rooms get 503, /readyz is not ready; all is written when it returns', async () => {
    const url = await server.createDatabase();
    const relay = await relayOn(url);
    const port = Number(new URL(relay.url).port);
    const room = newRoom();
    const secret = newSecret();
    const [a, b] = [client(relay.url, room, secret), client(relay.url, room, secret)];
    await Promise.all([synced(a), synced(b)]);
    a.text.insert(0, 'before;');
    const before = askStored(a);
    await waitFor(() => confirmsAll(a, before.answer()), 'the edit before the outage to be confirmed');
    expect(await ready(port)).toBe(true);

    await server.stop('immediate');
    let asked: ReturnType<typeof askStored>;
    try {
      await waitReady(port, false);
      for (let i = 0; i < 20; i++) a.text.insert(a.text.length, `during ${i};`);
      b.text.insert(0, 'from b;');
      await waitFor(() => b.text.toString() === a.text.toString() && b.text.toString().includes('during 19;'), 'edits to keep flowing');
      expect(await upgradeStatus(`${relay.url}/${newRoom()}?secret=${newSecret()}`)).toBe(503);
      // The loaded room still checks its secret, against the hash it was loaded with.
      expect(await upgradeStatus(`${relay.url}/${room}?secret=${newSecret()}`)).toBe(403);
      const third = client(relay.url, room, secret);
      await synced(third);
      expect(third.text.toString()).toBe(a.text.toString());
      asked = askStored(a);
      // Negative by nature: give the relay time to answer, which it must not do before PostgreSQL has the edits.
      await new Promise((r) => setTimeout(r, 500));
      expect(asked.answer()).toBeNull();
    } finally {
      await server.start();
    }
    await waitReady(port, true);
    await waitFor(() => confirmsAll(a, asked.answer()), 'the held edits to be confirmed once written', 10_000);
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
    const [a, b] = [client(first.url, room, secret), client(first.url, room, secret)];
    await Promise.all([synced(a), synced(b)]);
    a.text.insert(0, 'confirmed;');
    const asked = askStored(a);
    await waitFor(() => confirmsAll(a, asked.answer()), 'the first edit to be confirmed');
    await server.stop('immediate');
    try {
      await waitReady(port, false);
      a.text.insert(a.text.length, 'held;');
      await waitFor(() => b.text.toString() === 'confirmed;held;', 'the held edit to reach B');
      await first.close();
    } finally {
      await server.start();
    }
    expect(log.lines().find((l) => l.msg === 'updates could not be stored before stopping')).toMatchObject({ unstored: 1 });
    relays.push(await startRelay({ port, postgres: url }, silentLogger));
    await waitFor(() => a.provider.synced && b.provider.synced, 'the clients to reconnect', 15_000);
    const deadline = Date.now() + 15_000;
    while ((await storedText(url, room)) !== 'confirmed;held;') {
      if (Date.now() > deadline) throw new Error('the unconfirmed edit was not stored by the next relay');
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  it('refuses changes past the bound held for PostgreSQL with 1013 and a reason, and writes all it accepted when PostgreSQL returns', async () => {
    const url = await server.createDatabase();
    const relay = await relayOn(url, { storeBacklogBytes: 1024 * 1024 });
    const port = Number(new URL(relay.url).port);
    const room = newRoom();
    const secret = newSecret();
    const watcher = client(relay.url, room, secret);
    await synced(watcher);
    const ws = await openSocket(`${relay.url}/${room}?secret=${secret}`);
    const closed = new Promise<string>((resolve) => ws.once('close', (_code, reason) => resolve(reason.toString())));
    const code = closeCode(ws, 15_000);
    await server.stop('immediate');
    const local = new Y.Doc();
    try {
      await waitReady(port, false);
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
    await waitReady(port, true);
    const deadline = Date.now() + 10_000;
    while (metric(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), 'tandem_relay_store_backlog_bytes') > 0) {
      if (Date.now() > deadline) throw new Error('the held updates were not written');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await storedText(url, room)).toBe(accepted);
  });
});
