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
 * Then the same clients spread over 1, 2 and 3 instances behind Redis (bench/relay-scale.ts).
 *
 * Run: npx tsx bench/relay-load.ts [--json FILE] [measureSeconds] [--scale-only] [--scale-rooms N] [--scale-seconds S]
 * (the scale steps' rooms, 300, and measured seconds, 5, each step warming up for a third of that)
 * Idle phase alone, with fewer connections on a shared machine: npx tsx bench/relay-load.ts --idle 3000
 * Active phase alone (no idle or scale phase), for a quick before/after: npx tsx bench/relay-load.ts --active-only 10
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { jsonFile, percentiles, writeFigures, type Figures, type Percentiles } from './figures.js';
import { GENERATORS, LOOPBACK_LIMITS, SECRET, cpuSeconds, roomNames, share, withGenerators } from './load-generators.js';
import { formatRelayScale, measureRelayScale, relayScaleFigures } from './relay-scale.js';
import { startOurRelay, startReference, type RelayTarget } from './sync-common.js';

const ACTIVE_ROOMS = 1000;
const IDLE_ROOMS = 5000;
const IDLE_PER_ROOM = 2;

export interface LoadResult {
  server: string;
  latency: Percentiles;
  lost: number;
  cpuPct: number;
  /** Absent when the idle phase was skipped. */
  idleKbPerConn?: number;
}

function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

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
          urls: [target.url],
          params: paramsFor(target),
          rooms: share(rooms, GENERATORS, i),
          perRoom: 2,
        }),
      ),
    );
    let cpuStart = 0;
    const measuring = setTimeout(() => (cpuStart = cpuSeconds(target.pid)), warmupMs);
    const started = performance.now() + warmupMs;
    const reports = await Promise.all(generators.map((g) => g.run({ type: 'edit', warmupMs, measureMs, intervalMs: 1000 })));
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
      await generators[0]!.run({
        type: 'connect',
        mode: 'idle',
        urls: [target.url],
        params: paramsFor(target),
        rooms: ['warm'],
        perRoom: 1,
      });
      await new Promise((r) => setTimeout(r, 1000));
      const before = rssKb(target.pid);
      const rooms = roomNames('idle', Math.ceil(connections / IDLE_PER_ROOM));
      await Promise.all(
        generators.map((g, i) =>
          g.run({
            type: 'connect',
            mode: 'idle',
            urls: [target.url],
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

export async function measureRelayLoad({ warmupMs = 5000, measureMs = 20_000, idlePhase = true } = {}): Promise<LoadResult[]> {
  const results: LoadResult[] = [];
  for (const start of [startTandem, startReference]) {
    const target = await start();
    let measured;
    try {
      measured = await active(target, warmupMs, measureMs);
    } finally {
      await target.close();
    }
    results.push({ server: target.name, ...measured, idleKbPerConn: idlePhase ? await idle(start) : undefined });
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
    relay_10k_idle_kb_per_conn: tandem!.idleKbPerConn!,
    relay_10k_idle_reference_kb_per_conn: reference!.idleKbPerConn!,
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
        `${String(r.lost).padStart(6)}${`${r.cpuPct.toFixed(0)} %`.padStart(7)}${(r.idleKbPerConn === undefined ? '-' : `${r.idleKbPerConn.toFixed(1)} KB`).padStart(11)}`,
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
  // A bare number, not the value of a --scale-… option.
  const seconds = Number(args.find((a, i) => /^\d+$/.test(a) && !args[i - 1]?.startsWith('--scale-')) ?? 20);
  const figures: Figures = {};
  if (args.includes('--active-only')) {
    console.log(formatRelayLoad(await measureRelayLoad({ measureMs: seconds * 1000, idlePhase: false })));
    process.exit(0);
  }
  if (!args.includes('--scale-only')) {
    const results = await measureRelayLoad({ measureMs: seconds * 1000 });
    console.log(formatRelayLoad(results));
    Object.assign(figures, relayLoadFigures(results));
  }
  const option = (name: string) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : undefined);
  const scaleSeconds = option('--scale-seconds');
  const scale = await measureRelayScale({
    rooms: option('--scale-rooms'),
    ...(scaleSeconds ? { warmupMs: (scaleSeconds * 1000) / 3, measureMs: scaleSeconds * 1000 } : {}),
  });
  console.log(`\n${formatRelayScale(scale)}`);
  Object.assign(figures, relayScaleFigures(scale));
  if (json) writeFigures(json, figures);
}
