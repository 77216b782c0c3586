/**
 * Prometheus counters, gauges and histograms for the relay, rendered in the text exposition format
 * on /metrics. Labels carry reasons and close codes only, never room ids (no endpoint lists rooms).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds, from a tenth of a millisecond (an fsync's best) to five seconds. */
const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface GaugeSources {
  connections: () => number;
  roomsActive: () => number;
  roomsLoaded: () => number;
  storeUp: () => boolean;
  storeBacklogBytes: () => number;
}

/**
 * One registry per relay (prom-client's default one is process-wide: two relays in one test
 * process would share their counts).
 */
export class Metrics {
  private readonly registry = new Registry();
  private readonly counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers: [this.registry] });
  private readonly histogram = (name: string, help: string) =>
    new Histogram({ name, help, buckets: LATENCY_BUCKETS, registers: [this.registry] });

  /**
   * Counted on every message: plain numbers, handed to prom-client when scraped (its `inc`
   * allocates two objects a call, four calls for each edit forwarded).
   */
  readonly traffic = { messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 };
  readonly authFailures = this.counter(
    'tandem_relay_auth_failures_total',
    'Upgrades refused for a missing or wrong key or room secret, by reason.',
    ['reason'],
  );
  readonly upgradesRejected = this.counter(
    'tandem_relay_upgrades_rejected_total',
    'Upgrades refused for any reason, by HTTP status and reason.',
    ['status', 'reason'],
  );
  readonly updatesRejected = this.counter('tandem_relay_updates_rejected_total', 'Document updates refused because they do not decode.');
  readonly connectionsClosed = this.counter('tandem_relay_connections_closed_total', 'Connections closed, by WebSocket close code.', [
    'code',
  ]);
  readonly closesByReason = this.counter('tandem_relay_closes_total', 'Connections the relay closed, by reason.', ['reason']);
  readonly logLinesDropped = this.counter('tandem_relay_log_lines_dropped_total', 'Log lines about clients dropped by the log rate limit.');
  readonly storeSeconds = this.histogram(
    'tandem_relay_store_seconds',
    'Time to store one group commit (all updates of one event-loop turn, one fsync).',
  );
  readonly compactSeconds = this.histogram('tandem_relay_compact_seconds', 'Time to compact one room document into a snapshot.');
  readonly fanoutMessages = this.counter(
    'tandem_relay_fanout_messages_total',
    'Messages exchanged with the other relay instances through Redis, by direction (in, out) and kind (update, awareness, sync).',
    ['direction', 'kind'],
  );
  readonly redisUp = new Gauge({
    name: 'tandem_relay_redis_up',
    help: 'Whether both connections to Redis are up (1) or not (0); always 0 without --redis.',
    registers: [this.registry],
  });
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });

  constructor(sources: GaugeSources) {
    this.loopDelay.enable();
    const traffic = this.traffic;
    const counted = (name: string, help: string, read: () => number) => {
      let reported = 0;
      new Counter({
        name,
        help,
        registers: [this.registry],
        collect() {
          const now = read();
          this.inc(now - reported);
          reported = now;
        },
      });
    };
    counted('tandem_relay_messages_in_total', 'WebSocket messages received from clients.', () => traffic.messagesIn);
    counted('tandem_relay_messages_out_total', 'WebSocket messages sent to clients.', () => traffic.messagesOut);
    counted('tandem_relay_bytes_in_total', 'Payload bytes received from clients.', () => traffic.bytesIn);
    counted('tandem_relay_bytes_out_total', 'Payload bytes sent to clients.', () => traffic.bytesOut);
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read());
        },
      });
    gauge('tandem_relay_connections', 'Open WebSocket connections.', sources.connections);
    gauge('tandem_relay_rooms_active', 'Rooms with at least one connection.', sources.roomsActive);
    gauge('tandem_relay_rooms_loaded', 'Room documents held in memory, including idle ones not yet unloaded.', sources.roomsLoaded);
    gauge('tandem_relay_store_up', 'Whether the store answered its last call (1) or cannot be reached (0).', () =>
      Number(sources.storeUp()),
    );
    gauge('tandem_relay_store_backlog_bytes', 'Bytes of updates held in memory, waiting for the store.', sources.storeBacklogBytes);
    gauge('tandem_relay_event_loop_lag_p99_seconds', 'Event-loop delay, 99th percentile since the last scrape.', () => {
      const p99 = this.loopDelay.percentile(99) / 1e9;
      this.loopDelay.reset();
      return p99;
    });
    gauge('tandem_relay_resident_memory_bytes', 'Resident memory of the relay process.', () => process.memoryUsage.rss());
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Stops sampling the event loop. */
  stop(): void {
    this.loopDelay.disable();
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
