/**
 * Assembles the relay: store, rooms, admission, HTTP and WebSocket servers. `startRelay` is what
 * the CLI runs and what tests and benchmarks run in-process.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { Gatekeeper } from './auth.js';
import { validateSettings, type RelayConfig, type RelayOptions } from './config.js';
import { AddressBudgets, serveConnection, startSweeping, type Connection } from './connection.js';
import { Fanout } from './fanout.js';
import { createRelayServer } from './http.js';
import { stdoutLogger, type Logger } from '../src/node/log.js';
import { limitedLog } from './log-limit.js';
import { Metrics } from './metrics.js';
import { Close, DEFAULT_MESSAGE_LIMITS } from './protocol.js';
import { roomTagger, tagRoomIn } from './room-tag.js';
import { Rooms } from './rooms.js';
import { ScanPool } from './scan-pool.js';
import type { RoomStore } from './store/room-store.js';
import { openSqliteStore } from './store/sqlite-thread.js';

export type { RelayOptions } from './config.js';

export interface Relay {
  /** The port actually bound (useful with port 0). */
  port: number;
  /** ws:// base URL; a room is `${url}/${room}?secret=…`. */
  url: string;
  /** Stops accepting, disconnects everyone, compacts and closes the database. Idempotent. */
  close(): Promise<void>;
}

/** How long shutdown waits for clients to acknowledge the close before dropping them. */
const CLOSE_GRACE_MS = 2000;
const DAY_MS = 24 * 3600 * 1000;
const STORAGE_CHECK_MS = 5000;
/**
 * Updates this large or larger are scanned off the event loop (scan-pool.ts): a keystroke is tens
 * of bytes, a paste a few KiB, and 16 KiB of dense structs take a few milliseconds to decode.
 */
const OFFLOAD_BYTES = 16 * 1024;
const SCAN_POOL = { workers: 1, maxJobs: 16, maxHeapMb: 512 };

/**
 * PostgreSQL when a URL is given (rooms shared with other relays), else DIR/relay.db. The
 * PostgreSQL client is loaded only then, so a relay on SQLite starts and idles as it always did.
 */
async function openStore(config: RelayConfig, logger: Logger): Promise<RoomStore> {
  if (config.postgres === undefined) return openSqliteStore(config.data!, config.synchronous);
  const { openPostgresStore } = await import('./store/postgres.js');
  return openPostgresStore({
    url: config.postgres,
    // Well inside the shorter expiry, so another relay's sweep always sees the rooms held here as used.
    heartbeatMs: Math.min(config.emptyRoomExpiryMs / 4, roomExpiryMs(config) / 4, 10 * 60_000),
    onAvailability: (available, error) =>
      available
        ? logger.info('PostgreSQL reachable again: storing the updates held meanwhile')
        : logger.error({ error: error?.message }, 'PostgreSQL unreachable: holding updates in memory, refusing rooms not loaded here'),
  });
}

const roomExpiryMs = (config: RelayConfig) => config.roomExpiryMs ?? config.roomExpiryDays * DAY_MS;

