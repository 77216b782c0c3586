/**
 * The relay's group commit over its real SQLite store: updates are forwarded at once, stored
 * together after the event-loop turn, and confirmations wait for the store; a commit that fails
 * drops the rooms it held.
 */
import SQLite from 'better-sqlite3';
import * as Y from 'yjs';
import { expect, onTestFinished, test, vi } from 'vitest';
import { RoomDocs } from '../../../server/room-docs.js';
import type { RoomStore } from '../../../server/store/room-store.js';
import { openSqliteStore } from '../../../server/store/sqlite-thread.js';
import { tempDir, waitFor } from './helpers.js';

const hash = Buffer.alloc(32, 1);

/**
 * RoomDocs over a real SQLite store. `shared` presents that store as one other relays write to, as
 * PostgreSQL is: the test's second connection to the file plays those relays.
 */
async function groupCommit(onStoreFailed: (room: string, error: Error) => void = () => {}, idleUnloadMs = 60_000, shared = false) {
  const dir = tempDir();
  const sqlite = await openSqliteStore(dir.path, 'full');
  const store: RoomStore & { file: string } = shared ? { ...sqlite, shared: true } : sqlite;
  const forwarded: Uint8Array[] = [];
  const durable: string[] = [];
  const docs = new RoomDocs(store, {
    compactAfter: 1000,
    idleUnloadMs,
    maxBacklogBytes: 1024 * 1024,
    onStoreFailed,
    onCompactFailed: () => {},
    onStored: () => {},
    onCompacted: () => {},
    onUpdate: (_room, update) => forwarded.push(update),
    onDurable: (room) => durable.push(room),
  });
  // A second connection sees only what is committed, as a relay restarted after a crash would.
  const disk = new SQLite(store.file);
  onTestFinished(async () => {
    disk.close();
    await docs.closeAll();
    await sqlite.close();
    dir.remove();
  });
  const storedRows = (room: string) =>
    (disk.prepare('select count(*) as n from doc_updates where doc_id = ?').get(room) as { n: number }).n;
  return { store, docs, forwarded, durable, storedRows, disk };
}

test('updates of several rooms are forwarded at once and stored together after the turn; confirmations wait for the store', async () => {
  const { docs, forwarded, storedRows } = await groupCommit();
  await docs.hold('room-a', hash);
  await docs.hold('room-b', hash);
  const a = docs.acquire('room-a').doc;
  const b = docs.acquire('room-b').doc;
  a.getText('t').insert(0, 'one');
  b.getText('t').insert(0, 'two');
  a.getText('t').insert(3, ' three');
  expect(forwarded).toHaveLength(3);
  expect(storedRows('room-a') + storedRows('room-b')).toBe(0);
  const confirmed = new Promise<number>((resolve) => docs.whenStored(() => resolve(storedRows('room-a') + storedRows('room-b'))));
  expect(await confirmed).toBe(3);
  // Nothing pending: a confirmation is immediate.
  let now = false;
  docs.whenStored(() => (now = true));
  expect(now).toBe(true);
});

test('a commit that fails drops the rooms it held, reports each, and the next hold reloads what is on disk', async () => {
  const failed: string[] = [];
  const { disk, docs } = await groupCommit((room, error) => {
    expect(error.message).toContain('could not save');
    failed.push(room);
  });
  await docs.hold('room-a', hash);
  const doc = docs.acquire('room-a').doc;
  doc.getText('t').insert(0, 'kept');
  await new Promise<void>((resolve) => docs.whenStored(resolve));
  disk.exec(`create trigger full_disk before insert on doc_updates begin select raise(abort, 'disk full'); end`);
  doc.getText('t').insert(4, ' lost');
  await new Promise<void>((resolve) => docs.whenStored(resolve));
  expect(failed).toEqual(['room-a']);
  expect(docs.isLoaded('room-a')).toBe(false);
  disk.exec('drop trigger full_disk');
  await docs.hold('room-a', hash);
  expect(docs.acquire('room-a').doc.getText('t').toString()).toBe('kept');
});

