/**
 * The relay's group commit over its real SQLite store: updates are forwarded at once, stored
 * together after the event-loop turn, and confirmations wait for the store; a commit that fails
 * drops the rooms it held.
 */
import SQLite from 'better-sqlite3';
import * as Y from 'yjs';
import { describe, expect, onTestFinished, test, vi } from 'vitest';
import { RoomDocs } from '../../../server/room-docs.js';
import type { RoomStore } from '../../../server/store/room-store.js';
import { openPostgresStore } from '../../../server/store/postgres.js';
import { openSqliteStore } from '../../../server/store/sqlite-thread.js';
import { tempDir, waitFor } from './helpers.js';
import { postgresSkipReason, queryDatabase, startPostgres } from './postgres-server.js';

const hash = Buffer.alloc(32, 1);

interface DocsSetup {
  onStoreFailed?: (room: string, error: Error) => void;
  idleUnloadMs?: number;
  compactAfter?: number;
}

/** RoomDocs over `store`, recording what it reports. */
function recordingDocs(store: RoomStore, { onStoreFailed = () => {}, idleUnloadMs = 60_000, compactAfter = 1000 }: DocsSetup = {}) {
  const forwarded: Uint8Array[] = [];
  const durable: string[] = [];
  const storedMs: number[] = [];
  const compactedMs: number[] = [];
  const compactFailed: string[] = [];
  const docs = new RoomDocs(store, {
    compactAfter,
    idleUnloadMs,
    maxBacklogBytes: 1024 * 1024,
    onStoreFailed,
    onCompactFailed: (room) => compactFailed.push(room),
    onStored: (ms) => storedMs.push(ms),
    onCompacted: (ms) => compactedMs.push(ms),
    onUpdate: (_room, update) => forwarded.push(update),
    onDurable: (room) => durable.push(room),
  });
  return { docs, forwarded, durable, storedMs, compactedMs, compactFailed };
}

/**
 * RoomDocs over a real SQLite store. `shared` presents that store as one other relays write to, as
 * PostgreSQL is: the test's second connection to the file plays those relays.
 */
async function groupCommit({ shared = false, ...setup }: DocsSetup & { shared?: boolean } = {}) {
  const dir = tempDir();
  const sqlite = await openSqliteStore(dir.path, 'full');
  const store: RoomStore & { file: string } = shared ? { ...sqlite, shared: true } : sqlite;
  // A second connection sees only what is committed, as a relay restarted after a crash would.
  const disk = new SQLite(store.file);
  const recorded = recordingDocs(store, setup);
  onTestFinished(async () => {
    disk.close();
    await recorded.docs.closeAll();
    await sqlite.close();
    dir.remove();
  });
  const storedRows = (room: string) =>
    (disk.prepare('select count(*) as n from doc_updates where doc_id = ?').get(room) as { n: number }).n;
  return { ...recorded, store, storedRows, disk };
}

const settled = (docs: RoomDocs) => new Promise<void>((resolve) => docs.whenStored(resolve));

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
  const { disk, docs } = await groupCommit({
    onStoreFailed: (room, error) => {
      expect(error.message).toContain('could not save');
      failed.push(room);
    },
  });
  await docs.hold('room-a', hash);
  const doc = docs.acquire('room-a').doc;
  doc.getText('t').insert(0, 'kept');
  await settled(docs);
  disk.exec(`create trigger full_disk before insert on doc_updates begin select raise(abort, 'disk full'); end`);
  doc.getText('t').insert(4, ' lost');
  await settled(docs);
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
  await settled(docs);
  expect(docs.backlogBytes).toBe(0);
  expect(docs.acquire('room-a').bytes).toBe(waiting);
});

