/**
 * The relay's group commit over its real SQLite store: updates are forwarded at once, stored
 * together after the event-loop turn, and confirmations wait for the store; a commit that fails
 * drops the rooms it held.
 */
import SQLite from 'better-sqlite3';
import { expect, onTestFinished, test } from 'vitest';
import { RoomDocs } from '../../../server/room-docs.js';
import { openSqliteStore } from '../../../server/store/sqlite-thread.js';
import { tempDir, waitFor } from './helpers.js';

const hash = Buffer.alloc(32, 1);

async function groupCommit(onStoreFailed: (room: string, error: Error) => void = () => {}, idleUnloadMs = 60_000) {
  const dir = tempDir();
  const store = await openSqliteStore(dir.path, 'full');
  const forwarded: Uint8Array[] = [];
  const docs = new RoomDocs(store, {
    compactAfter: 1000,
    idleUnloadMs,
    maxBacklogBytes: 1024 * 1024,
    onStoreFailed,
    onCompactFailed: () => {},
    onStored: () => {},
    onCompacted: () => {},
    onUpdate: (_room, update) => forwarded.push(update),
  });
  // A second connection sees only what is committed, as a relay restarted after a crash would.
  const disk = new SQLite(store.file);
  onTestFinished(async () => {
    disk.close();
    await docs.closeAll();
    await store.close();
    dir.remove();
  });
  const storedRows = (room: string) =>
    (disk.prepare('select count(*) as n from doc_updates where doc_id = ?').get(room) as { n: number }).n;
  return { store, docs, forwarded, storedRows, disk };
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
  await new Promise<void>((resolve) => docs.whenStored(resolve));
  expect(docs.backlogBytes).toBe(0);
});

test('a hold released twice counts once: the room stays loaded for its other holder', async () => {
  const { docs } = await groupCommit(undefined, 20);
  expect(() => docs.acquire('room-a')).toThrow(/not loaded/);
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