test('the bound on bytes waiting for the store includes its last byte, and counts what waits until it is stored', async () => {
  const { docs } = await groupCommit();
  const bound = 1024 * 1024;
  expect(docs.backlogFull(bound)).toBe(false);
  expect(docs.backlogFull(bound + 1)).toBe(true);
  await docs.hold('room-a', hash);
  docs.acquire('room-a').doc.getText('t').insert(0, 'x'.repeat(100));
  const waiting = docs.backlogBytes;
  expect(waiting).toBeGreaterThan(100);
  expect(docs.backlogFull(bound - waiting)).toBe(false);
  expect(docs.backlogFull(bound - waiting + 1)).toBe(true);
  // The room's own count, for its quota, has the update from the start and keeps it once stored.
  expect(docs.acquire('room-a').bytes).toBe(waiting);
  await new Promise<void>((resolve) => docs.whenStored(resolve));
  expect(docs.backlogBytes).toBe(0);
  expect(docs.acquire('room-a').bytes).toBe(waiting);
});

test('a hold released twice counts once: the room stays loaded for its other holder', async () => {
  const { docs } = await groupCommit(undefined, 20);
  expect(() => docs.acquire('room-a')).toThrow(/not loaded/);
  expect(() => docs.release('room-a')).not.toThrow();
  const first = await docs.hold('room-a', hash);
  const second = await docs.hold('room-a', hash);
  first();
  first();
  // A room released now, with the same idle time, tells when room-a would have been unloaded.
  (await docs.hold('room-clock', hash))();
  await waitFor(() => !docs.isLoaded('room-clock'), 'the idle room to be unloaded');
  expect(docs.isLoaded('room-a')).toBe(true);
  second();
  await waitFor(() => !docs.isLoaded('room-a'), 'room-a to be unloaded once nobody holds it');
});

test('holds asked for at the same time load the room once and share its document', async () => {
  const { docs, store } = await groupCommit();
  const opens = vi.spyOn(store, 'open');
  const [first, second] = await Promise.all([docs.hold('room-a', hash), docs.hold('room-a', hash)]);
  expect(opens).toHaveBeenCalledTimes(1);
  first();
  second();
});

test('a room is read from a store no other relay writes once per load; from a shared one again only when taken up idle', async () => {
  for (const shared of [false, true]) {
    const { docs, store } = await groupCommit(undefined, 60_000, shared);
    const opens = vi.spyOn(store, 'open');
    const first = await docs.hold('room-a', hash);
    const second = await docs.hold('room-a', hash);
    expect(opens).toHaveBeenCalledTimes(1);
    first();
    second();
    (await docs.hold('room-a', hash))();
    expect(opens).toHaveBeenCalledTimes(shared ? 2 : 1);
  }
});

test('a hold taken before its room was dropped does not release the room loaded since', async () => {
  const { disk, docs } = await groupCommit(undefined, 20);
  const stale = await docs.hold('room-a', hash);
  disk.exec(`create trigger full_disk before insert on doc_updates begin select raise(abort, 'disk full'); end`);
  docs.acquire('room-a').doc.getText('t').insert(0, 'lost');
  await new Promise<void>((resolve) => docs.whenStored(resolve));
  expect(docs.isLoaded('room-a')).toBe(false);
  disk.exec('drop trigger full_disk');
  const fresh = await docs.hold('room-a', hash);
  stale();
  (await docs.hold('room-clock', hash))();
  await waitFor(() => !docs.isLoaded('room-clock'), 'the idle room to be unloaded');
  expect(docs.isLoaded('room-a')).toBe(true);
  fresh();
  await waitFor(() => !docs.isLoaded('room-a'), 'room-a to be unloaded once its holder lets go');
});