test('a hold released twice counts once: the room stays loaded for its other holder', async () => {
  const { docs } = await groupCommit({ idleUnloadMs: 20 });
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
    const { docs, store } = await groupCommit({ shared });
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
  const { disk, docs } = await groupCommit({ idleUnloadMs: 20 });
  const stale = await docs.hold('room-a', hash);
  disk.exec(`create trigger full_disk before insert on doc_updates begin select raise(abort, 'disk full'); end`);
  docs.acquire('room-a').doc.getText('t').insert(0, 'lost');
  await settled(docs);
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
  const { disk, docs } = await groupCommit({ idleUnloadMs: 20, shared: true });
  (await docs.hold('room-a', hash))();
  // The hold `acquire` takes (a connection's) is let go of too, leaving the room loaded and idle.
  docs.acquire('room-a').doc.getText('t').insert(0, 'kept');
  await settled(docs);
  docs.release('room-a');
  // Written by another relay: an entry that does not decode. Taking the room up again reads it.
  disk.prepare('insert into doc_updates (doc_id, seq, "update") values (?, 1000, ?)').run('room-a', Buffer.from([1, 2, 3]));
  await expect(docs.hold('room-a', hash)).rejects.toThrow(/could not read/);
  await waitFor(() => !docs.isLoaded('room-a'), 'the refused room to be unloaded as idle');
});

const refuseRoomA = `create trigger refuse_a before insert on doc_updates when new.doc_id = 'room-a' begin select raise(abort, 'refused'); end`;

test('a commit refused for one room fails that room alone; the others are stored, and only what was stored is reported durable', async () => {
  const failed: string[] = [];
  const { disk, docs, durable, storedRows } = await groupCommit({ onStoreFailed: (room) => failed.push(room) });
  await docs.hold('room-a', hash);
  await docs.hold('room-b', hash);
  const [a, b] = [docs.acquire('room-a').doc, docs.acquire('room-b').doc];
  a.getText('t').insert(0, 'a1');
  b.getText('t').insert(0, 'b1');
  await settled(docs);
  disk.exec(refuseRoomA);
  a.getText('t').insert(2, 'a2');
  b.getText('t').insert(2, 'b2');
  await settled(docs);
  expect(failed).toEqual(['room-a']);
  expect([docs.isLoaded('room-a'), docs.isLoaded('room-b')]).toEqual([false, true]);
  expect([storedRows('room-a'), storedRows('room-b')]).toEqual([1, 2]);
  expect(durable).toEqual(['room-a', 'room-b', 'room-b']);
  expect(docs.backlogBytes).toBe(0);
});

test('updates that arrive while the refused commit of their room runs are discarded with the room, never stored', async () => {
  let disk: SQLite.Database | null = null;
  const failed = await groupCommit({ onStoreFailed: () => disk!.exec('drop trigger refuse_a') });
  disk = failed.disk;
  const { docs, forwarded, storedRows, storedMs } = failed;
  await docs.hold('room-a', hash);
  const doc = docs.acquire('room-a').doc;
  disk.exec(refuseRoomA);
  doc.getText('t').insert(0, 'lost');
  // The commit, queued for after this turn, has taken that update to the store when this runs.
  await new Promise((resolve) => setImmediate(resolve));
  doc.getText('t').insert(4, ' too');
  await settled(docs);
  expect(forwarded).toHaveLength(2);
  expect(docs.isLoaded('room-a')).toBe(false);
  expect(storedRows('room-a')).toBe(0);
  expect(docs.backlogBytes).toBe(0);
  // Nothing was left to commit once the room was dropped: no commit was made, or timed.
  expect(storedMs).toEqual([]);
});

test('what taking up an idle room brings in from a shared store reaches its peers and is not stored again', async () => {
  const { disk, docs, durable, forwarded, storedRows } = await groupCommit({ shared: true });
  (await docs.hold('room-a', hash))();
  const other = new Y.Doc();
  other.getText('t').insert(0, 'from another relay');
  disk
    .prepare('insert into doc_updates (doc_id, seq, "update") values (?, 1000, ?)')
    .run('room-a', Buffer.from(Y.encodeStateAsUpdate(other)));
  await docs.hold('room-a', hash);
  expect(docs.acquire('room-a').doc.getText('t').toString()).toBe('from another relay');
  expect(forwarded).toHaveLength(1);
  await settled(docs);
  expect(storedRows('room-a')).toBe(1);
  expect(durable).toEqual([]);
});

