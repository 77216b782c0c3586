/**
 * Keystroke-to-peer latency through the relay, side by side with the reference
 * @y/websocket-server in the same run.
 *
 * Method: each server runs in this process on a loopback port. For each, two stock y-websocket
 * WebsocketProvider clients (separate Y.Docs, BroadcastChannel off so they meet only through the
 * server) join one room. Client A inserts one character; the latency is the time until client B's
 * Y.Text observer sees it. Edits are sequential (the next starts when B has the previous one) and
 * alternate between the servers in blocks, so drift in machine load hits all alike. A warm-up is
 * discarded. The Tandem relay appends every update to SQLite (WAL) before it broadcasts it, and is
 * measured with synchronous=FULL (its default: an fsync per update) and synchronous=NORMAL
 * (survives a killed process, not power loss); the reference server keeps rooms in memory only.
 *
 * Run: npx tsx bench/relay-latency.ts [edits]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { latencyFigures, percentiles, serverSuffix, type Figures } from './figures.js';
import { REFERENCE_NAME, startReferenceServer } from './reference-server.js';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { silentLogger } from '../src/node/log.js';
import { startRelay } from '../server/relay.js';

export interface LatencyStats {
  server: string;
  edits: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface LatencyOptions {
  edits?: number;
  warmup?: number;
  block?: number;
}

interface Target {
  server: string;
  url: string;
  params: Record<string, string>;
  close(): Promise<void>;
}

interface Pair {
  a: Y.Text;
  /** Resolves when B has seen A's text reach `length`. */
  seen(length: number): Promise<void>;
  destroy(): void;
}

async function startReference(): Promise<Target> {
  return { server: REFERENCE_NAME, params: {}, ...(await startReferenceServer()) };
}

async function startTandem(synchronous: 'full' | 'normal'): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-relay-bench-'));
  const relay = await startRelay({ port: 0, data: dir, synchronous }, silentLogger);
  return {
    server: `tandem relay (SQLite, synchronous=${synchronous.toUpperCase()})`,
    url: relay.url,
    params: { secret: 'bench-secret-0123456789abcdef0123456789abcdef' },
    close: async () => {
      await relay.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function provider(target: Target, room: string, doc: Y.Doc): WebsocketProvider {
  return new WebsocketProvider(target.url, room, doc, {
    params: target.params,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
}

async function connectPair(target: Target): Promise<Pair> {
  const room = `bench-${process.hrtime.bigint()}`;
  const docA = new Y.Doc();
  const docB = new Y.Doc();
  const a = provider(target, room, docA);
  const b = provider(target, room, docB);
  await Promise.all([a, b].map((p) => new Promise<void>((resolve) => (p.synced ? resolve() : p.once('sync', () => resolve())))));
  const textB = docB.getText('t');
  let waiting: { length: number; resolve: () => void } | null = null;
  textB.observe(() => {
    if (waiting && textB.length >= waiting.length) {
      const { resolve } = waiting;
      waiting = null;
      resolve();
    }
  });
  return {
    a: docA.getText('t'),
    seen: (length) => (textB.length >= length ? Promise.resolve() : new Promise<void>((resolve) => (waiting = { length, resolve }))),
    destroy: () => {
      a.destroy();
      b.destroy();
      docA.destroy();
      docB.destroy();
    },
  };
}

async function edit(pair: Pair): Promise<number> {
  const start = performance.now();
  pair.a.insert(pair.a.length, 'x');
  await pair.seen(pair.a.length);
  return performance.now() - start;
}

function stats(server: string, samples: number[]): LatencyStats {
  const { p50, p95, p99, max } = percentiles(samples);
  return { server, edits: samples.length, p50, p95, p99, max };
}

/** The figures by stable name (bench/figures.ts). */
export function relayLatencyFigures(results: LatencyStats[]): Figures {
  return Object.assign({}, ...results.map((r) => latencyFigures(`relay_keystroke${serverSuffix(r.server)}`, r))) as Figures;
}

/** Measures all servers in one run: the Tandem relay (FULL, then NORMAL), then the reference. */
export async function measureRelayLatency({ edits = 1000, warmup = 100, block = 100 }: LatencyOptions = {}): Promise<LatencyStats[]> {
  const targets = [await startTandem('full'), await startTandem('normal'), await startReference()];
  try {
    const pairs = await Promise.all(targets.map(connectPair));
    const samples: number[][] = targets.map(() => []);
    for (const pair of pairs) for (let i = 0; i < warmup; i++) await edit(pair);
    for (let done = 0; done < edits; done += block) {
      for (const [i, pair] of pairs.entries()) {
        for (let j = 0; j < Math.min(block, edits - done); j++) samples[i]!.push(await edit(pair));
      }
    }
    for (const pair of pairs) pair.destroy();
    return targets.map((t, i) => stats(t.server, samples[i]!));
  } finally {
    for (const t of targets) await t.close();
  }
}

export function formatLatency(results: LatencyStats[]): string {
  const ms = (v: number) => `${v.toFixed(2)} ms`.padStart(10);
  const width = Math.max(...results.map((r) => r.server.length));
  return [
    'Keystroke-to-peer latency (client A inserts a character -> client B observes it), loopback, in-process servers,',
    'stock y-websocket clients, sequential edits alternating between servers in blocks, warm-up discarded.',
    `${'server'.padEnd(width)}  ${'edits'.padStart(6)}${'p50'.padStart(10)}${'p95'.padStart(10)}${'p99'.padStart(10)}${'max'.padStart(10)}`,
    ...results.map((r) => `${r.server.padEnd(width)}  ${String(r.edits).padStart(6)}${ms(r.p50)}${ms(r.p95)}${ms(r.p99)}${ms(r.max)}`),
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const edits = Number(process.argv[2] ?? 1000);
  console.log(formatLatency(await measureRelayLatency({ edits })));
}
