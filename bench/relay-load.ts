/**
 * The relay under a company's load, side by side with the reference @y/websocket-server in the
 * same run (`npm run bench:relay`).
 *
 * Method: every server and every load generator is its own process on this machine, sharing its
 * cores. Active phase, for each server in turn: two load-generator processes (bench/relay-load-clients.ts)
 * ramp up to 2,000 stock y-websocket clients in 1,000 rooms, two per room, in waves; each room then
 * makes one edit a second (the rooms spread evenly over the second) and the latency of an edit is
 * the time from one client's insert to the other client's observer seeing it. A warm-up is
 * discarded; the server's CPU is its user+system time over the measured window (/proc), as a share
 * of one core. Idle phase, for each server in turn, freshly started: the servers' resident memory
 * (/proc VmRSS) once started and warmed by one connection, then again once 10,000 WebSockets in
 * 5,000 rooms have each completed a sync and gone silent; the difference over 10,000 is the cost of
 * an idle connection. Our relay runs with its defaults, except limits raised for one IP on loopback
 * to hold every client.
 *
 * Run: npx tsx bench/relay-load.ts [--json FILE] [measureSeconds]
 * Idle phase alone, with fewer connections on a shared machine: npx tsx bench/relay-load.ts --idle 3000
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { jsonFile, percentiles, writeFigures, type Figures, type Percentiles } from './figures.js';
import type { LoadCommand, LoadReport } from './relay-load-clients.js';
import { startOurRelay, startReference, type RelayTarget } from './sync-common.js';

const GENERATORS = 2;
const ACTIVE_ROOMS = 1000;
const IDLE_ROOMS = 5000;
const IDLE_PER_ROOM = 2;
const SECRET = { secret: 'bench-secret-0123456789abcdef0123456789abcdef' };
/** Our relay caps connections and room creation per address; every bench client comes from 127.0.0.1. */
const LOOPBACK_LIMITS = ['--max-connections', '20000', '--max-connections-per-ip', '20000', '--rooms-per-minute', '1000000'];

export interface LoadResult {
  server: string;
  latency: Percentiles;
  lost: number;
  cpuPct: number;
  idleKbPerConn: number;
}

interface Generator {
  child: ChildProcess;
  run(command: LoadCommand): Promise<LoadReport>;
}