test('a confirmation runs once, however many commits follow it; each commit reports its own time', async () => {
  const { docs, storedMs } = await groupCommit();
  await docs.hold('room-a', hash);
  const text = docs.acquire('room-a').doc.getText('t');
  let confirmations = 0;
  const started = performance.now();
  text.insert(0, 'one');
  docs.whenStored(() => confirmations++);
  await settled(docs);
  const elapsed = performance.now() - started;
  text.insert(3, ' two');
  await settled(docs);
  text.insert(7, ' three');
  await settled(docs);
  expect(confirmations).toBe(1);
  expect(storedMs).toHaveLength(3);
  expect(storedMs[0]).toBeGreaterThanOrEqual(0);
  expect(storedMs[0]).toBeLessThanOrEqual(elapsed);
});

/**
 * Runs `during` at each snapshot the store writes: while it writes it, after the real compaction has
 * taken the document's state, or once it is written, before the compaction goes on.
 */
function duringCompaction(store: RoomStore, during: (call: number) => void | Promise<void>, when: 'while' | 'after' = 'while') {
  const compact = store.compact.bind(store);
  let calls = 0;
  return vi.spyOn(store, 'compact').mockImplementation(async (room, doc) => {
    const written = compact(room, doc);
    if (when === 'after') await written;
    await during(++calls);
    return written;
  });
}

/** Holds room-a with 'kept' stored in it; the returned release leaves it idle. */
async function keptRoom(docs: RoomDocs) {
  const release = await docs.hold('room-a', hash);
  const text = docs.acquire('room-a').doc.getText('t');
  text.insert(0, 'kept');
  docs.release('room-a');
  await settled(docs);
  return { release, text };
}

const flushTurn = () => new Promise((resolve) => setImmediate(resolve));

test('an untouched room is unloaded without writing a snapshot', async () => {
  const { docs, store, compactedMs } = await groupCommit({ idleUnloadMs: 20 });
  const compact = vi.spyOn(store, 'compact');
  (await docs.hold('room-a', hash))();
  await waitFor(() => !docs.isLoaded('room-a'), 'the idle room to be unloaded');
  expect(compact).not.toHaveBeenCalled();
  expect(compactedMs).toEqual([]);
});

test('a room taken up again while its idle unload compacts it stays loaded for its new holder', async () => {
  const { docs, store, compactedMs } = await groupCommit({ idleUnloadMs: 20 });
  const { release: first } = await keptRoom(docs);
  let second: Promise<() => void> | null = null;
  duringCompaction(store, () => void (second = docs.hold('room-a', hash)));
  const started = performance.now();
  first();
  await waitFor(() => compactedMs.length === 1, 'the idle room to be compacted');
  await flushTurn();
  expect(compactedMs[0]).toBeGreaterThanOrEqual(0);
  expect(compactedMs[0]).toBeLessThanOrEqual(performance.now() - started);
  expect(docs.isLoaded('room-a')).toBe(true);
  (await second!)();
});

test('a room dropped and loaded again while its idle unload compacted the old one keeps the new one', async () => {
  const { disk, docs, store } = await groupCommit({ idleUnloadMs: 20 });
  const { release: first, text: old } = await keptRoom(docs);
  let reloaded: (() => void) | null = null;
  duringCompaction(store, async () => {
    // A write the store refuses drops the room; the next hold loads it afresh.
    disk.exec(refuseRoomA);
    docs.acquire('room-a');
    old.insert(4, ' refused');
    docs.release('room-a');
    await settled(docs);
    disk.exec('drop trigger refuse_a');
    reloaded = await docs.hold('room-a', hash);
  });
  first();
  await waitFor(() => reloaded !== null, 'the room to be dropped and loaded again');
  await flushTurn();
  expect(docs.isLoaded('room-a')).toBe(true);
  expect(docs.acquire('room-a').doc.getText('t').toString()).toBe('kept');
  docs.release('room-a');
  reloaded!();
});

