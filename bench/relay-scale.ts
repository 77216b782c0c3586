/**
 * Several relay instances behind Redis (`npm run bench:relay`, after the single-relay load): how
 * many edits per second reach the other person with a p99 under 20 ms, with 1, 2 and 3 instances.
 *
 * Method: a redis-server and N relay processes (the bundle, synchronous=FULL, each with its own
 * SQLite file, sharing rooms through Redis) on loopback; two load-generator processes
 * (bench/relay-load-clients.ts) hold 300 rooms of two stock y-websocket clients, a room's two
 * clients on different instances whenever N > 1, so every edit crosses Redis. The search over
 * rates starts at 100 edits/s over all rooms and doubles the rate while it holds; after the first
 * rate that does not, it halves the gap between the last that held and the first that did not,
 * three times. Each step has a 2 s warm-up and at least 5 s measured, longer where needed for
 * 1,000 edits: the p99 of a hundred edits is the one slowest, which a single scheduling hiccup
 * decides (a 10 edits/s start once "failed" at 20/s and reported 18 edits/s for a count that held
 * thousands). A rate holds when the p99 from one
 * client's insert to the other's observer, counting every edit never seen as infinitely late, is
 * under 20 ms. The figure is the edits per second delivered at the highest rate that held, with
 * its p99. Every step is printed with its p50, p99 and the CPU of each process (each relay,
 * Redis, each load generator: user+system time over the measured window as a share of one core).
 *
 * When even the lowest rate does not hold, `relay_scale_N_eps` is 0 (the name stays in every figures
 * file) and `relay_scale_N_budget_met` is 0, so a reader can tell "none held" from a measured rate;
 * `relay_scale_N_p99_ms` is then the lowest step's p99, and the text says so. A loaded machine
 * shows here first: the load average is printed when each count begins and ends.
 *
 * Every process shares this machine's cores: more instances add hops and processes, not cores, so
 * on a small machine the figures fall as N grows; what they show is the cost of the fan-out.
 */
import { cpus, loadavg } from 'node:os';
import { percentiles, type Figures, type Percentiles } from './figures.js';
import { GENERATORS, LOOPBACK_LIMITS, SECRET, cpuSeconds, roomNames, share, withGenerators, type Generator } from './load-generators.js';
import { startOurRelay, type RelayTarget } from './sync-common.js';
import { startRedis } from '../tests/unit/server/redis-server.js';

const ROOMS = 300;
const P99_BUDGET_MS = 20;
const FIRST_RATE = 100;
/** A p99 over fewer samples is one unlucky scheduling delay: a step measures until it has this many. */
const MIN_SAMPLES = 1000;
const MAX_RATE = 40_000;
const BISECTIONS = 3;

export interface ScaleStep {
  /** Edits per second asked of the rooms. */
  rate: number;
  /** Edits per second delivered (seen by the other client) in the measured window. */
  eps: number;
  latency: Percentiles;
  lost: number;
  /** CPU over the measured window, as a share of one core (100 = one core busy), per process. */
  cpuPct: { relays: number[]; redis: number; generators: number[] };
}

export interface ScaleResult {
  instances: number;
  rooms: number;
  /** The machine's one-minute load average when this count's run began and ended: other work on it shows here. */
  loadAverage: { start: number; end: number };
  /** The highest step whose p99 held under the budget; null if even the lowest did not. */
  best: ScaleStep | null;
  steps: ScaleStep[];
}

async function step(generators: Generator[], relayPids: number[], redisPid: number, rate: number, rooms: number, timing: Timing) {
  const warmupMs = timing.warmupMs;
  const measureMs = Math.max(timing.measureMs, Math.ceil((MIN_SAMPLES / rate) * 1000));
  const intervalMs = (rooms * 1000) / rate;
  const pids = [...relayPids, redisPid, ...generators.map((g) => g.child.pid!)];
  let start: number[] = [];
  let started = 0;
  const measuring = setTimeout(() => {
    start = pids.map(cpuSeconds);
    started = performance.now();
  }, warmupMs);
  const reports = await Promise.all(generators.map((g) => g.run({ type: 'edit', warmupMs, measureMs, intervalMs })));
  clearTimeout(measuring);
  const seconds = (performance.now() - started) / 1000;
  const cpu = pids.map((pid, i) => ((cpuSeconds(pid) - start[i]!) / seconds) * 100);
  const samples = reports.flatMap((r) => (r.type === 'samples' ? r.samples : []));
  const lost = reports.reduce((n, r) => n + (r.type === 'samples' ? r.lost : 0), 0);
  const latency = percentiles([...samples, ...Array<number>(lost).fill(Infinity)]);
  return {
    rate,
    eps: samples.length / (measureMs / 1000),
    latency,
    lost,
    cpuPct: { relays: cpu.slice(0, relayPids.length), redis: cpu[relayPids.length]!, generators: cpu.slice(relayPids.length + 1) },
  };
}

interface Timing {
  warmupMs: number;
  measureMs: number;
}

