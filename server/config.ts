/**
 * The relay's settings, from the command line and the environment (flags win), validated once
 * with zod so every other module can trust them. In-process callers (tests, benchmarks) pass the
 * same shape to `startRelay` and get the same defaults and checks.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';

/** A whole number given as a number or as a string of digits ("" or "1e3" must not pass). */
const wholeNumber = (min: number, max: number) =>
  z
    .union([z.number(), z.string()], { error: 'must be a whole number' })
    .transform((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v))
    .pipe(
      z
        .number({ error: 'must be a whole number' })
        .int('must be a whole number')
        .min(min, `must be at least ${min}`)
        .max(max, `must be at most ${max}`),
    );

const MiB = 1024 * 1024;

export const RelaySettings = z.object({
  port: wholeNumber(0, 65535).default(4455),
  host: z.string().min(1, 'must not be empty').default('127.0.0.1'),
  /** Required unless `postgres` is given (validateSettings). */
  data: z.string().min(1, 'must not be empty').optional(),
  /** A PostgreSQL URL: rooms are stored there, shared with other relays, instead of in DIR/relay.db. */
  postgres: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Bytes of updates held in memory while PostgreSQL cannot be reached; past them changes are refused. */
  storeBacklogBytes: wholeNumber(MiB, 64 * 1024 * MiB).default(64 * MiB),
  key: z.string().min(16, 'must be at least 16 characters').max(512, 'must be at most 512 characters').optional(),
  maxMessageBytes: wholeNumber(1024, 256 * MiB).default(10 * MiB),
  maxConnections: wholeNumber(1, 1_000_000).default(10_000),
  /** Open WebSockets from one address; generous, as a whole office may share one. */
  maxConnectionsPerIp: wholeNumber(1, 1_000_000).default(256),
  /** A 1:1 room has two people, each with a desktop app and maybe a browser tab or two. */
  maxConnectionsPerRoom: wholeNumber(1, 10_000).default(8),
  /** Rooms one address may create per minute (and at once): a person creates a few a week. */
  roomsPerMinute: wholeNumber(1, 1_000_000).default(60),
  /** A client starts its sync as soon as it connects; one that has not within this long is dropped. */
  syncDeadlineMs: wholeNumber(100, 600_000).default(10_000),
  /** A room registered but never given a document is forgotten after this long, freeing its name. */
  emptyRoomExpiryMs: wholeNumber(60_000, 365 * 24 * 3600 * 1000).default(3600 * 1000),
  /** Sustained messages per second one connection may send; typing is a few dozen at most. */
  rateLimit: wholeNumber(1, 1_000_000).default(500),
  /** Messages a connection may send at once, e.g. a reconnecting client flushing its backlog. */
  rateBurst: wholeNumber(1, 1_000_000).default(2000),
  /**
   * SQLite's fsync policy. 'full' (default) makes every update durable against power loss before
   * the relay confirms it to its sender; group commit (one transaction, one fsync, per event-loop
   * turn for all rooms) keeps that cheap, and updates are forwarded to peers before it. 'normal'
   * survives a killed relay process but a crashed machine can lose its last commits, which the
   * clients resend (each keeps its whole document and hands the relay whatever it lacks).
   */
  synchronous: z.enum(['full', 'normal'], { error: "must be 'full' or 'normal'" }).default('full'),
  /**
   * Work one connection may cost per second: bytes received and structs decoded from its updates,
   * each with a burst of one largest message; one address may cost eight connections' worth.
   */
  bytesPerSecond: wholeNumber(1024, 1024 * MiB).default(MiB),
  structsPerSecond: wholeNumber(100, 100_000_000).default(20_000),
  /** Once a connection has synced, its messages are keystrokes and pastes: this limit, not the first sync's. */
  syncedMessageBytes: wholeNumber(1024, 256 * MiB).default(MiB),
  /**
   * Structs one update may hold, except a connection's first sync step 2 (which may bring a whole
   * document, up to 50,000): the event loop is held while Yjs integrates an update, tens of
   * microseconds a struct on a busy machine (bench/relay-update-cost.ts), so this bounds how long
   * one edit makes every other room wait. A paste of a dozen pages is a few hundred. A client whose update is refused
   * for it reconnects and brings the change in its first sync instead.
   */
  syncedMaxStructs: wholeNumber(10, 50_000).default(2000),
  /** Bytes one room may store, and the relay in all (relay.db and its WAL); past them updates are refused. */
  maxRoomBytes: wholeNumber(MiB, 1024 * 1024 * MiB).default(64 * MiB),
  maxStorageBytes: wholeNumber(MiB, 1024 * 1024 * 1024 * MiB).default(100 * 1024 * MiB),
  /** A room nobody has connected to or written for this many days is deleted; its clients hold copies. */
  roomExpiryDays: wholeNumber(1, 36_500).default(365),
  /** The same in milliseconds, taking its place: set in-process only, by tests that must see rooms expire. */
  roomExpiryMs: wholeNumber(100, 36_500 * 24 * 3600 * 1000).optional(),
  /**
   * Redis (redis:// or rediss://) through which several relay instances share their rooms' live
   * updates and presence (fanout.ts); without it the relay stands alone.
   */
  redis: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  compactAfter: wholeNumber(1, 1_000_000).default(500),
  idleUnloadMs: wholeNumber(0, 24 * 3600 * 1000).default(60_000),
});