for (const when of ['while', 'after'] as const) {
  test(`an update that arrives ${when === 'while' ? 'while' : 'just after'} an idle room is compacted keeps the room until it is stored`, async () => {
    const { docs, store, storedRows } = await groupCommit({ idleUnloadMs: 20 });
    const { release: first, text } = await keptRoom(docs);
    duringCompaction(
      store,
      (call) => {
        if (call > 1) return;
        docs.acquire('room-a');
        text.insert(4, ' late');
        docs.release('room-a');
      },
      when,
    );
    first();
    await waitFor(() => !docs.isLoaded('room-a'), 'the room to be unloaded once its last update is stored');
    await settled(docs);
    // Unloaded by a compaction that covered the late update too.
    expect(storedRows('room-a')).toBe(0);
    await docs.hold('room-a', hash);
    expect(docs.acquire('room-a').doc.getText('t').toString()).toBe('kept late');
  });
}

test('an update that arrives while a commit runs is stored by the next one, with nothing after it to prompt it', async () => {
  const { docs, store, storedRows } = await groupCommit();
  await docs.hold('room-a', hash);
  const text = docs.acquire('room-a').doc.getText('t');
  const append = store.append.bind(store);
  let late: Promise<number> | null = null;
  vi.spyOn(store, 'append').mockImplementation((rows) => {
    const stored = append(rows);
    late ??= (async () => {
      text.insert(text.length, ' late');
      await settled(docs);
      return storedRows('room-a');
    })();
    return stored;
  });
  text.insert(0, 'first');
  await waitFor(() => late !== null, 'the first commit to start');
  expect(await late).toBe(2);
});

test('a room dropped while its compaction waited for the store is not compacted: what the store refused stays out of the snapshot', async () => {
  const { disk, docs, compactedMs, compactFailed } = await groupCommit({ compactAfter: 2 });
  await docs.hold('room-a', hash);
  const text = docs.acquire('room-a').doc.getText('t');
  text.insert(0, 'kept');
  await settled(docs);
  disk.exec(refuseRoomA);
  // The second entry makes a compaction due; it waits for this commit, which the store refuses.
  text.insert(4, ' refused');
  await settled(docs);
  expect(docs.isLoaded('room-a')).toBe(false);
  await docs.hold('room-a', hash);
  expect(docs.acquire('room-a').doc.getText('t').toString()).toBe('kept');
  expect([compactedMs, compactFailed]).toEqual([[], []]);
});

test('a log is folded whenever it reaches the threshold, counting what arrived while the last compaction ran, and never before', async () => {
  const { docs, store, compactedMs, storedRows } = await groupCommit({ compactAfter: 3 });
  await docs.hold('room-a', hash);
  const text = docs.acquire('room-a').doc.getText('t');
  const add = (word: string) => text.insert(text.length, word);
  // While the first compaction runs, three more arrive: the threshold again, with nothing after them.
  // While the second runs, two more: below it, until one more follows.
  const arriving = [
    ['d', 'e', 'f'],
    ['g', 'h'],
  ];
  duringCompaction(store, (call) => arriving[call - 1]?.forEach(add));
  ['a', 'b', 'c'].forEach(add);
  await waitFor(() => compactedMs.length === 2, 'a second compaction for what arrived during the first');
  await settled(docs);
  await flushTurn();
  add('i');
  await waitFor(() => compactedMs.length === 3, 'a third compaction once the log reached the threshold again');
  await settled(docs);
  expect(storedRows('room-a')).toBe(0);
  expect(text.toString()).toBe('abcdefghi');
});

const skipPostgres = postgresSkipReason();
if (skipPostgres) console.warn(`room documents over PostgreSQL skipped: ${skipPostgres}`);

