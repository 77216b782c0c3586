/**
 * Several relay instances behind Redis (`npm run bench:relay`, after the single-relay load): how
 * many edits per second reach the other person with a p99 under 20 ms, with 1, 2 and 3 instances.
 *
 * Method: a redis-server and N relay processes (the bundle, synchronous=FULL, each with its own
 * SQLite file, sharing rooms through Redis) on loopback; two load-generator processes
 * (bench/relay-load-clients.ts) hold 300 rooms of two stock y-websocket clients, a room's two
 * clients on different instances whenever N > 1, so every edit crosses Redis. The rooms edit at a
 * rate stepped up (doubling from 50 edits/s, then halving the gap three times between the last
 * rate that held and the first that did not); each step has a 2 s warm-up and 5 s measured. A rate
 * holds when the p99 from one client's insert to the other's observer, counting every edit never
 * seen as infinitely late, is under 20 ms. The figure is the edits per second delivered at the
 * highest rate that held, with its p99; CPU is the relays' and Redis' user+system time over the
 * measured window as a share of one core.
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
const FIRST_RATE = 50;
const MAX_RATE = 40_000;
const BISECTIONS = 3;

export interface ScaleStep {
  /** Edits per second asked of the rooms. */
  rate: number;
  /** Edits per second delivered (seen by the other client) in the measured window. */
  eps: number;
  latency: Percentiles;
  lost: number;
  relaysCpuPct: number;
  redisCpuPct: number;
}

export interface ScaleResult {
  instances: number;
  /** The machine's one-minute load average when this count's run began: other work on it shows here. */
  loadAverage: number;
  /** The highest step whose p99 held under the budget; null if even the first did not. */
  best: ScaleStep | null;
  steps: ScaleStep[];
}

async function step(generators: Generator[], pids: number[], redisPid: number, rate: number, warmupMs: number, measureMs: number) {
  const intervalMs = (ROOMS * 1000) / rate;
  let start: number[] = [];
  let started = 0;
  const measuring = setTimeout(() => {
    start = [...pids, redisPid].map(cpuSeconds);
    started = performance.now();
  }, warmupMs);
  const reports = await Promise.all(generators.map((g) => g.run({ type: 'edit', warmupMs, measureMs, intervalMs })));
  clearTimeout(measuring);
  const seconds = (performance.now() - started) / 1000;
  const cpu = [...pids, redisPid].map((pid, i) => ((cpuSeconds(pid) - start[i]!) / seconds) * 100);
  const samples = reports.flatMap((r) => (r.type === 'samples' ? r.samples : []));
  const lost = reports.reduce((n, r) => n + (r.type === 'samples' ? r.lost : 0), 0);
  const latency = percentiles([...samples, ...Array<number>(lost).fill(Infinity)]);
  return {
    rate,
    eps: samples.length / (measureMs / 1000),
    latency,
    lost,
    relaysCpuPct: cpu.slice(0, pids.length).reduce((a, b) => a + b, 0),
    redisCpuPct: cpu.at(-1)!,
  };
}

async function measureInstances(instances: number, warmupMs: number, measureMs: number): Promise<ScaleResult> {
  const loadAverage = loadavg()[0]!;
  const redis = await startRedis();
  const relays: RelayTarget[] = [];
  try {
    for (let i = 0; i < instances; i++) relays.push(await startOurRelay('full', [...LOOPBACK_LIMITS, '--redis', redis.url]));
    return await withGenerators(async (generators) => {
      const rooms = roomNames(`scale${instances}`, ROOMS);
      const urls = relays.map((r) => r.url);
      await Promise.all(
        generators.map((g, i) =>
          g.run({ type: 'connect', mode: 'active', urls, params: SECRET, rooms: share(rooms, GENERATORS, i), perRoom: 2 }),
        ),
      );
      const steps: ScaleStep[] = [];
      const run = async (rate: number) => {
        const result = await step(
          generators,
          relays.map((r) => r.pid),
          redis.pid()!,
          rate,
          warmupMs,
          measureMs,
        );
        steps.push(result);
        return result.latency.p99 < P99_BUDGET_MS ? result : null;
      };
      let best: ScaleStep | null = null;
      let failed = MAX_RATE * 2;
      for (let rate = FIRST_RATE; rate <= MAX_RATE; rate *= 2) {
        const held = await run(rate);
        if (!held) {
          failed = rate;
          break;
        }
        best = held;
      }
      for (let i = 0; i < BISECTIONS && best && failed <= MAX_RATE; i++) {
        const rate = Math.round((best.rate + failed) / 2);
        const held = await run(rate);
        if (held) best = held;
        else failed = rate;
      }
      return { instances, loadAverage, best, steps };
    });
  } finally {
    await Promise.all(relays.map((r) => r.close()));
    await redis.remove();
  }
}

export async function measureRelayScale({ warmupMs = 2000, measureMs = 5000 } = {}): Promise<ScaleResult[]> {
  const results: ScaleResult[] = [];
  for (const instances of [1, 2, 3]) results.push(await measureInstances(instances, warmupMs, measureMs));
  return results;
}

/**
 * `relay_scale_N_eps` and `relay_scale_N_p99_ms` for N = 1, 2, 3: the edits per second delivered at
 * the highest rate that held and its p99; when even the first rate did not hold, 0 and that rate's p99.
 */
export function relayScaleFigures(results: ScaleResult[]): Figures {
  return Object.fromEntries(
    results.flatMap((r) => [
      [`relay_scale_${r.instances}_eps`, r.best?.eps ?? 0],
      [`relay_scale_${r.instances}_p99_ms`, (r.best ?? r.steps[0])?.latency.p99 ?? NaN],
    ]),
  );
}

export function formatRelayScale(results: ScaleResult[]): string {
  const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)} ms` : 'lost').padStart(10);
  const row = (label: string, s: ScaleStep) =>
    `${label.padEnd(12)}${String(s.rate).padStart(7)}${s.eps.toFixed(0).padStart(8)}${ms(s.latency.p50)}${ms(s.latency.p99)}` +
    `${String(s.lost).padStart(6)}${`${s.relaysCpuPct.toFixed(0)} %`.padStart(8)}${`${s.redisCpuPct.toFixed(0)} %`.padStart(8)}`;
  return [
    `Relay instances behind Redis: ${ROOMS} rooms of two stock y-websocket clients, a room's two clients on different`,
    `instances when there are several; the edit rate stepped up until the p99 (lost edits counted as late) passes`,
    `${P99_BUDGET_MS} ms. Redis, the relays and two load generators share this machine's ${cpus().length} cores (bench/relay-scale.ts).`,
    `${'instances'.padEnd(12)}${'asked'.padStart(7)}${'eps'.padStart(8)}${'p50'.padStart(10)}${'p99'.padStart(10)}${'lost'.padStart(6)}${'relays'.padStart(8)}${'redis'.padStart(8)}`,
    ...results.flatMap((r) => [
      `${r.instances} instance${r.instances > 1 ? 's' : ''}, the machine's load average ${r.loadAverage.toFixed(1)} when it began:`,
      ...r.steps.map((s) => row(s === r.best ? `${r.instances} (best)` : String(r.instances), s)),
      ...(r.best ? [] : [`${r.instances}: no rate held the budget`]),
    ]),
  ].join('\n');
}