/** `scans`: where large updates are scanned, by default a pool of its own. */
export async function startRelay(
  options: RelayOptions,
  logger: Logger = stdoutLogger(),
  scans: ScanPool = new ScanPool(SCAN_POOL),
): Promise<Relay> {
  const config = validateSettings(options);
  const store = await openStore(config, logger);
  const tag = roomTagger(store.logKey);
  // Compression is off: Yjs updates are small and already compact, and inflate bombs are a risk.
  // Connections are tracked in `live`, not in ws's own set too (a listener and an entry each).
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes, perMessageDeflate: false, clientTracking: false });
  const live = new Set<Connection>();
  const metrics = new Metrics({
    connections: () => live.size,
    roomsActive: () => rooms.activeCount,
    roomsLoaded: () => rooms.loadedCount(),
    storeUp: () => store.available(),
    storeBacklogBytes: () => rooms.backlogBytes,
  });
  const fanout = config.redis
    ? new Fanout({
        url: config.redis,
        logger,
        sharedStore: store.shared,
        storeUpdate: store.shared ? (room, update) => store.append([{ room, update }]) : undefined,
        onLink: (up) => {
          metrics.redisUp.set(up ? 1 : 0);
          if (up) logger.info('redis reachable: sharing rooms with the other relay instances');
          else logger.warn('redis unreachable: serving only the clients connected here until it returns');
        },
        onMessage: (direction, kind) => metrics.fanoutMessages.inc({ direction, kind }),
      })
    : null;
  const rooms = new Rooms(store, {
    observer: fanout ?? undefined,
    storedElsewhere: fanout ? (origin) => fanout.storedElsewhere(origin) : undefined,
    compactAfter: config.compactAfter,
    idleUnloadMs: config.idleUnloadMs,
    maxRoomBytes: config.maxRoomBytes,
    maxBacklogBytes: config.storeBacklogBytes,
    onStoreFailed: (room, error) => logger.error({ room: tag(room), error: tagRoomIn(error, room, tag) }, 'room update could not be saved'),
    onCompactFailed: (room, error) => logger.error({ room: tag(room), error: tagRoomIn(error, room, tag) }, 'room could not be compacted'),
    onStored: (ms) => metrics.storeSeconds.observe(ms / 1000),
    onCompacted: (ms) => metrics.compactSeconds.observe(ms / 1000),
  });
  let stopping = false;
  const clientLog = limitedLog(logger, () => metrics.logLinesDropped.inc());
  const budget = {
    bytesPerSecond: config.bytesPerSecond,
    bytesBurst: Math.max(config.bytesPerSecond, config.maxMessageBytes),
    structsPerSecond: config.structsPerSecond,
    structsBurst: Math.max(config.structsPerSecond, DEFAULT_MESSAGE_LIMITS.maxStructs),
  };
  const addresses = new AddressBudgets(budget);
  const connectionContext = {
    rooms,
    metrics,
    logger: clientLog,
    tag,
    live,
    syncDeadlineMs: config.syncDeadlineMs,
    rateLimit: config.rateLimit,
    rateBurst: config.rateBurst,
    budget,
    addresses,
    limits: DEFAULT_MESSAGE_LIMITS,
    syncedLimits: { ...DEFAULT_MESSAGE_LIMITS, maxStructs: config.syncedMaxStructs, synced: true },
    syncedMessageBytes: Math.min(config.syncedMessageBytes, config.maxMessageBytes),
    maxBufferedBytes: 4 * config.maxMessageBytes,
    scans,
    offloadBytes: OFFLOAD_BYTES,
  };
  const gate = new Gatekeeper(store, config.key, (room) => rooms.secretHash(room));
  const server = createRelayServer({
    gate,
    wss,
    metrics,
    logger: clientLog,
    tag,
    limits: {
      connections: config.maxConnections,
      perIp: config.maxConnectionsPerIp,
      perRoom: config.maxConnectionsPerRoom,
      roomsPerMinute: config.roomsPerMinute,
    },
    accepting: () => !stopping,
    unready: () => (!store.available() ? 'store unreachable' : fanout && !fanout.ready() ? 'redis unreachable' : null),
    roomSize: (room) => rooms.size(room),
    connections: () => live.size,
    connectionsFrom: (address) => addresses.connections(address),
    holdRoom: (room, secretHash) => rooms.hold(room, secretHash),
    onConnection: (ws, room, address) => serveConnection(ws, room, address, connectionContext),
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await fanout?.close();
    await store.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  logger.info({ port, host: config.host }, 'listening');
  if (!config.key) logger.warn('no access key is set (--key): anyone who can reach this relay can create rooms on it');
  const stopSweeping = startSweeping(live, config.syncDeadlineMs);
  const expiry = setInterval(
    () => {
      const inUse = (room: string) => rooms.inUse(room);
      Promise.all([
        store.expireEmpty(new Date(Date.now() - config.emptyRoomExpiryMs), inUse),
        store.expireUnused(new Date(Date.now() - roomExpiryMs(config)), inUse),
      ]).then(
        ([empty, unused]) => {
          if (empty || unused) logger.info({ empty, unused }, 'expired rooms');
        },
        (error: unknown) => logger.warn({ error: (error as Error).message }, 'rooms could not be expired now'),
      );
    },
    Math.min(config.emptyRoomExpiryMs / 4, roomExpiryMs(config) / 4, 10 * 60_000),
  ).unref();
  const storageCheck = setInterval(() => {
    store.storageBytes().then(
      (bytes) => {
        const full = bytes > config.maxStorageBytes;
        if (full !== rooms.quota.storageFull)
          logger.warn(
            { full, maxStorageBytes: config.maxStorageBytes },
            full ? 'storage quota reached: refusing updates' : 'storage below quota again',
          );
        rooms.quota.storageFull = full;
      },
      () => undefined,
    );
  }, STORAGE_CHECK_MS).unref();

  const shutdown = async () => {
    stopping = true;
    stopSweeping();
    clientLog.stop();
    metrics.stop();
    clearInterval(expiry);
    clearInterval(storageCheck);
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    const roomsClosed = rooms.closeAll(Close.goingAway, 'relay shutting down');
    await waitForClients(live, CLOSE_GRACE_MS);
    server.closeAllConnections();
    await serverClosed;
    const unstored = await roomsClosed;
    // Never confirmed to their senders, who keep them and send them again to whichever relay they reach next.
    if (unstored > 0) logger.error({ unstored }, 'updates could not be stored before stopping');
    await fanout?.close();
    await Promise.all([store.close(), scans.close()]);
    logger.info('stopped');
  };
  let closing: Promise<void> | null = null;
  return {
    port,
    url: `ws://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    close: () => (closing ??= shutdown()),
  };
}

async function waitForClients(live: Set<Connection>, graceMs: number): Promise<void> {
  const deadline = Date.now() + graceMs;
  while (live.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  for (const connection of live) connection.terminate();
}