describe.skipIf(skipPostgres)('over a store that can become unreachable (PostgreSQL)', () => {
  /** RoomDocs over a PostgreSQL server of the test's own, on a fresh database; all of it closed when the test ends. */
  async function docsOverPostgres(setup: DocsSetup = {}) {
    const server = await startPostgres();
    const url = await server.createDatabase();
    const store = await openPostgresStore({ url });
    const recorded = recordingDocs(store, setup);
    onTestFinished(async () => {
      await recorded.docs.closeAll();
      await store.close();
      await server.destroy();
    });
    return { server, url, store, ...recorded };
  }

  test(
    'updates wait unconfirmed while the store is down, an interrupted compaction is no failure, and all is stored when it returns; closing stops retrying',
    { timeout: 60_000 },
    async () => {
      const { server, url, store, docs, durable, compactFailed } = await docsOverPostgres({ compactAfter: 2 });
      const first = await docs.hold('room-a', hash);
      const text = docs.acquire('room-a').doc.getText('t');
      text.insert(0, 'one');
      await settled(docs);
      // The compaction the second entry makes due finds the server gone.
      const compact = store.compact.bind(store);
      const compacting = vi.spyOn(store, 'compact').mockImplementationOnce(async (room, doc) => {
        await server.stop('immediate');
        return compact(room, doc);
      });
      text.insert(3, ' two');
      await waitFor(() => compacting.mock.results.length === 1, 'the compaction to be tried');
      await expect(compacting.mock.results[0]!.value).rejects.toThrow(/cannot be reached/);

      const appends = vi.spyOn(store, 'append');
      let confirmed = false;
      text.insert(7, ' three');
      docs.whenStored(() => (confirmed = true));
      await waitFor(() => appends.mock.calls.length >= 3, 'the commit to be retried');
      text.insert(13, ' four');
      // Retries are paced, not a busy loop against a server that is down.
      const triedBefore = appends.mock.calls.length;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(appends.mock.calls.length - triedBefore).toBeLessThanOrEqual(10);
      expect(confirmed).toBe(false);
      expect(durable).toEqual(['room-a', 'room-a']);
      // A room everyone left is taken up again as it is while the store cannot be asked for news.
      first();
      docs.release('room-a');
      (await docs.hold('room-a', hash))();
      docs.acquire('room-a');

      await server.start();
      await waitFor(() => confirmed, 'the waiting updates to be stored once the server returns', 15_000);
      await settled(docs);
      expect(durable).toEqual(['room-a', 'room-a', 'room-a', 'room-a']);
      expect(compactFailed).toEqual([]);
      const reader = await openPostgresStore({ url });
      expect((await reader.open('room-a')).doc.getText('t').toString()).toBe('one two three four');
      await reader.close();

      await server.stop('immediate');
      text.insert(18, ' five');
      expect(await docs.closeAll()).toBe(1);
      const triedBeforeClose = appends.mock.calls.length;
      // A closed relay's store is gone: nothing may try it again (three retry periods pass).
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(appends.mock.calls.length).toBe(triedBeforeClose);
    },
  );

  test(
    'a commit refused for one room whose room-by-room retry meets an outage fails no room and stores everything once the store returns',
    { timeout: 60_000 },
    async () => {
      const failed: string[] = [];
      const { server, url, store, docs } = await docsOverPostgres({ onStoreFailed: (room) => failed.push(room) });
      // A sequence is not rolled back with the transaction: only the first row ever inserted is refused.
      await queryDatabase(
        url,
        `create sequence refusals;
       create function refuse_once() returns trigger as $$ begin
         if nextval('refusals') = 1 then raise exception 'refused once'; end if;
         return new;
       end $$ language plpgsql;
       create trigger refuse_once before insert on doc_updates for each row execute function refuse_once();`,
      );
      await docs.hold('room-a', hash);
      await docs.hold('room-b', hash);
      const append = store.append.bind(store);
      const appends = vi.spyOn(store, 'append').mockImplementation(async (rows) => {
        // The retry of the first room alone finds the server gone.
        if (appends.mock.calls.length === 2) await server.stop('immediate');
        return append(rows);
      });
      docs.acquire('room-a').doc.getText('t').insert(0, 'a');
      docs.acquire('room-b').doc.getText('t').insert(0, 'b');
      await waitFor(() => appends.mock.calls.length >= 3, 'the rooms to be tried again after the outage began');
      await server.start();
      await settled(docs);
      expect(failed).toEqual([]);
      const reader = await openPostgresStore({ url });
      expect([
        (await reader.open('room-a')).doc.getText('t').toString(),
        (await reader.open('room-b')).doc.getText('t').toString(),
      ]).toEqual(['a', 'b']);
      await reader.close();
    },
  );
});
