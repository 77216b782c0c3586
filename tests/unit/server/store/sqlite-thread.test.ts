/**
 * The SQLite store on its own thread, in a real relay process: a commit that waits on the disk
 * holds only the updates it carries, never the event loop that forwards everyone else's, and a
 * write the database refuses is never confirmed.
 */
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { openSqliteStore } from '../../../../server/store/sqlite-thread.js';
import { MESSAGE_STATE_VECTOR } from '../../../../src/shared/relay-protocol.js';
import {
  SPAWNED_RELAY_TIMEOUT_MS,
  closeCode,
  connectClient,
  newRoom,
  newSecret,
  spawnRelay,
  syncUpdateMessage,
  synced,
  tempDir,
  waitFor,
  type Client,
  type RelayProcess,
} from '../helpers.js';

const MESSAGE_SYNC = 0;
const isConfirmation = (m: Uint8Array) => m[0] === MESSAGE_STATE_VECTOR;
const query = (() => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_STATE_VECTOR);
  return encoding.toUint8Array(e);
})();

function textUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('notes').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe('the SQLite store thread', { timeout: SPAWNED_RELAY_TIMEOUT_MS }, () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  const start = async () => {
    const dir = tempDir();
    const relay = await spawnRelay(['--port', '0', '--data', dir.path]);
    cleanup.push(dir.remove, () => relay.stop('SIGKILL'));
    return { relay, file: join(dir.path, 'relay.db') };
  };
  /** A raw socket that keeps every message the relay sends it. */
  const socket = async (relay: RelayProcess, room: string, secret: string) => {
    const ws = new WebSocket(`${relay.url}/${room}?secret=${secret}`);
    const received: Uint8Array[] = [];
    ws.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    cleanup.push(() => ws.terminate());
    return { ws, received };
  };
  const client = (relay: RelayProcess, room: string, secret: string): Client => {
    const c = connectClient(relay.url, room, { secret });
    cleanup.push(() => c.destroy());
    return c;
  };
  /** Another connection to relay.db, as an operator's tool or a second process would open it. */
  const connect = (file: string) => {
    const db = new SQLite(file);
    cleanup.push(() => db.open && db.close());
    return db;
  };

  it('while a commit waits on the disk, another room keeps editing, and the waiting update is confirmed only once stored', async () => {
    const { relay, file } = await start();
    const secret = newSecret();
    const writer = await socket(relay, newRoom(), secret);
    writer.ws.send(syncUpdateMessage(textUpdate('loaded')));
    writer.ws.send(query);
    await waitFor(() => writer.received.some(isConfirmation), 'the first update to be confirmed');
    const otherRoom = newRoom();
    const [b1, b2] = [client(relay, otherRoom, secret), client(relay, otherRoom, secret)];
    await Promise.all([synced(b1), synced(b2)]);

    // Another connection holds the write lock, as a disk that takes its time would: the relay's
    // next commit waits in SQLite's busy handler until it is let go.
    const disk = connect(file);
    disk.exec('begin immediate');
    const events: string[] = [];
    const confirmedBefore = writer.received.filter(isConfirmation).length;
    writer.ws.on('message', (data: Buffer) => isConfirmation(new Uint8Array(data)) && events.push('writer confirmed'));
    writer.ws.on('close', () => events.push('writer closed'));
    writer.ws.send(syncUpdateMessage(textUpdate(' waits')));
    writer.ws.send(query);
    b1.text.insert(0, 'meanwhile');
    await waitFor(() => b2.text.toString() === 'meanwhile', 'the other room’s edit to reach its peer');
    events.push('other room echoed');
    b2.text.insert(0, 'and back ');
    await waitFor(() => b1.text.toString() === 'and back meanwhile', 'the reply to come back');
    events.push('other room replied');
    expect(events).toEqual(['other room echoed', 'other room replied']);
    expect(writer.received.filter(isConfirmation)).toHaveLength(confirmedBefore);

    disk.exec('commit');
    await waitFor(() => events.includes('writer confirmed'), 'the waiting update to be confirmed once stored');
    expect(events).toEqual(['other room echoed', 'other room replied', 'writer confirmed']);
  });

  it('a confirmation covers only what is stored: an update that arrives while the commit is under way waits for the next', async () => {
    const { relay, file } = await start();
    const writer = await socket(relay, newRoom(), newSecret());
    const author = new Y.Doc();
    const updates: Uint8Array[] = [];
    author.on('update', (u: Uint8Array) => updates.push(u));
    const clockIn = (m: Uint8Array) =>
      Y.decodeStateVector(decoding.readVarUint8Array(decoding.createDecoder(m.subarray(1)))).get(author.clientID) ?? 0;
    author.getText('notes').insert(0, 'first');
    writer.ws.send(syncUpdateMessage(updates[0]!));
    writer.ws.send(query);
    await waitFor(() => writer.received.some(isConfirmation), 'the first update to be confirmed');

    const disk = connect(file);
    disk.exec('begin immediate');
    const from = writer.received.length;
    author.getText('notes').insert(5, ' second');
    writer.ws.send(syncUpdateMessage(updates[1]!));
    writer.ws.send(query);
    // Answered in order: this one comes back at once, proving the relay has read the update and the query.
    writer.ws.send(new Uint8Array([MESSAGE_SYNC, 0, 1, 0]));
    await waitFor(() => writer.received.slice(from).some((m) => m[0] === MESSAGE_SYNC && m[1] === 1), 'the sync answer');
    // Arrives while the commit holding the second waits on the disk.
    author.getText('notes').insert(12, ' third');
    writer.ws.send(syncUpdateMessage(updates[2]!));
    disk.exec('commit');
    await waitFor(() => writer.received.slice(from).some(isConfirmation), 'the second update to be confirmed');
    expect(clockIn(writer.received.slice(from).find(isConfirmation)!)).toBe('first second'.length);
  });

  it('a write the database refuses is never confirmed: its sender is closed with 1011 and the room reloads what was stored', async () => {
    const { relay, file } = await start();
    const room = newRoom();
    const secret = newSecret();
    const writer = await socket(relay, room, secret);
    writer.ws.send(syncUpdateMessage(textUpdate('saved')));
    writer.ws.send(query);
    await waitFor(() => writer.received.some(isConfirmation), 'the first update to be confirmed');
    const disk = connect(file);
    disk.exec(`create trigger refuse before insert on doc_updates begin select raise(abort, 'disk full'); end`);
    const from = writer.received.length;
    const closed = closeCode(writer.ws);
    writer.ws.send(syncUpdateMessage(textUpdate('never saved')));
    writer.ws.send(query);
    expect(await closed).toBe(1011);
    expect(writer.received.slice(from).filter(isConfirmation)).toEqual([]);
    disk.exec('drop trigger refuse');

    const later = client(relay, room, secret);
    await synced(later);
    expect(later.text.toString()).toBe('saved');
  });

  it('a store whose thread has died says it is unavailable and fails the call waiting and every later one', async () => {
    const dir = tempDir();
    cleanup.push(dir.remove);
    const store = await openSqliteStore(dir.path, 'full');
    const room = newRoom();
    const doc = (await store.open(room)).doc;
    expect(store.available()).toBe(true);
    doc.getText('notes').insert(0, 'never stored');
    // The write lock held elsewhere keeps the append waiting, so the thread dies before it can answer.
    const disk = connect(store.file);
    disk.exec('begin immediate');
    const waiting = store.append([{ room, update: Y.encodeStateAsUpdate(doc) }]);
    await store.thread.terminate();
    disk.exec('rollback');
    await expect(waiting).rejects.toThrow(/store thread stopped/);
    expect(store.available()).toBe(false);
    await expect(store.open(room)).rejects.toThrow(/store thread stopped/);
    await expect(store.secretHash(room)).rejects.toThrow(/store thread stopped/);
    await store.close();
  });
});