export type RelayConfig = z.output<typeof RelaySettings>;
export type RelayOptions = z.input<typeof RelaySettings>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Setting = keyof RelayConfig;

/** Where each setting can come from; the flag names are what errors speak of. */
const SOURCES: { [K in Setting]?: { flag: string; env: string } } = {
  port: { flag: 'port', env: 'TANDEM_RELAY_PORT' },
  host: { flag: 'host', env: 'TANDEM_RELAY_HOST' },
  data: { flag: 'data', env: 'TANDEM_RELAY_DATA' },
  postgres: { flag: 'postgres', env: 'TANDEM_RELAY_POSTGRES_URL' },
  storeBacklogBytes: { flag: 'store-backlog-bytes', env: 'TANDEM_RELAY_STORE_BACKLOG_BYTES' },
  key: { flag: 'key', env: 'TANDEM_RELAY_KEY' },
  maxMessageBytes: { flag: 'max-message-bytes', env: 'TANDEM_RELAY_MAX_MESSAGE_BYTES' },
  maxConnections: { flag: 'max-connections', env: 'TANDEM_RELAY_MAX_CONNECTIONS' },
  maxConnectionsPerIp: { flag: 'max-connections-per-ip', env: 'TANDEM_RELAY_MAX_CONNECTIONS_PER_IP' },
  maxConnectionsPerRoom: { flag: 'max-connections-per-room', env: 'TANDEM_RELAY_MAX_CONNECTIONS_PER_ROOM' },
  roomsPerMinute: { flag: 'rooms-per-minute', env: 'TANDEM_RELAY_ROOMS_PER_MINUTE' },
  emptyRoomExpiryMs: { flag: 'empty-room-expiry-ms', env: 'TANDEM_RELAY_EMPTY_ROOM_EXPIRY_MS' },
  syncDeadlineMs: { flag: 'sync-deadline-ms', env: 'TANDEM_RELAY_SYNC_DEADLINE_MS' },
  bytesPerSecond: { flag: 'bytes-per-second', env: 'TANDEM_RELAY_BYTES_PER_SECOND' },
  structsPerSecond: { flag: 'structs-per-second', env: 'TANDEM_RELAY_STRUCTS_PER_SECOND' },
  syncedMessageBytes: { flag: 'synced-message-bytes', env: 'TANDEM_RELAY_SYNCED_MESSAGE_BYTES' },
  syncedMaxStructs: { flag: 'synced-max-structs', env: 'TANDEM_RELAY_SYNCED_MAX_STRUCTS' },
  maxRoomBytes: { flag: 'max-room-bytes', env: 'TANDEM_RELAY_MAX_ROOM_BYTES' },
  maxStorageBytes: { flag: 'max-storage-bytes', env: 'TANDEM_RELAY_MAX_STORAGE_BYTES' },
  roomExpiryDays: { flag: 'room-expiry-days', env: 'TANDEM_RELAY_ROOM_EXPIRY_DAYS' },
  rateLimit: { flag: 'rate-limit', env: 'TANDEM_RELAY_RATE_LIMIT' },
  rateBurst: { flag: 'rate-burst', env: 'TANDEM_RELAY_RATE_BURST' },
  synchronous: { flag: 'synchronous', env: 'TANDEM_RELAY_SYNCHRONOUS' },
  redis: { flag: 'redis', env: 'TANDEM_RELAY_REDIS_URL' },
};

function describe(path: PropertyKey[]): string {
  const setting = String(path[0] ?? '') as Setting;
  const source = SOURCES[setting];
  return source ? `--${source.flag} (${source.env})` : setting;
}

/** Validates settings; the error names the setting but never echoes its value (it may be the key). */
export function validateSettings(input: unknown): RelayConfig {
  const result = RelaySettings.safeParse(input);
  if (result.success && result.data.data === undefined && result.data.postgres === undefined)
    throw new ConfigError(`${describe(['data'])} is required (the directory that holds relay.db) unless --postgres is given`);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ConfigError(issue ? `${describe(issue.path)} ${issue.message}` : 'invalid settings');
}

export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv): RelayConfig {
  const options = Object.fromEntries(Object.values(SOURCES).map((s) => [s.flag, { type: 'string' as const }]));
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const raw: Record<string, unknown> = {};
  for (const [setting, source] of Object.entries(SOURCES)) {
    const value = values[source.flag] ?? env[source.env];
    if (value !== undefined) raw[setting] = value;
  }
  return validateSettings(raw);
}
