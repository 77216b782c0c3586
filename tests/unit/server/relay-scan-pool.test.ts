/**
 * Large updates are scanned on a worker thread: other rooms are served meanwhile, the sender's
 * later messages wait for it, and a worker that dies takes down only the connection it served.
 */
import * as decoding from 'lib0/decoding';
import { afterEach, expect, test } from 'vitest';
import type { Worker } from 'node:worker_threads';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import { DEFAULT_MESSAGE_LIMITS, type MessageLimits } from '../../../server/protocol.js';
import { startRelay } from '../../../server/relay.js';
import { ScanPool } from '../../../server/scan-pool.js';
import { MESSAGE_STATE_VECTOR } from '../../../src/shared/relay-protocol.js';
import {
  clientPool,
  closeCode,
  memoryLogger,
  newRoom,
  newSecret,
  openSocket,
  stateVectorQuery,
  syncStep2Message,
  syncUpdateMessage,
  synced,
  tempDir,
  waitFor,
} from './helpers.js';

const clients = clientPool();
const cleanup: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  clients.destroyAll();
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** The heaviest update the budgets admit, as a connection's first sync step 2: the per-update cap of structs, one map set each. */
function heaviestUpdate(): { doc: Y.Doc; update: Uint8Array } {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (let i = 0; i < DEFAULT_MESSAGE_LIMITS.maxStructs; i++) doc.getMap('m').set(`k${i}`, i);
  });
  return { doc, update: Y.encodeStateAsUpdate(doc) };
}

/** A pool that reports when each scan starts and ends, and ends its worker during the next scan when asked. */
class WatchedPool extends ScanPool {
  readonly events: string[] = [];
  private worker: Worker | null = null;
  endWorkerDuringNextScan = false;

  protected override spawn(): Worker {
    this.worker = super.spawn();
    return this.worker;
  }

  override scan(payload: Uint8Array, held: Uint8Array | null, limits: MessageLimits) {
    this.events.push('scan started');
    const scanned = super.scan(payload, held, limits);
    if (this.endWorkerDuringNextScan) {
      this.endWorkerDuringNextScan = false;
      void this.worker!.terminate();
    }
    scanned.then(
      () => this.events.push('scan done'),
      () => this.events.push('scan failed'),
    );
    return scanned;
  }
}

async function relayWith(pool: ScanPool) {
  const dir = tempDir();
  const relay = await startRelay({ port: 0, data: dir.path }, memoryLogger().logger, pool);
  cleanup.push(
    () => dir.remove(),
    () => relay.close(),
  );
  return relay;
}

test('a normal pair in another room syncs while the heaviest admitted update is scanned', async () => {
  const pool = new WatchedPool({ workers: 1, maxJobs: 16, maxHeapMb: 512 });
  const relay = await relayWith(pool);
  const healthy = await clients.pair(relay);
  const heavy = await openSocket(`${relay.url}/${newRoom()}?secret=${newSecret()}`);
  heavy.send(syncStep2Message(heaviestUpdate().update));
  await waitFor(() => pool.events.includes('scan started'), 'the heavy update to be handed to the pool');
  healthy[0].text.insert(0, 'while the relay checks a heavy update');
  await waitFor(() => healthy[1].text.toString().includes('heavy update'), 'the healthy pair to sync');
  pool.events.push('healthy round trip');
  await waitFor(() => pool.events.includes('scan done'), 'the heavy scan to finish', 60_000);
  expect(pool.events).toEqual(['scan started', 'healthy round trip', 'scan done']);
}, 120_000);

test("a connection's later messages wait for its update being scanned, and the update is applied", async () => {
  const relay = await relayWith(new ScanPool({ workers: 1, maxJobs: 16, maxHeapMb: 512 }));
  const { doc, update } = heaviestUpdate();
  const ws = await openSocket(`${relay.url}/${newRoom()}?secret=${newSecret()}`);
  const answers: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => data[0] === MESSAGE_STATE_VECTOR && answers.push(new Uint8Array(data)));
  ws.send(syncStep2Message(update));
  ws.send(stateVectorQuery());
  await waitFor(() => answers.length === 1, 'the answer to the state-vector query', 60_000);
  // The answer covers the update sent before the query: it did not overtake it.
  const decoder = decoding.createDecoder(answers[0]!);
  decoding.readVarUint(decoder);
  expect(Y.decodeStateVector(decoding.readVarUint8Array(decoder))).toEqual(Y.decodeStateVector(Y.encodeStateVector(doc)));
  ws.close();
}, 120_000);

test('a scan worker that dies closes only the connection whose update it held; the next large update gets a new worker', async () => {
  // The worker is ended while it scans. Not by running it out of a small heap: Node contains a
  // worker's out-of-memory only at its best, and the rest abort the whole process, here the test runner.
  const pool = new WatchedPool({ workers: 1, maxJobs: 16, maxHeapMb: 512 });
  pool.endWorkerDuringNextScan = true;
  const relay = await relayWith(pool);
  const healthy = await clients.pair(relay);
  const room = newRoom();
  const secret = newSecret();
  const heavy: WebSocket = await openSocket(`${relay.url}/${room}?secret=${secret}`);
  const neighbour = clients.connect(relay, room, secret);
  await synced(neighbour);
  heavy.send(syncStep2Message(heaviestUpdate().update));
  expect(await closeCode(heavy, 60_000)).toBe(1011);
  expect(pool.events).toEqual(['scan started', 'scan failed']);
  // The same room and another room carry on.
  neighbour.text.insert(0, 'still here');
  healthy[0].text.insert(0, 'and here');
  await waitFor(() => healthy[1].text.toString() === 'and here', 'the other room to sync');
  expect(neighbour.provider.wsconnected).toBe(true);
  // A large update a worker can hold is scanned by a new one.
  const paste = new Y.Doc();
  paste.getText('notes').insert(0, 'x'.repeat(32 * 1024));
  const next = await openSocket(`${relay.url}/${room}?secret=${secret}`);
  next.send(syncUpdateMessage(Y.encodeStateAsUpdate(paste)));
  await waitFor(() => neighbour.text.length > 32 * 1024, 'the large paste to reach the room', 60_000);
  expect(pool.events.at(-1)).toBe('scan done');
  next.close();
}, 120_000);
