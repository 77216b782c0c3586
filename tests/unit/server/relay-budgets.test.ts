/**
 * Work and size budgets against a real relay process: each abuse a security review measured is
 * refused early, with its reason counted, while a normal pair in another room keeps editing and
 * its latency is timed throughout.
 */
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import {
  SPAWNED_RELAY_TIMEOUT_MS,
  awarenessUpdate,
  clientPool,
  connectClient,
  closeCode,
  encodeMessage,
  fetchMetrics,
  newRoom,
  newSecret,
  openSocket,
  spawnRelay,
  synced,
  syncStep2Message,
  syncUpdateMessage,
  tempDir,
  waitFor,
  type Client,
  type RelayProcess,
} from './helpers.js';

const MiB = 1024 * 1024;

/** One update of `count` map sets (one struct each), by a client of its own. */
function mapSets(count: number): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (let i = 0; i < count; i++) doc.getMap('m').set(`k${i}`, i);
  });
  return Y.encodeStateAsUpdate(doc);
}

const presence = (states: [client: number, json: string][]): Uint8Array =>
  encodeMessage(1, awarenessUpdate(...states.map(([client, json]): [number, number, string] => [client, 1, json])));

function stateVector(entries: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries);
  for (let i = 1; i <= entries; i++) {
    encoding.writeVarUint(e, i);
    encoding.writeVarUint(e, 1000);
  }
  return encoding.toUint8Array(e);
}

function textUpdate(bytes: number): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('big').insert(0, 'x'.repeat(bytes));
  return Y.encodeStateAsUpdate(doc);
}

describe('work and size budgets', { timeout: 60_000 }, () => {
  const dir = tempDir();
  let relay: RelayProcess;
  const clients = clientPool();
  let a: Client;
  let b: Client;
  const room = () => `${relay.url}/${newRoom()}?secret=${newSecret()}`;

  beforeAll(async () => {
    relay = await spawnRelay([
      ...['--port', '0', '--data', dir.path],
      ...['--max-message-bytes', String(4 * MiB), '--bytes-per-second', '1024', '--max-room-bytes', String(MiB)],
    ]);
    [a, b] = await clients.pair(relay);
  }, SPAWNED_RELAY_TIMEOUT_MS);

  afterAll(async () => {
    clients.destroyAll();
    expect(await relay.stop()).toBe(0);
    dir.remove();
  });

  /**
   * Runs the abuse while the pair edits one character at a time, each after the last arrived;
   * resolves with the slowest edit's latency, after at least one edit that started once the abuse was refused.
   */
  async function pairLatencyDuring(abuse: () => Promise<void>): Promise<number> {
    let done = false;
    let slowest = 0;
    let afterwards = 0;
    const editing = (async () => {
      while (!done || afterwards < 1) {
        const length = b.text.length + 1;
        const start = performance.now();
        a.text.insert(a.text.length, '.');
        await waitFor(() => b.text.length >= length, 'the pair to sync during the abuse', 10_000);
        slowest = Math.max(slowest, performance.now() - start);
        if (done) afterwards++;
      }
    })();
    await abuse();
    done = true;
    await editing;
    return slowest;
  }

  async function closes(ws: WebSocket, ...messages: Uint8Array[]): Promise<number> {
    const closed = closeCode(ws, 20_000);
    for (const m of messages) if (ws.readyState === ws.OPEN) ws.send(m);
    return closed;
  }

  async function closesCounted(reason: string): Promise<number> {
    const text = await fetchMetrics(relay);
    const line = text.split('\n').find((l) => l.startsWith(`tandem_relay_closes_total{reason="${reason}"} `));
    return line ? Number(line.split(' ')[1]) : 0;
  }

  it('refuses a struct-dense first sync (100k map sets) from its count alone, before decoding it', async () => {
    const dense = syncStep2Message(mapSets(100_000));
    const ws = await openSocket(room());
    const slowest = await pairLatencyDuring(async () => expect(await closes(ws, dense)).toBe(1008));
    expect(await closesCounted('an-update-of-more-than-structs')).toBe(1);
    expect(slowest).toBeLessThan(2000);
  });

  it("refuses a heavy update (40k map sets, within the first sync's cap and the work budget) once the connection has synced", async () => {
    const name = newRoom();
    const secret = newSecret();
    const neighbour = connectClient(relay.url, name, { secret });
    try {
      await synced(neighbour);
      const ws = await openSocket(`${relay.url}/${name}?secret=${secret}`);
      // A client's sync: its state vector, then its first sync step 2, which may be far past the synced cap (2,000 structs).
      ws.send(encodeMessage(0, 0, Y.encodeStateVector(new Y.Doc())));
      ws.send(syncStep2Message(mapSets(5000)));
      await waitFor(() => neighbour.doc.getMap('m').size === 5000, "the first sync to reach the room's other client", 20_000);
      const reason = new Promise<string>((resolve) => ws.once('close', (_code: number, why: Buffer) => resolve(why.toString())));
      // Holding the event loop for the whole relay while Yjs integrated it is what the cap prevents.
      const slowest = await pairLatencyDuring(async () => expect(await closes(ws, syncUpdateMessage(mapSets(40_000)))).toBe(1008));
      expect(await reason).toBe('an update of more than 2000 structs once synced');
      expect(await closesCounted('an-update-of-more-than-structs-once-synced')).toBe(1);
      expect(neighbour.doc.getMap('m').size).toBe(5000);
      expect(slowest).toBeLessThan(2000);
    } finally {
      neighbour.destroy();
    }
  });

  it('refuses a state vector of megabytes before decoding it', async () => {
    const ws = await openSocket(room());
    const huge = encodeMessage(0, 0, stateVector(700_000));
    expect(huge.byteLength).toBeGreaterThan(3 * MiB);
    const slowest = await pairLatencyDuring(async () => expect(await closes(ws, huge)).toBe(1008));
    expect(await closesCounted('a-state-vector-over-bytes')).toBe(1);
    expect(slowest).toBeLessThan(2000);
  });

  it('refuses a 3 MB presence state, and a connection speaking for more than 8 presences', async () => {
    const big = await openSocket(room());
    const crowd = await openSocket(room());
    const many = Array.from({ length: 9 }, (_, i) => presence([[100 + i, '{"user":"x"}']]));
    const slowest = await pairLatencyDuring(async () => {
      expect(await closes(big, presence([[1, JSON.stringify('x'.repeat(3 * 1000 * 1000))]]))).toBe(1008);
      expect(await closes(crowd, ...many)).toBe(1008);
    });
    expect(await closesCounted('a-presence-state-over-bytes')).toBe(1);
    expect(await closesCounted('more-than-presences-on-one-connection')).toBe(1);
    expect(slowest).toBeLessThan(2000);
  });

  it('closes a connection that spends its byte budget, and refuses updates past the room storage quota', async () => {
    // 4.5 MB against a burst of 4 MiB refilled at 1 KiB/s: spent however slowly the machine sends it.
    const spender = await openSocket(room());
    const vectors = Array.from({ length: 40 }, () => encodeMessage(0, 0, stateVector(25_000)));
    const hoarder = await openSocket(room());
    const slowest = await pairLatencyDuring(async () => {
      expect(await closes(spender, ...vectors)).toBe(1008);
      expect(await closes(hoarder, syncUpdateMessage(textUpdate(600_000)), syncUpdateMessage(textUpdate(600_000)))).toBe(1008);
    });
    expect(await closesCounted('byte-budget-exceeded')).toBe(1);
    expect(await closesCounted('room-storage-quota-reached')).toBe(1);
    expect(slowest).toBeLessThan(2000);
  });
});
