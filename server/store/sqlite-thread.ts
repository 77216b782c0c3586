/**
 * The SQLite RoomStore: relay.db (sqlite.ts) on a thread of its own, so that no write, fsync,
 * compaction or load holds the event loop that forwards every room's updates. better-sqlite3 is
 * synchronous, and with synchronous=FULL a group commit's fsync was what held the loop longest
 * (bench/relay-message-cost.ts). The main thread only posts calls and receives answers; the room
 * documents stay on it (a room's state arrives encoded and is applied to a fresh document there, a
 * compaction's snapshot is encoded there and written here).
 *
 * Calls run one at a time, in the order they were posted, which is what keeps the log in the order
 * updates arrived and makes a compaction's snapshot, encoded as its call is posted, cover every
 * append that runs before it. A call that fails rejects with the error the store raised (same
 * name, message and code). If the thread dies, every call waiting and every later one rejects and
 * the store reports itself unavailable (/readyz answers 503): nothing is confirmed after that.
 * While calls wait the thread keeps the process alive, so a shutdown's last commit is not cut
 * short; an idle store does not.
 */
import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import * as Y from 'yjs';
import { namedDoc } from '../../src/node/docstore/update-log.js';
import { TandemError, type ErrorCode } from '../../src/shared/errors.js';
import { moduleWorker } from '../module-worker.js';
import type { RoomStore, RoomUpdate } from './room-store.js';
import type { Expiry, SqliteRooms } from './sqlite.js';

const ROLE = 'tandem-relay-sqlite-store';

interface ThreadData {
  role: typeof ROLE;
  dataDir: string;
  synchronous: 'full' | 'normal';
}

type Method = Exclude<keyof SqliteRooms, 'file' | 'logKey'>;
type Args<M extends Method> = Parameters<SqliteRooms[M]>;
type Result<M extends Method> = Awaited<ReturnType<SqliteRooms[M]>>;
interface Call {
  id: number;
  method: Method;
  args: unknown[];
  /** An append's updates, instead of `args`. */
  packed?: PackedUpdates;
}
/**
 * A commit's updates in one buffer, moved to the store thread rather than cloned: cloning an
 * object per update cost the event loop several times as much (a commit carries dozens at load).
 */
interface PackedUpdates {
  rooms: string[];
  lengths: number[];
  bytes: Uint8Array;
}
/** An error as it crosses threads: the class itself does not, so what callers look at is copied. */
interface Failure {
  name: string;
  message: string;
  code?: unknown;
}
type Answer = { id: number; result: unknown } | { id: number; failure: Failure };

/** The store thread's young generation (V8's nursery), in MB. */
const YOUNG_GENERATION_MB = 4;

/** The answer to call 0, the store's opening. */
const OPENING = 0;

/** Bytes that may be moved rather than copied: the whole of their buffer (a slice of a pool may not be). */
const transferable = (bytes: unknown): ArrayBuffer[] =>
  bytes instanceof Uint8Array && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? [bytes.buffer as ArrayBuffer]
    : [];

const toBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function pack(updates: readonly RoomUpdate[]): PackedUpdates {
  const bytes = new Uint8Array(updates.reduce((sum, u) => sum + u.update.byteLength, 0));
  let at = 0;
  for (const { update } of updates) {
    bytes.set(update, at);
    at += update.byteLength;
  }
  return { rooms: updates.map((u) => u.room), lengths: updates.map((u) => u.update.byteLength), bytes };
}

function unpack({ rooms, lengths, bytes }: PackedUpdates): RoomUpdate[] {
  let at = 0;
  return rooms.map((room, i) => ({ room, update: bytes.subarray(at, (at += lengths[i]!)) }));
}

function describe(error: unknown): Failure {
  const { name, message, code } = error as Error & { code?: unknown };
  return code === undefined ? { name, message } : { name, message, code };
}

function rebuild({ name, message, code }: Failure): Error {
  if (name === 'TandemError') return new TandemError(code as ErrorCode, message);
  const error = new Error(message);
  error.name = name;
  return code === undefined ? error : Object.assign(error, { code });
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE) void serve(workerData as ThreadData);