async function measureInstances(instances: number, rooms: number, timing: Timing): Promise<ScaleResult> {
  const loadAtStart = loadavg()[0]!;
  const redis = await startRedis();
  const relays: RelayTarget[] = [];
  try {
    for (let i = 0; i < instances; i++) relays.push(await startOurRelay('full', [...LOOPBACK_LIMITS, '--redis', redis.url]));
    const { best, steps } = await withGenerators(async (generators) => {
      const names = roomNames(`scale${instances}`, rooms);
      const urls = relays.map((r) => r.url);
      await Promise.all(
        generators.map((g, i) =>
          g.run({ type: 'connect', mode: 'active', urls, params: SECRET, rooms: share(names, GENERATORS, i), perRoom: 2 }),
        ),
      );
      const steps: ScaleStep[] = [];
      const holds = async (rate: number) => {
        const result = await step(
          generators,
          relays.map((r) => r.pid),
          redis.pid()!,
          rate,
          rooms,
          timing,
        );
        steps.push(result);
        return result.latency.p99 < P99_BUDGET_MS;
      };
      let best: ScaleStep | null = null;
      let failed: number | null = null;
      for (let rate = FIRST_RATE; rate <= MAX_RATE && failed === null; rate *= 2) {
        if (await holds(rate)) best = steps.at(-1)!;
        else failed = rate;
      }
      for (let i = 0; i < BISECTIONS && best && failed !== null && failed - best.rate > 1; i++) {
        const rate = Math.round((best.rate + failed) / 2);
        if (await holds(rate)) best = steps.at(-1)!;
        else failed = rate;
      }
      return { best, steps };
    });
    return { instances, rooms, loadAverage: { start: loadAtStart, end: loadavg()[0]! }, best, steps };
  } finally {
    await Promise.all(relays.map((r) => r.close()));
    await redis.remove();
  }
}

/** `rooms` and the step timings can be made smaller for a quick run (`--scale-rooms`, `--scale-seconds` of bench/relay-load.ts). */
export async function measureRelayScale({ rooms = ROOMS, warmupMs = 2000, measureMs = 5000 } = {}): Promise<ScaleResult[]> {
  const results: ScaleResult[] = [];
  for (const instances of [1, 2, 3]) results.push(await measureInstances(instances, rooms, { warmupMs, measureMs }));
  return results;
}

/**
 * For N = 1, 2, 3: `relay_scale_N_eps`, the edits per second delivered at the highest rate that
 * held, and `relay_scale_N_p99_ms`, its p99, with `relay_scale_N_budget_met` 1. When even the
 * lowest rate did not hold: `_eps` 0, the lowest step's p99, and `_budget_met` 0.
 */
export function relayScaleFigures(results: ScaleResult[]): Figures {
  return Object.fromEntries(
    results.flatMap((r) => {
      const name = `relay_scale_${r.instances}`;
      if (r.best)
        return [
          [`${name}_eps`, r.best.eps],
          [`${name}_p99_ms`, r.best.latency.p99],
          [`${name}_budget_met`, 1],
        ];
      return [
        [`${name}_eps`, 0],
        [`${name}_p99_ms`, r.steps[0]?.latency.p99 ?? NaN],
        [`${name}_budget_met`, 0],
      ];
    }),
  );
}

export function formatRelayScale(results: ScaleResult[]): string {
  const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)} ms` : 'lost').padStart(10);
  const pct = (v: number) => `${v.toFixed(0)}`.padStart(5);
  const row = (label: string, s: ScaleStep) =>
    `${label.padEnd(10)}${String(s.rate).padStart(7)}${s.eps.toFixed(0).padStart(7)}${ms(s.latency.p50)}${ms(s.latency.p99)}` +
    `${String(s.lost).padStart(6)}   ${s.cpuPct.relays.map(pct).join('')} |${pct(s.cpuPct.redis)} |${s.cpuPct.generators.map(pct).join('')}`;
  return [
    `Relay instances behind Redis: ${results[0]?.rooms} rooms of two stock y-websocket clients, a room's two clients on different instances`,
    `when there are several; the edit rate starts at ${FIRST_RATE}/s and steps up until the p99 (lost edits counted as late)`,
    `passes ${P99_BUDGET_MS} ms. Redis, the relays and ${GENERATORS} load generators share this machine's ${cpus().length} cores`,
    `(bench/relay-scale.ts). CPU in % of one core: each relay | Redis | each load generator.`,
    `${'instances'.padEnd(10)}${'asked'.padStart(7)}${'eps'.padStart(7)}${'p50'.padStart(10)}${'p99'.padStart(10)}${'lost'.padStart(6)}   CPU %`,
    ...results.flatMap((r) => [
      `${r.instances} instance${r.instances > 1 ? 's' : ''} (load average ${r.loadAverage.start.toFixed(1)} when it began, ${r.loadAverage.end.toFixed(1)} when it ended):`,
      ...r.steps.map((s) => row(s === r.best ? `${r.instances} best` : String(r.instances), s)),
      r.best
        ? `${r.instances}: ${r.best.eps.toFixed(0)} edits/s delivered at p99 ${r.best.latency.p99.toFixed(2)} ms`
        : `${r.instances}: no rate held the budget; even the lowest, ${r.steps[0]?.rate} edits/s, had a p99 of ${r.steps[0]?.latency.p99.toFixed(2)} ms (no edits/s figure)`,
    ]),
  ].join('\n');
}
