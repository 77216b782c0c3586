/**
 * Rooms on a relay running in the test process: who hears what, when a room is retired, what a
 * failed save and a shutdown do to everyone in it.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import * as decoding from 'lib0/decoding';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { startRelay, type Relay, type RelayOptions } from '../../../server/relay.js';
import { MESSAGE_STATE_VECTOR } from '../../../src/shared/relay-protocol.js';
import {
  awarenessUpdate,
  clientPool,
  closeCode,
  encodeMessage,
  fetchMetrics,
  memoryLogger,
  metric,
  newRoom,
  newSecret,
  presenceMessage,
  presencesIn,
  stateVectorQuery,
  syncUpdateMessage,
  synced,
  tempDir,
  waitFor,
} from './helpers.js';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const SYNC_UPDATE = 2;

/** A raw socket in a room that keeps every message the relay sends it, from the first. */
async function listener(url: string): Promise<{ ws: WebSocket; received: Uint8Array[] }> {
  const ws = new WebSocket(url);
  const received: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, received };
}

/**
 * Everything the relay sent this socket before answering a state-vector query sent now: messages
 * on a socket are ordered, so whatever the relay meant to send before that point has arrived.
 */
async function receivedBeforeNow(socket: { ws: WebSocket; received: Uint8Array[] }): Promise<Uint8Array[]> {
  const from = socket.received.length;
  socket.ws.send(stateVectorQuery());
  await waitFor(() => socket.received.slice(from).some((m) => m[0] === MESSAGE_STATE_VECTOR), 'the state-vector answer');
  return socket.received.slice(
    0,
    socket.received.findIndex((m, i) => i >= from && m[0] === MESSAGE_STATE_VECTOR),
  );
}

const isUpdate = (m: Uint8Array) => m[0] === MESSAGE_SYNC && m[1] === SYNC_UPDATE;
const MiB = 1024 * 1024;

/** Resolves with the close code and reason the relay sent. */
function closed(ws: WebSocket, timeoutMs = 5000): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the relay did not close the connection')), timeoutMs);
    ws.once('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
  });
}

/** A presence message speaking for each of `clients` at `clock`, with `state` (null: that presence leaves). */
const presences = (clients: number[], clock: number, state: unknown = { user: 'x' }): Uint8Array =>
  encodeMessage(MESSAGE_AWARENESS, awarenessUpdate(...clients.map((c): [number, number, string] => [c, clock, JSON.stringify(state)])));

/** Every presence a socket has heard, the latest state of each (null: gone). */
function heardPresences(received: Uint8Array[]): Map<number, unknown> {
  const all = new Map<number, unknown>();
  for (const m of received) for (const [client, state] of presencesIn(m)) all.set(client, state);
  return all;
}

function textUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('notes').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

/** A text update exactly `bytes` long. */
function updateOfBytes(bytes: number): Uint8Array {
  for (let overhead = 0; overhead < 64; overhead++) {
    const update = textUpdate('x'.repeat(bytes - overhead));
    if (update.byteLength === bytes) return update;
  }
  throw new Error(`no text update of ${bytes} bytes`);
}

/** Completes a WebSocket handshake on a raw socket that then reads nothing and answers nothing. */
function rawUpgrade(port: number, path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', reject);
    socket.once('data', (chunk: Buffer) =>
      chunk.toString().startsWith('HTTP/1.1 101') ? resolve(socket) : reject(new Error(chunk.toString())),
    );
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: relay\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
}

function docRows(dataDir: string, room: string): { kind?: string; snapshot: boolean; updates: number } {
  const db = new SQLite(join(dataDir, 'relay.db'), { readonly: true });
  try {
    const doc = db.prepare('select kind, snapshot from docs where doc_id = ?').get(room) as
      { kind: string; snapshot: Buffer | null } | undefined;
    const { n } = db.prepare('select count(*) as n from doc_updates where doc_id = ?').get(room) as { n: number };
    return { kind: doc?.kind, snapshot: doc?.snapshot != null, updates: n };
  } finally {
    db.close();
  }
}

