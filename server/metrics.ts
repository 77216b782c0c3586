/**
 * Prometheus counters and gauges for the relay, rendered in the text exposition format on
 * /metrics. Labels carry reasons and close codes only, never room ids (no endpoint lists rooms).
 */
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
  private readonly gauges: Gauge[];

  constructor(sources: GaugeSources) {
    this.gauges = [
      new Gauge('tandem_relay_connections', 'Open WebSocket connections.', sources.connections),
      new Gauge('tandem_relay_rooms_active', 'Rooms with at least one connection.', sources.roomsActive),
      new Gauge('tandem_relay_rooms_loaded', 'Room documents held in memory, including idle ones not yet unloaded.', sources.roomsLoaded),
    ];
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
    ];
    return `${[...this.gauges, ...counters].map((m) => m.render()).join('\n')}\n`;
  }
}