test('an idle room whose shared store now holds a damaged entry is refused, not held, and unloaded as idle', async () => {
  const { disk, docs } = await groupCommit(undefined, 20, true);
  (await docs.hold('room-a', hash))();
  // The hold `acquire` takes (a connection's) is let go of too, leaving the room loaded and idle.
  docs.acquire('room-a').doc.getText('t').insert(0, 'kept');
  await new Promise<void>((resolve) => docs.whenStored(resolve));
  docs.release('room-a');
  // Written by another relay: an entry that does not decode. Taking the room up again reads it.
  disk.prepare('insert into doc_updates (doc_id, seq, "update") values (?, 1000, ?)').run('room-a', Buffer.from([1, 2, 3]));
  await expect(docs.hold('room-a', hash)).rejects.toThrow(/could not read/);
  await waitFor(() => !docs.isLoaded('room-a'), 'the refused room to be unloaded as idle');
});

const refuseRoomA = `create trigger refuse_a before insert on doc_updates when new.doc_id = 'room-a' begin select raise(abort, 'refused'); end`;

test('a commit refused for one room fails that room alone; the others are stored, and only what was stored is reported durable', async () => {
  const failed: string[] = [];
  const { disk, docs, durable, storedRows } = await groupCommit((room) => failed.push(room));
  await docs.hold('room-a', hash);
  await docs.hold('room-b', hash);
  const [a, b] = [docs.acquire('room-a').doc, docs.acquire('room-b').doc];
  a.getText('t').insert(0, 'a1');
  b.getText('t').insert(0, 'b1');
  await new Promise<void>((resolve) => docs.whenStored(resolve));
  disk.exec(refuseRoomA);
  a.getText('t').insert(2, 'a2');
  b.getText('t').insert(2, 'b2');
  await new Promise<void>((resolve) => docs.whenStored(resolve));
  expect(failed).toEqual(['room-a']);
  expect([docs.isLoaded('room-a'), docs.isLoaded('room-b')]).toEqual([false, true]);
  expect([storedRows('room-a'), storedRows('room-b')]).toEqual([1, 2]);
  expect(durable).toEqual(['room-a', 'room-b', 'room-b']);
  expect(docs.backlogBytes).toBe(0);
});

test('updates that arrive while the refused commit of their room runs are discarded with the room, never stored', async () => {
  let disk: SQLite.Database | null = null;
  const failed = await groupCommit(() => disk!.exec('drop trigger refuse_a'));
  disk = failed.disk;
  const { docs, forwarded, storedRows } = failed;
  await docs.hold('room-a', hash);
  const doc = docs.acquire('room-a').doc;
  disk.exec(refuseRoomA);
  doc.getText('t').insert(0, 'lost');
  // The commit, queued for after this turn, has taken that update to the store when this runs.
  await new Promise((resolve) => setImmediate(resolve));
  doc.getText('t').insert(4, ' too');
  await new Promise<void>((resolve) => docs.whenStored(resolve));
  expect(forwarded).toHaveLength(2);
  expect(docs.isLoaded('room-a')).toBe(false);
  expect(storedRows('room-a')).toBe(0);
  expect(docs.backlogBytes).toBe(0);
});

test('what taking up an idle room brings in from a shared store reaches its peers and is not stored again', async () => {
  const { disk, docs, durable, forwarded, storedRows } = await groupCommit(undefined, 60_000, true);
  (await docs.hold('room-a', hash))();
  const other = new Y.Doc();
  other.getText('t').insert(0, 'from another relay');
  disk
    .prepare('insert into doc_updates (doc_id, seq, "update") values (?, 1000, ?)')
    .run('room-a', Buffer.from(Y.encodeStateAsUpdate(other)));
  await docs.hold('room-a', hash);
  expect(docs.acquire('room-a').doc.getText('t').toString()).toBe('from another relay');
  expect(forwarded).toHaveLength(1);
  await new Promise<void>((resolve) => docs.whenStored(resolve));
  expect(storedRows('room-a')).toBe(1);
  expect(durable).toEqual([]);
});
