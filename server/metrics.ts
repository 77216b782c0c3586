/**
 * Prometheus counters, gauges and histograms for the relay, rendered in the text exposition format
 * on /metrics. Labels carry reasons and close codes only, never room ids (no endpoint lists rooms).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
type Labels = Record<string, string>;

function labelText(labels: Labels): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`);
  return pairs.length ? `{${pairs.join(',')}}` : '';
}

class Counter {
  private readonly values = new Map<string, number>();

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(by = 1, labels: Labels = {}): void {
    const key = labelText(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  render(): string {
    const rows = this.values.size ? [...this.values] : [['', 0] as const];
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`, ...rows.map(([l, v]) => `${this.name}${l} ${v}`)].join('\n');
  }
}

/** Cumulative buckets, `_sum` and `_count`, as Prometheus histograms are exposed; values in seconds. */
class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly buckets: readonly number[],
  ) {
    this.counts = buckets.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count++;
    const i = this.buckets.findIndex((le) => value <= le);
    if (i >= 0) this.counts[i]!++;
  }

  render(): string {
    let cumulative = 0;
    const rows = this.buckets.map((le, i) => `${this.name}_bucket{le="${le}"} ${(cumulative += this.counts[i]!)}`);
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} histogram`,
      ...rows,
      `${this.name}_bucket{le="+Inf"} ${this.count}`,
      `${this.name}_sum ${this.sum}`,
      `${this.name}_count ${this.count}`,
    ].join('\n');
  }
}

/** Seconds, from a tenth of a millisecond (an fsync's best) to five seconds. */
const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

class Gauge {
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => number,
  ) {}

  render(): string {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`, `${this.name} ${this.read()}`].join('\n');
  }
}

export interface GaugeSources {
  connections: () => number;
  roomsActive: () => number;
  roomsLoaded: () => number;
}

export class Metrics {
  readonly messagesIn = new Counter('tandem_relay_messages_in_total', 'WebSocket messages received from clients.');
  readonly messagesOut = new Counter('tandem_relay_messages_out_total', 'WebSocket messages sent to clients.');
  readonly bytesIn = new Counter('tandem_relay_bytes_in_total', 'Payload bytes received from clients.');
  readonly bytesOut = new Counter('tandem_relay_bytes_out_total', 'Payload bytes sent to clients.');
  readonly authFailures = new Counter(
    'tandem_relay_auth_failures_total',
    'Upgrades refused for a missing or wrong key or room secret, by reason.',
  );
  readonly upgradesRejected = new Counter(
    'tandem_relay_upgrades_rejected_total',
    'Upgrades refused for any reason, by HTTP status and reason.',
  );
  readonly updatesRejected = new Counter('tandem_relay_updates_rejected_total', 'Document updates refused because they do not decode.');
  readonly connectionsClosed = new Counter('tandem_relay_connections_closed_total', 'Connections closed, by WebSocket close code.');
  readonly closesByReason = new Counter('tandem_relay_closes_total', 'Connections the relay closed, by reason.');
  readonly logLinesDropped = new Counter('tandem_relay_log_lines_dropped_total', 'Log lines about clients dropped by the log rate limit.');
  readonly storeSeconds = new Histogram(
    'tandem_relay_store_seconds',
    'Time to store one group commit (all updates of one event-loop turn, one fsync).',
    LATENCY_BUCKETS,
  );
  readonly compactSeconds = new Histogram(
    'tandem_relay_compact_seconds',
    'Time to compact one room document into a snapshot.',
    LATENCY_BUCKETS,
  );
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });
  private readonly gauges: Gauge[];

  constructor(sources: GaugeSources) {
    this.loopDelay.enable();
    this.gauges = [
      new Gauge('tandem_relay_connections', 'Open WebSocket connections.', sources.connections),
      new Gauge('tandem_relay_rooms_active', 'Rooms with at least one connection.', sources.roomsActive),
      new Gauge('tandem_relay_rooms_loaded', 'Room documents held in memory, including idle ones not yet unloaded.', sources.roomsLoaded),
      new Gauge('tandem_relay_event_loop_lag_p99_seconds', 'Event-loop delay, 99th percentile since the last scrape.', () => {
        const p99 = this.loopDelay.percentile(99) / 1e9;
        this.loopDelay.reset();
        return p99;
      }),
      new Gauge('tandem_relay_resident_memory_bytes', 'Resident memory of the relay process.', () => process.memoryUsage.rss()),
    ];
  }

  /** Stops sampling the event loop. */
  stop(): void {
    this.loopDelay.disable();
  }

  render(): string {
    const counters = [
      this.messagesIn,
      this.messagesOut,
      this.bytesIn,
      this.bytesOut,
      this.authFailures,
      this.upgradesRejected,
      this.updatesRejected,
      this.connectionsClosed,
      this.closesByReason,
      this.logLinesDropped,
      this.storeSeconds,
      this.compactSeconds,
    ];
    return `${[...this.gauges, ...counters].map((m) => m.render()).join('\n')}\n`;
  }
}