async function serve({ dataDir, synchronous }: ThreadData): Promise<void> {
  const port = parentPort!;
  let rooms: SqliteRooms;
  try {
    // Loaded here only: the main thread never needs SQLite, kysely or the migrations.
    const { openSqliteRooms } = await import('./sqlite.js');
    rooms = await openSqliteRooms(dataDir, synchronous);
  } catch (error) {
    port.postMessage({ id: OPENING, failure: describe(error) } satisfies Answer);
    return;
  }
  port.postMessage({ id: OPENING, result: { file: rooms.file, logKey: rooms.logKey } } satisfies Answer);
  port.on('message', ({ id, method, args, packed }: Call) => {
    let result: unknown;
    try {
      result = (rooms[method] as (...args: unknown[]) => unknown)(...(packed ? [unpack(packed)] : args));
    } catch (error) {
      port.postMessage({ id, failure: describe(error) } satisfies Answer);
      return;
    }
    // Only close answers later; every other call has finished before the next message is read.
    void Promise.resolve(result).then(
      (value) => {
        const state = (value as { state?: unknown } | null)?.state;
        port.postMessage({ id, result: value } satisfies Answer, transferable(state));
      },
      (error: unknown) => port.postMessage({ id, failure: describe(error) } satisfies Answer),
    );
  });
}

export interface SqliteRoomStore extends RoomStore {
  /** The path of relay.db. */
  readonly file: string;
  /** The thread the store runs on. */
  readonly thread: Worker;
}

export async function openSqliteStore(dataDir: string, synchronous: 'full' | 'normal'): Promise<SqliteRoomStore> {
  const worker: Worker = moduleWorker(
    import.meta.url,
    {
      workerData: { role: ROLE, dataDir, synchronous } satisfies ThreadData,
      // The thread's young generation stays small: what it allocates per call is small and short-lived,
      // and V8's default let a burst of room openings grow it by several MB that an idle relay then kept.
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    },
    'store-thread.js',
  );
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let lastId = OPENING;
  let stopped: Error | null = null;
  const stop = (error: Error) => {
    stopped ??= error;
    for (const call of waiting.values()) call.reject(stopped);
    waiting.clear();
  };
  worker.on('message', (answer: Answer) => {
    const call = waiting.get(answer.id);
    waiting.delete(answer.id);
    if (waiting.size === 0) worker.unref();
    if ('failure' in answer) call?.reject(rebuild(answer.failure));
    else call?.resolve(answer.result);
  });
  worker.on('error', (error) => stop(new Error(`the relay's store thread failed: ${error.message}`)));
  worker.on('exit', (code) => stop(new Error(`the relay's store thread stopped (exit code ${code})`)));
  const answer = (id: number) => new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));

  function call<M extends Method>(method: M, ...args: Args<M>): Promise<Result<M>> {
    if (stopped) return Promise.reject(stopped);
    const id = ++lastId;
    const answered = answer(id) as Promise<Result<M>>;
    worker.ref();
    if (method === 'append') {
      const packed = pack(args[0] as readonly RoomUpdate[]);
      worker.postMessage({ id, method, args: [], packed } satisfies Call, [packed.bytes.buffer as ArrayBuffer]);
    } else worker.postMessage({ id, method, args } satisfies Call, method === 'compact' ? transferable(args[1]) : []);
    return answered;
  }

  const expire = async (expiry: Expiry, before: Date, inUse: (room: string) => boolean) => {
    const at = before.toISOString();
    const rooms = (await call('expirable', expiry, at)).filter((room) => !inUse(room));
    return rooms.length === 0 ? 0 : call('forget', expiry, at, rooms);
  };

  const opened = (await answer(OPENING)) as { file: string; logKey: Uint8Array };
  return {
    kind: 'sqlite',
    shared: false,
    file: opened.file,
    thread: worker,
    logKey: toBuffer(opened.logKey),
    available: () => stopped === null,
    async open(room) {
      const { state, pending, bytes } = await call('open', room);
      const doc = namedDoc(room);
      Y.applyUpdate(doc, state);
      return { doc, pending, bytes };
    },
    append: (updates) => call('append', updates),
    async compact(room, doc) {
      await call('compact', room, Y.encodeStateAsUpdate(doc));
      return true;
    },
    release: (room) => void call('release', room).catch(() => undefined),
    secretHash: async (room) => {
      const hash = await call('secretHash', room);
      return hash && toBuffer(hash);
    },
    registerSecret: async (room, hash) => toBuffer(await call('registerSecret', room, hash)),
    withdrawSecret: (room, hash) => call('withdrawSecret', room, hash),
    expireEmpty: (before, inUse) => expire('empty', before, inUse),
    expireUnused: (before, inUse) => expire('unused', before, inUse),
    storageBytes: () => call('storageBytes'),
    async close() {
      if (stopped) return;
      try {
        await call('close');
      } finally {
        stop(new Error("the relay's store is closed"));
        await worker.terminate();
      }
    },
  };
}