function startGenerator(): Generator {
  const child = fork(join(import.meta.dirname, 'relay-load-clients.ts'), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  return {
    child,
    run: (command) =>
      new Promise((resolve, reject) => {
        child.once('message', (report: LoadReport) =>
          report.type === 'failed' ? reject(new Error(`load generator failed: ${report.error}`)) : resolve(report),
        );
        child.send(command);
      }),
  };
}

async function withGenerators<T>(fn: (generators: Generator[]) => Promise<T>): Promise<T> {
  const generators = Array.from({ length: GENERATORS }, startGenerator);
  try {
    return await fn(generators);
  } finally {
    for (const g of generators) {
      if (g.child.connected) g.child.send({ type: 'stop' } satisfies LoadCommand);
      const exited = new Promise((r) => g.child.once('exit', r));
      const killer = setTimeout(() => g.child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
  }
}

/** CPU seconds (user + system) the process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

const roomNames = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
const share = <T>(items: T[], parts: number, i: number) => items.filter((_, j) => j % parts === i);
const paramsFor = (target: RelayTarget) => (target.name.includes('reference') ? {} : SECRET);

async function active(
  target: RelayTarget,
  warmupMs: number,
  measureMs: number,
): Promise<{ latency: Percentiles; lost: number; cpuPct: number }> {
  return withGenerators(async (generators) => {
    const rooms = roomNames('load', ACTIVE_ROOMS);
    await Promise.all(
      generators.map((g, i) =>
        g.run({
          type: 'connect',
          mode: 'active',
          url: target.url,
          params: paramsFor(target),
          rooms: share(rooms, GENERATORS, i),
          perRoom: 2,
        }),
      ),
    );
    let cpuStart = 0;
    const measuring = setTimeout(() => (cpuStart = cpuSeconds(target.pid)), warmupMs);
    const started = performance.now() + warmupMs;
    const reports = await Promise.all(generators.map((g) => g.run({ type: 'edit', warmupMs, measureMs })));
    clearTimeout(measuring);
    const cpuPct = ((cpuSeconds(target.pid) - cpuStart) / ((performance.now() - started) / 1000)) * 100;
    const samples = reports.flatMap((r) => (r.type === 'samples' ? r.samples : []));
    const lost = reports.reduce((n, r) => n + (r.type === 'samples' ? r.lost : 0), 0);
    return { latency: percentiles(samples), lost, cpuPct };
  });
}

async function idle(start: () => Promise<RelayTarget>, connections = IDLE_ROOMS * IDLE_PER_ROOM): Promise<number> {
  const target = await start();
  try {
    return await withGenerators(async (generators) => {
      // One connection first, so what is measured is the cost of a connection, not of loading code paths.
      await generators[0]!.run({ type: 'connect', mode: 'idle', url: target.url, params: paramsFor(target), rooms: ['warm'], perRoom: 1 });
      await new Promise((r) => setTimeout(r, 1000));
      const before = rssKb(target.pid);
      const rooms = roomNames('idle', Math.ceil(connections / IDLE_PER_ROOM));
      await Promise.all(
        generators.map((g, i) =>
          g.run({
            type: 'connect',
            mode: 'idle',
            url: target.url,
            params: paramsFor(target),
            rooms: share(rooms, GENERATORS, i),
            perRoom: IDLE_PER_ROOM,
          }),
        ),
      );
      await new Promise((r) => setTimeout(r, 2000));
      return (rssKb(target.pid) - before) / (rooms.length * IDLE_PER_ROOM);
    });
  } finally {
    await target.close();
  }
}

const startTandem = () => startOurRelay('full', LOOPBACK_LIMITS);

export async function measureRelayLoad({ warmupMs = 5000, measureMs = 20_000 } = {}): Promise<LoadResult[]> {
  const results: LoadResult[] = [];
  for (const start of [startTandem, startReference]) {
    const target = await start();
    let measured;
    try {
      measured = await active(target, warmupMs, measureMs);
    } finally {
      await target.close();
    }
    results.push({ server: target.name, ...measured, idleKbPerConn: await idle(start) });
  }
  return results;
}

/** The figures by the stable names of bench/figures.ts. */
export function relayLoadFigures([tandem, reference]: LoadResult[]): Figures {
  return {
    relay_2k_p50_ms: tandem!.latency.p50,
    relay_2k_p99_ms: tandem!.latency.p99,
    relay_2k_cpu_pct: tandem!.cpuPct,
    relay_2k_reference_p99_ms: reference!.latency.p99,
    relay_10k_idle_kb_per_conn: tandem!.idleKbPerConn,
    relay_10k_idle_reference_kb_per_conn: reference!.idleKbPerConn,
  };
}

export function formatRelayLoad(results: LoadResult[]): string {
  const ms = (v: number) => `${v.toFixed(2)} ms`.padStart(10);
  const width = Math.max(...results.map((r) => r.server.length));
  return [
    'Relay under load: 2,000 stock y-websocket clients in 1,000 rooms, one edit per room per second, latency from',
    "one client's insert to the other's observer; then 10,000 idle synced connections. Servers and two load",
    'generators in separate processes on one machine; CPU as a share of one core (bench/relay-load.ts).',
    `${'server'.padEnd(width)}  ${'edits'.padStart(6)}${'p50'.padStart(10)}${'p95'.padStart(10)}${'p99'.padStart(10)}${'max'.padStart(10)}${'lost'.padStart(6)}${'CPU'.padStart(7)}${'idle/conn'.padStart(11)}`,
    ...results.map(
      (r) =>
        `${r.server.padEnd(width)}  ${String(r.latency.n).padStart(6)}${ms(r.latency.p50)}${ms(r.latency.p95)}${ms(r.latency.p99)}${ms(r.latency.max)}` +
        `${String(r.lost).padStart(6)}${`${r.cpuPct.toFixed(0)} %`.padStart(7)}${`${r.idleKbPerConn.toFixed(1)} KB`.padStart(11)}`,
    ),
  ].join('\n');
}

/** The idle phase alone, for each server, with `connections` idle connections. */
export async function measureIdle(connections: number): Promise<{ server: string; idleKbPerConn: number }[]> {
  const results = [];
  for (const [server, start] of [
    ['tandem', startTandem],
    ['reference', startReference],
  ] as const) {
    results.push({ server, idleKbPerConn: await idle(start, connections) });
  }
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const idleOnly = args.indexOf('--idle');
  if (idleOnly >= 0) {
    const connections = Number(args[idleOnly + 1]);
    for (const r of await measureIdle(connections))
      console.log(`${r.server}: ${r.idleKbPerConn.toFixed(1)} KB per idle connection (${connections} connections)`);
    process.exit(0);
  }
  const json = jsonFile(args);
  const seconds = Number(args.find((a) => /^\d+$/.test(a)) ?? 20);
  const results = await measureRelayLoad({ measureMs: seconds * 1000 });
  console.log(formatRelayLoad(results));
  if (json) writeFigures(json, relayLoadFigures(results));
}