describe('relay rooms', () => {
  let dir: ReturnType<typeof tempDir>;
  let relay: Relay;
  const clients = clientPool();
  const sockets: WebSocket[] = [];
  const start = async (options: Partial<RelayOptions> = {}, logger = memoryLogger().logger) => {
    relay = await startRelay({ port: 0, data: dir.path, ...options }, logger);
  };
  const roomUrl = (room: string, secret: string) => `${relay.url}/${room}?secret=${secret}`;
  const metrics = () => fetchMetrics(relay);
  const client = (room: string, secret: string) => clients.connect(relay, room, secret);
  const socket = async (room: string, secret: string) => {
    const s = await listener(roomUrl(room, secret));
    sockets.push(s.ws);
    return s;
  };

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(async () => {
    clients.destroyAll();
    for (const ws of sockets.splice(0)) ws.terminate();
    await relay.close();
    dir.remove();
  });

  it('forwards an update to the other peers of its room, never back to its sender', async () => {
    await start();
    const room = newRoom();
    const secret = newSecret();
    const sender = await socket(room, secret);
    const peer = await socket(room, secret);
    sender.ws.send(syncUpdateMessage(textUpdate('agenda')));
    await waitFor(() => peer.received.some(isUpdate), 'the peer to receive the update');
    expect((await receivedBeforeNow(sender)).filter(isUpdate)).toEqual([]);
  });

  it('has no presence of its own: a newcomer to a room nobody is present in hears only the sync request', async () => {
    await start();
    const first = await socket(newRoom(), newSecret());
    const before = await receivedBeforeNow(first);
    expect(before).toHaveLength(1);
    expect([before[0]![0], before[0]![1]]).toEqual([MESSAGE_SYNC, 0]);
  });

  it('gives a newcomer the presence of everyone already in the room', async () => {
    await start();
    const room = newRoom();
    const secret = newSecret();
    const a = client(room, secret);
    await synced(a);
    // A silent peer that sees Ada's presence go by proves the relay holds it before the newcomer arrives.
    const watcher = await socket(room, secret);
    a.provider.awareness.setLocalStateField('user', { name: 'Ada' });
    await waitFor(() => watcher.received.some((m) => m[0] === MESSAGE_AWARENESS && Buffer.from(m).includes('Ada')), "Ada's presence");
    const newcomer = await socket(room, secret);
    const presence = (await receivedBeforeNow(newcomer)).filter((m) => m[0] === MESSAGE_AWARENESS);
    expect(presence).toHaveLength(1);
    const states = decoding.createDecoder(decoding.readVarUint8Array(decoding.createDecoder(presence[0]!.subarray(1))));
    expect(decoding.readVarUint(states)).toBe(1);
    expect(decoding.readVarUint(states)).toBe(a.doc.clientID);
    decoding.readVarUint(states);
    expect(JSON.parse(decoding.readVarString(states))).toEqual({ user: { name: 'Ada' } });
  });

  it('relays the first presence of a room whose peers had none, to a peer already there and to a newcomer, and takes it away when its owner leaves', async () => {
    await start();
    const room = newRoom();
    const secret = newSecret();
    // Raw peers send no presence when they join, as y-websocket clients do: the room has none until Ada's.
    const ada = await socket(room, secret);
    const peer = await socket(room, secret);
    expect((await receivedBeforeNow(peer)).some((m) => m[0] === MESSAGE_AWARENESS)).toBe(false);
    ada.ws.send(presenceMessage(4242, 1, { user: { name: 'Ada' } }));
    const heard = (socket: { received: Uint8Array[] }, state: unknown) =>
      socket.received.some((m) => presencesIn(m).has(4242) && JSON.stringify(presencesIn(m).get(4242)) === JSON.stringify(state));
    await waitFor(() => heard(peer, { user: { name: 'Ada' } }), "Ada's presence to reach the peer who was there first");
    const newcomer = await socket(room, secret);
    expect((await receivedBeforeNow(newcomer)).some((m) => presencesIn(m).get(4242) !== undefined)).toBe(true);
    ada.ws.terminate();
    await waitFor(() => heard(peer, null) && heard(newcomer, null), "Ada's presence to go when her connection drops");
  });

  it('a retired room leaves no timer behind, presences included, while its document stays loaded', async () => {
    await start({ idleUnloadMs: 60_000 });
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    const before = timers();
    const rooms = 20;
    for (let i = 0; i < rooms; i++) {
      const ada = await socket(newRoom(), newSecret());
      ada.ws.send(presenceMessage(4242, 1, { user: { name: 'Ada' } }));
      // Answered after the presence, which the relay handles first: the room has its presences now.
      await receivedBeforeNow(ada);
      ada.ws.terminate();
    }
    await expect.poll(async () => metric(await metrics(), 'tandem_relay_rooms_active'), { timeout: 5000, interval: 10 }).toBe(0);
    expect(metric(await metrics(), 'tandem_relay_rooms_loaded')).toBe(rooms);
    // Each room's presences are checked on an interval of their own: one left per room would show here.
    expect(timers() - before).toBeLessThan(rooms / 2);
  });

  it('keeps a room while anyone is in it and retires it when the last one leaves, keeping its document loaded until idle', async () => {
    await start({ idleUnloadMs: 60_000 });
    const room = newRoom();
    const secret = newSecret();
    const a = client(room, secret);
    const b = client(room, secret);
    await Promise.all([synced(a), synced(b)]);
    a.text.insert(0, 'first');
    await waitFor(() => b.text.toString() === 'first', 'B to see it');
    b.destroy();
    await expect.poll(async () => metric(await metrics(), 'tandem_relay_connections'), { timeout: 5000, interval: 10 }).toBe(1);
    expect(metric(await metrics(), 'tandem_relay_rooms_active')).toBe(1);
    a.text.insert(5, ', then more');
    const c = client(room, secret);
    await synced(c);
    await waitFor(() => c.text.toString() === 'first, then more', 'C to see what A wrote after B left');
    a.destroy();
    c.destroy();
    await expect.poll(async () => metric(await metrics(), 'tandem_relay_rooms_active'), { timeout: 5000, interval: 10 }).toBe(0);
    expect(metric(await metrics(), 'tandem_relay_rooms_loaded')).toBe(1);
  });

  it('compacts a room as soon as its log holds as many updates as the threshold, not one before', async () => {
    await start({ compactAfter: 3 });
    const room = newRoom();
    const writer = await socket(room, newSecret());
    for (const text of ['one', 'two']) writer.ws.send(syncUpdateMessage(textUpdate(text)));
    await receivedBeforeNow(writer);
    expect(docRows(dir.path, room)).toEqual({ kind: 'relay-room', snapshot: false, updates: 2 });
    writer.ws.send(syncUpdateMessage(textUpdate('three')));
    await receivedBeforeNow(writer);
    await expect
      .poll(() => docRows(dir.path, room), { timeout: 5000, interval: 10 })
      .toEqual({ kind: 'relay-room', snapshot: true, updates: 0 });
    // The count starts again from what the compaction folded.
    for (const text of ['four', 'five']) writer.ws.send(syncUpdateMessage(textUpdate(text)));
    await receivedBeforeNow(writer);
    expect(docRows(dir.path, room)).toEqual({ kind: 'relay-room', snapshot: true, updates: 2 });
    writer.ws.send(syncUpdateMessage(textUpdate('six')));
    await receivedBeforeNow(writer);
    await expect
      .poll(() => docRows(dir.path, room), { timeout: 5000, interval: 10 })
      .toEqual({ kind: 'relay-room', snapshot: true, updates: 0 });
    const text = await metrics();
    expect(metric(text, 'tandem_relay_store_seconds_count')).toBeGreaterThanOrEqual(4);
    expect(metric(text, 'tandem_relay_compact_seconds_count')).toBe(2);
  });

  it('a compaction the store refuses is logged, and the room goes on storing its changes', async () => {
    const log = memoryLogger();
    await start({ compactAfter: 2 }, log.logger);
    const room = newRoom();
    const secret = newSecret();
    const db = new SQLite(join(dir.path, 'relay.db'));
    db.exec(`create trigger refuse before update of snapshot on docs begin select raise(abort, 'no snapshots'); end`);
    const writer = await socket(room, secret);
    for (const text of ['one', 'two']) writer.ws.send(syncUpdateMessage(textUpdate(text)));
    await receivedBeforeNow(writer);
    await waitFor(() => log.lines().some((l) => l.msg === 'room could not be compacted'), 'the failed compaction to be logged');
    expect(log.lines().find((l) => l.msg === 'room could not be compacted')).toMatchObject({
      level: 'error',
      error: expect.stringContaining('no snapshots'),
    });
    db.exec('drop trigger refuse');
    db.close();
    writer.ws.send(syncUpdateMessage(textUpdate('three')));
    await receivedBeforeNow(writer);
    expect(writer.ws.readyState).toBe(writer.ws.OPEN);
    await expect
      .poll(() => docRows(dir.path, room), { timeout: 5000, interval: 10 })
      .toEqual({ kind: 'relay-room', snapshot: true, updates: 0 });
    const later = client(room, secret);
    await synced(later);
    expect(later.text.toString()).toContain('three');
  });

  it('compacts and unloads a room nobody has been in for the idle time, and loads it back whole', async () => {
    await start({ idleUnloadMs: 50 });
    const room = newRoom();
    const secret = newSecret();
    const writer = await socket(room, secret);
    writer.ws.send(syncUpdateMessage(textUpdate('kept')));
    await receivedBeforeNow(writer);
    writer.ws.close();
    await expect.poll(async () => metric(await metrics(), 'tandem_relay_rooms_loaded'), { timeout: 5000, interval: 10 }).toBe(0);
    expect(docRows(dir.path, room)).toEqual({ kind: 'relay-room', snapshot: true, updates: 0 });
    const later = client(room, secret);
    await synced(later);
    expect(later.text.toString()).toBe('kept');
  });

  it('disconnects everyone in a room whose change could not be saved, and the next connection reloads what is on disk', async () => {
    const log = memoryLogger();
    await start({}, log.logger);
    const room = newRoom();
    const other = newRoom();
    const secret = newSecret();
    const writer = await socket(room, secret);
    writer.ws.send(syncUpdateMessage(textUpdate('saved')));
    await receivedBeforeNow(writer);
    const peer = await socket(room, secret);
    const elsewhere = await socket(other, secret);
    const db = new SQLite(join(dir.path, 'relay.db'));
    db.exec(`create trigger refuse before insert on doc_updates begin select raise(abort, 'disk full'); end`);
    const writerClosed = closeCode(writer.ws);
    const peerClosed = closeCode(peer.ws);
    writer.ws.send(syncUpdateMessage(textUpdate('never saved')));
    expect(await writerClosed).toBe(1011);
    expect(await peerClosed).toBe(1011);
    expect(elsewhere.ws.readyState).toBe(elsewhere.ws.OPEN);
    // Named by the tag its connections were logged with, never by its id.
    const tags = new Set(log.lines().flatMap((l) => (l.msg === 'connection opened' ? [l.room] : [])));
    const failure = log.lines().find((l) => l.msg === 'room update could not be saved');
    expect(failure).toMatchObject({ level: 'error' });
    expect(tags.has(failure?.room)).toBe(true);
    expect(log.text()).not.toContain(room);
    db.exec('drop trigger refuse');
    db.close();
    // Other rooms' changes are then stored and confirmed.
    elsewhere.ws.send(syncUpdateMessage(textUpdate('elsewhere')));
    await receivedBeforeNow(elsewhere);
    expect(docRows(dir.path, other).updates).toBe(1);

    const later = client(room, secret);
    await synced(later);
    expect(later.text.toString()).toBe('saved');
    expect(metric(await metrics(), 'tandem_relay_rooms_active')).toBe(2);
  });

  it('on shutdown tells every peer of every room it is going away (1001) and compacts every room into a snapshot', async () => {
    await start();
    const secret = newSecret();
    const rooms = [newRoom(), newRoom()];
    const peers = await Promise.all(rooms.map((room) => socket(room, secret)));
    for (const p of peers) {
      p.ws.send(syncUpdateMessage(textUpdate('kept')));
      await receivedBeforeNow(p);
    }
    const codes = peers.map((p) => closeCode(p.ws));
    await relay.close();
    expect(await Promise.all(codes)).toEqual([1001, 1001]);
    for (const room of rooms) expect(docRows(dir.path, room)).toEqual({ kind: 'relay-room', snapshot: true, updates: 0 });
  });

  it('a peer of a failed room that leaves late does not take the room its successors have since joined', async () => {
    await start();
    const room = newRoom();
    const secret = newSecret();
    const writer = await socket(room, secret);
    // A peer that never answers the close handshake: the relay learns it is gone only when its socket drops.
    const silent = await rawUpgrade(relay.port, `/${room}?secret=${secret}`);
    const db = new SQLite(join(dir.path, 'relay.db'));
    db.exec(`create trigger refuse before insert on doc_updates begin select raise(abort, 'disk full'); end`);
    const closed = closeCode(writer.ws);
    writer.ws.send(syncUpdateMessage(textUpdate('never saved')));
    expect(await closed).toBe(1011);
    db.exec('drop trigger refuse');
    db.close();

    const first = client(room, secret);
    await synced(first);
    await new Promise<void>((resolve) => {
      silent.once('close', () => resolve());
      silent.destroy();
    });
    await expect.poll(async () => metric(await metrics(), 'tandem_relay_connections'), { timeout: 5000, interval: 10 }).toBe(1);
    const second = client(room, secret);
    await synced(second);
    second.text.insert(0, 'from the second');
    await waitFor(() => first.text.toString() === 'from the second', 'the first to hear the second');
    first.text.insert(0, 'and the first, ');
    await waitFor(() => second.text.toString() === 'and the first, from the second', 'the second to hear the first');
    expect(metric(await metrics(), 'tandem_relay_rooms_active')).toBe(1);
  });
  it('lets a connection speak for eight presences, renewals and departures not counted, and closes it with 1008 at a ninth', async () => {
    await start();
    const room = newRoom();
    const secret = newSecret();
    const watcher = await socket(room, secret);
    const peer = await socket(room, secret);
    const eight = [1, 2, 3, 4, 5, 6, 7, 8];
    peer.ws.send(presences(eight, 1));
    peer.ws.send(presences(eight, 2));
    // One of its presences leaves and another comes: eight again. A departure of a presence it never had adds none.
    peer.ws.send(presences([8], 3, null));
    peer.ws.send(presences([9], 1));
    peer.ws.send(presences([20], 1, null));
    await receivedBeforeNow(peer);
    expect(peer.ws.readyState).toBe(peer.ws.OPEN);
    await waitFor(() => heardPresences(watcher.received).get(9) !== undefined, 'the watcher to hear the ninth client');
    expect([...heardPresences(watcher.received)].filter(([, state]) => state !== null).map(([client]) => client)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 9,
    ]);
    const refused = closed(peer.ws);
    peer.ws.send(presences([10], 1));
    expect(await refused).toEqual({ code: 1008, reason: 'more than 8 presences on one connection' });
    await waitFor(() => [1, 2, 3, 4, 5, 6, 7, 9].every((c) => heardPresences(watcher.received).get(c) === null), 'its presences to go');
    expect(heardPresences(watcher.received).has(10)).toBe(false);
  });

  it('takes an update that fills the room storage quota exactly, and refuses the next with 1008, forwarding none of it', async () => {
    await start({ maxRoomBytes: MiB });
    const room = newRoom();
    const secret = newSecret();
    const writer = await socket(room, secret);
    const peer = await socket(room, secret);
    writer.ws.send(syncUpdateMessage(updateOfBytes(MiB)));
    await waitFor(() => peer.received.some(isUpdate), 'the peer to receive the update filling the quota');
    expect(writer.ws.readyState).toBe(writer.ws.OPEN);
    const refused = closed(writer.ws);
    writer.ws.send(syncUpdateMessage(textUpdate('one more')));
    expect(await refused).toEqual({ code: 1008, reason: 'room storage quota reached' });
    expect((await receivedBeforeNow(peer)).filter(isUpdate)).toHaveLength(1);
  });

  it('refuses a second update past the room storage quota, counting what the room already took', async () => {
    await start({ maxRoomBytes: MiB });
    const room = newRoom();
    const secret = newSecret();
    const writer = await socket(room, secret);
    writer.ws.send(syncUpdateMessage(textUpdate('x'.repeat(600_000))));
    await receivedBeforeNow(writer);
    expect(writer.ws.readyState).toBe(writer.ws.OPEN);
    const refused = closed(writer.ws);
    writer.ws.send(syncUpdateMessage(textUpdate('y'.repeat(600_000))));
    expect(await refused).toEqual({ code: 1008, reason: 'room storage quota reached' });
  });

  it('refuses changes with 1013 once the relay has spent its storage, in every room', async () => {
    const log = memoryLogger();
    await start({ maxStorageBytes: MiB, maxRoomBytes: 4 * MiB }, log.logger);
    const secret = newSecret();
    const writer = await socket(newRoom(), secret);
    writer.ws.send(syncUpdateMessage(textUpdate('x'.repeat(1_200_000))));
    await receivedBeforeNow(writer);
    // The relay measures its storage every few seconds.
    await waitFor(
      () => log.lines().some((l) => l.msg === 'storage quota reached: refusing updates'),
      'the relay to find its storage spent',
      15_000,
    );
    const other = await socket(newRoom(), secret);
    const refused = closed(other.ws);
    other.ws.send(syncUpdateMessage(textUpdate('small')));
    expect(await refused).toEqual({ code: 1013, reason: 'the relay has no storage left' });
  });
  it('never expires a room in use, whether it has peers or everyone left and it is still loaded', async () => {
    // Rooms unused for 100 ms expire; the relay looks every 25 ms.
    await start({ roomExpiryMs: 100 });
    const secret = newSecret();
    const [busy, left, unused] = [newRoom(), newRoom(), newRoom()];
    const peer = await socket(busy, secret);
    const leaver = await socket(left, secret);
    for (const s of [peer, leaver]) {
      s.ws.send(syncUpdateMessage(textUpdate('kept')));
      await receivedBeforeNow(s);
    }
    leaver.ws.close();
    await expect.poll(async () => metric(await metrics(), 'tandem_relay_rooms_active'), { timeout: 5000, interval: 10 }).toBe(1);
    // Both are now older than the expiry: only their being in use keeps them.
    await new Promise((r) => setTimeout(r, 200));
    // A room last used long ago and not loaded: its expiry shows a look at the rooms ran after the two above were old enough.
    const db = new SQLite(join(dir.path, 'relay.db'));
    db.prepare(`insert into docs (doc_id, kind, snapshot_seq, updated_at) values (?, 'relay-room', 0, '2000-01-01T00:00:00.000Z')`).run(
      unused,
    );
    db.close();
    await expect.poll(() => docRows(dir.path, unused).kind, { timeout: 5000, interval: 10 }).toBeUndefined();
    expect(docRows(dir.path, busy).kind).toBe('relay-room');
    expect(docRows(dir.path, left).kind).toBe('relay-room');
  });
  it('sends each presence change once: a later change goes out without the earlier ones', async () => {
    await start();
    const room = newRoom();
    const secret = newSecret();
    const watcher = await socket(room, secret);
    const peer = await socket(room, secret);
    peer.ws.send(presences([1, 2, 3], 1));
    await waitFor(() => heardPresences(watcher.received).size === 3, 'the first presences');
    const from = watcher.received.length;
    peer.ws.send(presences([2], 2, { user: 'moved' }));
    await waitFor(() => watcher.received.slice(from).some((m) => presencesIn(m).size > 0), 'the change');
    expect(
      watcher.received
        .slice(from)
        .map((m) => [...presencesIn(m)])
        .filter((p) => p.length > 0),
    ).toEqual([[[2, { user: 'moved' }]]]);
  });
});
