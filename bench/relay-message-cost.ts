/**
 * The relay's own cost per edit, without sockets or load generators: what the p99 of
 * `relay_2k_p99_ms` is made of on the server side, measurable on a busy machine.
 *
 * Method: one relay's connection code (server/connection.ts) with its real rooms, SQLite store
 * (relay.db with synchronous=FULL in a temp dir), metrics and logger, serving in-memory sockets
 * that record what is sent to them. 1,000 rooms of two peers; each edit is a keystroke's update
 * (one character typed into the room's text, as y-websocket sends it) received by one peer and
 * forwarded to the other, followed by Tandem's state-vector query, answered once the group commit
 * has stored it. Timed: receiving an edit until it has been forwarded (the path every keystroke
 * takes before its peer can see it), per message, after a warm-up; the group commit of each
 * event-loop turn, from handing it to the store until it is stored; and how long handing it over
 * held the event loop (the store's synchronous share of the call: its thread does the rest). Wall
 * time on a shared machine: compare the mean and median of runs, not one p99.
 *
 * Run: npx tsx bench/relay-message-cost.ts
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { percentiles, type Percentiles } from './figures.js';
import { AddressBudgets, serveConnection, type ConnectionContext } from '../server/connection.js';
import { limitedLog } from '../server/log-limit.js';
import { Metrics } from '../server/metrics.js';
import { DEFAULT_MESSAGE_LIMITS } from '../server/protocol.js';
import { roomTagger } from '../server/room-tag.js';
import { Rooms } from '../server/rooms.js';
import { ScanPool } from '../server/scan-pool.js';
import { openSqliteStore } from '../server/store/sqlite-thread.js';
import { silentLogger } from '../src/node/log.js';
import { MESSAGE_STATE_VECTOR } from '../src/shared/relay-protocol.js';

const ROOMS = 1000;
const WARMUP = 2000;
const EDITS = 20_000;

/** What the relay's connection code uses of a ws WebSocket. */
class MemorySocket extends EventEmitter {
  readonly readyState = 1;
  readonly bufferedAmount = 0;
  received = 0;
  send(): void {
    this.received++;
  }
  ping(): void {}
  pause(): void {}
  resume(): void {}
  close(): void {}
  terminate(): void {}
}

const syncMessage = (type: number, payload: Uint8Array): Buffer => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return Buffer.from(encoding.toUint8Array(e));
};

export interface MessageCost {
  forward: Percentiles & { mean: number };
  commit: Percentiles;
  commitHeld: Percentiles;
}

export async function measureMessageCost(): Promise<MessageCost> {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-relay-cost-'));
  const store = await openSqliteStore(dir, 'full');
  const commits: number[] = [];
  const held: number[] = [];
  const append = store.append.bind(store);
  store.append = (updates) => {
    const start = performance.now();
    const stored = append(updates);
    held.push(performance.now() - start);
    return stored;
  };
  const rooms = new Rooms(store, {
    compactAfter: 500,
    idleUnloadMs: 60_000,
    maxRoomBytes: 64 * 1024 * 1024,
    maxBacklogBytes: 64 * 1024 * 1024,
    onStoreFailed: () => {},
    onCompactFailed: () => {},
    onStored: (ms) => commits.push(ms),
    onCompacted: () => {},
  });
  const metrics = new Metrics({
    connections: () => 0,
    roomsActive: () => rooms.activeCount,
    roomsLoaded: () => 0,
    storeUp: () => true,
    storeBacklogBytes: () => rooms.backlogBytes,
  });
  const budget = { bytesPerSecond: 1 << 20, bytesBurst: 10 << 20, structsPerSecond: 20_000, structsBurst: 50_000 };
  const clientLog = limitedLog(silentLogger, () => {});
  const ctx: ConnectionContext = {
    rooms,
    metrics,
    logger: clientLog,
    tag: roomTagger(store.logKey),
    live: new Set(),
    syncDeadlineMs: 60_000,
    rateLimit: 1_000_000,
    rateBurst: 1_000_000,
    budget,
    addresses: new AddressBudgets({ ...budget, bytesPerSecond: 1 << 30, structsPerSecond: 1 << 30 }),
    limits: DEFAULT_MESSAGE_LIMITS,
    syncedLimits: DEFAULT_MESSAGE_LIMITS,
    syncedMessageBytes: 1 << 20,
    maxBufferedBytes: 40 << 20,
    scans: new ScanPool({ workers: 1, maxJobs: 16, maxHeapMb: 512 }),
    offloadBytes: 16 * 1024,
  };
  const pairs = [];
  for (let i = 0; i < ROOMS; i++) {
    // As the HTTP side does before the upgrade: the room is loaded (or created) while held.
    const release = await rooms.hold(`room-${i}`, Buffer.alloc(32, i));
    const sockets = [new MemorySocket(), new MemorySocket()] as const;
    for (const socket of sockets) {
      serveConnection(socket as unknown as WebSocket, `room-${i}`, '127.0.0.1', ctx);
      socket.emit('message', syncMessage(0, Y.encodeStateVector(new Y.Doc())), true);
    }
    release();
    const author = new Y.Doc();
    const updates: Buffer[] = [];
    author.on('update', (u: Uint8Array) => updates.push(syncMessage(2, u)));
    pairs.push({ sockets, author, updates });
  }
  const query = Buffer.from([MESSAGE_STATE_VECTOR]);
  const forward: number[] = [];
  const turn = () => new Promise((r) => setImmediate(r));
  for (let n = 0; n < WARMUP + EDITS; n++) {
    const { sockets, author, updates } = pairs[n % ROOMS]!;
    author.getText('notes').insert(author.getText('notes').length, 'x');
    const peer = sockets[1];
    const before = peer.received;
    const start = performance.now();
    sockets[0].emit('message', updates.pop()!, true);
    if (peer.received === before) throw new Error('the edit was not forwarded');
    if (n >= WARMUP) forward.push(performance.now() - start);
    sockets[0].emit('message', query, true);
    // A room per event-loop turn at most ten edits apart, as a thousand rooms typing spread over a second would.
    if (n % 10 === 9) await turn();
  }
  await turn();
  await rooms.closeAll(1001, 'done');
  clientLog.stop();
  metrics.stop();
  await Promise.all([store.close(), ctx.scans.close()]);
  rmSync(dir, { recursive: true, force: true });
  const mean = forward.reduce((a, b) => a + b, 0) / forward.length;
  return { forward: { ...percentiles(forward), mean }, commit: percentiles(commits.slice(10)), commitHeld: percentiles(held.slice(10)) };
}

export function formatMessageCost(cost: MessageCost): string {
  const f = (d: Percentiles) => `p50 ${d.p50.toFixed(3)} ms, p99 ${d.p99.toFixed(3)} ms, max ${d.max.toFixed(2)} ms (n=${d.n})`;
  return [
    `receive → forwarded, per edit: mean ${cost.forward.mean.toFixed(4)} ms, ${f(cost.forward)}`,
    `group commit, per event-loop turn (10 edits, synchronous=FULL): ${f(cost.commit)}`,
    `  of which the event loop was held: ${f(cost.commitHeld)}`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(formatMessageCost(await measureMessageCost()));
