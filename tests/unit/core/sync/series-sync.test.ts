/**
 * One shared 1:1's connection to its relay, all in this process: real cores on SQLite files in
 * temp dirs, the real relay (startRelay) on a loopback port, and a scripted relay where a test
 * needs to choose what the relay answers, and when.
 */
import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { startRelay, type Relay } from '../../../../server/relay.js';
import { Awareness } from 'y-protocols/awareness';
import { SeriesSync } from '../../../../src/core/sync/series-sync.js';
import type { TandemCore } from '../../../../src/core/tandem-core.js';
import type { SyncState } from '../../../../src/shared/api.js';
import { archiveDocId } from '../../../../src/shared/domain/archive.js';
import { addAgendaItem } from '../../../../src/shared/domain/commands.js';
import { listAgenda } from '../../../../src/shared/domain/series-doc.js';
import { MAX_NESTING_DEPTH } from '../../../../src/node/docstore/nesting.js';
import { silentLogger } from '../../../../src/node/log.js';
import { openCore, tempDir } from '../../helpers/core.js';
import { nestedChainUpdates } from '../../helpers/updates.js';
import { connectClient, memoryLogger, newSecret, syncUpdateMessage, synced, waitFor } from '../../server/helpers.js';
import { startScriptedRelay, stateVectorAnswer, type ScriptedRelay } from './scripted-relay.js';
import { addItem, closedPort, shareTo, stopsAfterEach } from './sync-fixtures.js';

const TIMING = { confirmProbeMs: 300, maxBackoffMs: 800 };

const cleanup = stopsAfterEach();

async function core(log = silentLogger): Promise<TandemCore> {
  const { core } = await openCore({ syncTiming: TIMING, log });
  cleanup.push(() => core.close());
  return core;
}

async function relay(options: { port?: number; data?: string } = {}): Promise<Relay & { data: string }> {
  const data = options.data ?? tempDir('tandem-relay-');
  const r = await startRelay({ port: options.port ?? 0, data }, silentLogger);
  cleanup.push(() => r.close());
  return { ...r, data };
}

async function scripted(...args: Parameters<typeof startScriptedRelay>): Promise<ScriptedRelay> {
  const r = await startScriptedRelay(...args);
  cleanup.push(() => r.close());
  return r;
}

const titles = (doc: Y.Doc) =>
  listAgenda(doc)
    .map((i) => i.title)
    .sort();
const titlesAt = (c: TandemCore, seriesId: string) => c.docs.with(seriesId, titles);
const stateOf = (c: TandemCore, seriesId: string) => c.sync.state(seriesId);

/** Every sync state the core announces for a 1:1 from now on, with when it was announced. */
function announced(c: TandemCore, seriesId: string): (SyncState & { at: number })[] {
  const states: (SyncState & { at: number })[] = [];
  c.connect().onEvent((e) => e.type === 'sync-state' && e.state.seriesId === seriesId && states.push({ ...e.state, at: Date.now() }));
  return states;
}

const until = (check: () => boolean, what: string, timeoutMs = 10_000) => waitFor(check, what, timeoutMs);

test('both sides’ history reaches the other on connecting, and synced with nothing unsent means the relay stored it all', async () => {
  const r = await relay();
  const secret = newSecret();
  const dana = await core();
  const sam = await core();
  const seriesId = await shareTo(dana, r.url, { secret, titles: ['From Dana'] });
  const danaStates = announced(dana, seriesId);
  await shareTo(sam, r.url, { seriesId, secret, titles: ['From Sam'] });

  for (const c of [dana, sam]) {
    await until(() => titlesAt(c, seriesId).join() === 'From Dana,From Sam', 'both items on both sides');
    await until(() => stateOf(c, seriesId).unsent === 0, 'the relay to confirm');
    expect(stateOf(c, seriesId)).toEqual({ seriesId, status: 'synced', unsent: 0 });
  }
  // Sam's items arriving from the relay are not changes of Dana's to send.
  expect(danaStates.map((s) => s.unsent)).toEqual(danaStates.map(() => 0));

  await Promise.all([dana.close(), sam.close()]);
  const reader = connectClient(r.url, seriesId, { secret });
  cleanup.push(() => reader.destroy());
  await synced(reader);
  expect(titles(reader.doc)).toEqual(['From Dana', 'From Sam']);
});

test('a change stays unsent until the relay answers a query sent after it; an earlier answer clears none of it', async () => {
  const r = await scripted('held');
  const c = await core();
  const seriesId = await shareTo(c, r.url);
  await until(() => stateOf(c, seriesId).status === 'synced' && r.held.length === 1, 'synced, the first query held');
  const states = announced(c, seriesId);

  addItem(c, seriesId, 'Career goals');
  expect(stateOf(c, seriesId)).toEqual({ seriesId, status: 'synced', unsent: 1 });
  await until(() => r.held.length === 2, 'the query sent after the change');
  expect(titles(r.room(seriesId))).toEqual(['Career goals']);

  // The first query was sent before the change: its answer proves nothing about it, although the
  // room's state vector it carries now covers it.
  r.held[0]!();
  addAgendaItem(r.room(seriesId), { title: 'From the relay' }, { now: new Date(), userId: 'sam' });
  await until(() => titlesAt(c, seriesId).includes('From the relay'), 'the relay’s own change, sent after the answer');
  expect(stateOf(c, seriesId).unsent).toBe(1);

  r.held[1]!();
  await until(() => stateOf(c, seriesId).unsent === 0, 'the answer to the later query');
  expect(states.map((s) => `${s.status}:${s.unsent}`)).toEqual(['synced:1', 'synced:0']);
});

test('an answer covering only some changes clears those, and the rest are asked about again', async () => {
  const r = await scripted('held');
  const c = await core();
  const seriesId = await shareTo(c, r.url);
  await until(() => stateOf(c, seriesId).status === 'synced' && r.held.length === 1, 'synced, the first query held');
  r.held[0]!();

  const afterFirst = c.docs.with(seriesId, (doc) => {
    addAgendaItem(doc, { title: 'First' }, { now: new Date(), userId: 'me' });
    return Y.encodeStateVector(doc);
  });
  addItem(c, seriesId, 'Second');
  expect(stateOf(c, seriesId).unsent).toBe(2);
  await until(() => r.held.length === 2, 'the query after both changes');

  // As if the relay had stored only the first when it answered.
  r.held[1]!(afterFirst);
  await until(() => stateOf(c, seriesId).unsent === 1, 'the first change confirmed');
  await until(() => r.held.length === 3, 'a new query for the second');
  r.held[2]!();
  await until(() => stateOf(c, seriesId).unsent === 0, 'the second change confirmed');

  // A relay that has none of this device's changes confirms none of them.
  const nothing = Y.encodeStateVector(new Y.Doc());
  c.docs.with(seriesId, (doc) => doc.getMap('scratch').set('k', 1));
  await until(() => r.held.length === 4, 'the query after a one-struct change');
  r.held[3]!(nothing);
  addItem(c, seriesId, 'Third');
  await until(() => r.held.length === 5, 'the query after the next change');
  expect(stateOf(c, seriesId).unsent).toBe(2);
  r.held[4]!();
  await until(() => stateOf(c, seriesId).unsent === 0, 'both confirmed by a full answer');
});

test('a relay that never answers (a stock server) has changes counted as sent once a synced connection carries them', async () => {
  const r = await scripted('never');
  const c = await core();
  const seriesId = await shareTo(c, r.url);
  await until(() => stateOf(c, seriesId).status === 'synced', 'synced');

  addItem(c, seriesId, 'Before the probe');
  expect(stateOf(c, seriesId).unsent).toBe(1);
  await until(() => stateOf(c, seriesId).unsent === 0, 'the probe to give up on answers');
  expect(titles(r.room(seriesId))).toEqual(['Before the probe']);

  const states = announced(c, seriesId);
  const asked = r.asked;
  addItem(c, seriesId, 'While synced');
  expect(states).toEqual([]);
  expect(stateOf(c, seriesId)).toEqual({ seriesId, status: 'synced', unsent: 0 });

  // Offline, nothing carries a change: it counts until the next synced connection.
  r.accepting = false;
  (await r.connection(0)).ws.terminate();
  await until(() => stateOf(c, seriesId).status === 'offline', 'offline');
  addItem(c, seriesId, 'While offline');
  expect(stateOf(c, seriesId).unsent).toBe(1);
  r.accepting = true;
  await until(() => stateOf(c, seriesId).status === 'synced', 'synced again');
  expect(stateOf(c, seriesId).unsent).toBe(0);
  expect(titles(r.room(seriesId))).toEqual(['Before the probe', 'While offline', 'While synced']);
  // A relay taken for a stock server is asked nothing more, on this connection or the next.
  addItem(c, seriesId, 'After reconnecting');
  await until(() => titles(r.room(seriesId)).includes('After reconnecting'), 'the change to reach the relay');
  expect(r.asked).toBe(asked);
});

test('a relay that drops the connection before answering is not taken for a stock server', async () => {
  const r = await scripted('held');
  const c = await core();
  const seriesId = await shareTo(c, r.url);
  const attempts = announced(c, seriesId);
  await until(() => r.held.length === 1, 'the first query');
  addItem(c, seriesId, 'Unconfirmed');
  r.accepting = false;
  (await r.connection(0)).ws.terminate();
  // Three failed attempts take 200 + 400 ms: past the time the probe would have given up on answers.
  await until(() => attempts.filter((s) => s.status === 'offline' && s.reason === 'unreachable').length >= 3, 'three failed attempts');

  r.accepting = true;
  await until(() => stateOf(c, seriesId).status === 'synced' && r.held.length === 2, 'synced again, a query held');
  expect(stateOf(c, seriesId).unsent).toBe(1);
  r.held[1]!();
  await until(() => stateOf(c, seriesId).unsent === 0, 'the answer to clear it');
});

test('offline edits on both sides count as unsent while the relay is down and merge when it comes back', async () => {
  const first = await relay();
  const secret = newSecret();
  const dana = await core();
  const sam = await core();
  const seriesId = await shareTo(dana, first.url, { secret });
  await shareTo(sam, first.url, { seriesId, secret });
  for (const c of [dana, sam]) await until(() => stateOf(c, seriesId).status === 'synced', 'synced');

  await first.close();
  for (const c of [dana, sam]) await until(() => stateOf(c, seriesId).status === 'offline', 'offline when the relay goes away');
  expect(stateOf(dana, seriesId)).toMatchObject({ seriesId, status: 'offline', unsent: 0 });
  addItem(dana, seriesId, 'Dana offline');
  addItem(sam, seriesId, 'Sam offline');
  for (const c of [dana, sam]) expect(stateOf(c, seriesId)).toMatchObject({ status: 'offline', unsent: 1 });

  await relay({ port: first.port, data: first.data });
  for (const c of [dana, sam]) {
    await until(() => titlesAt(c, seriesId).join() === 'Dana offline,Sam offline', 'both offline edits on both sides');
    await until(() => stateOf(c, seriesId).unsent === 0, 'the relay to confirm');
  }
});

test('a relay closing with 1011 keeps the change unsent, and the reconnection delivers and confirms it', async () => {
  const r = await scripted('held');
  const c = await core();
  const seriesId = await shareTo(c, r.url);
  await until(() => r.held.length === 1, 'the first query');
  r.held[0]!();
  r.answering = 'never';
  r.accepting = false;
  const states = announced(c, seriesId);
  addItem(c, seriesId, 'Before the failure');
  const socket = await r.connection(0);
  await until(() => titles(r.room(seriesId)).length === 1, 'the change to reach the relay');
  r.room(seriesId).destroy();
  socket.ws.close(1011, 'internal error');
  await until(() => stateOf(c, seriesId).status === 'offline', 'offline');
  expect(states.find((s) => s.status === 'offline')).toMatchObject({ status: 'offline', unsent: 1, reason: 'unreachable' });
  // Offline from the close on: never "synced" again until a new connection syncs.
  expect(states.map((s) => s.status).slice(states.findIndex((s) => s.status === 'offline'))).not.toContain('synced');
  expect(stateOf(c, seriesId).unsent).toBe(1);

  r.answering = 'at-once';
  r.accepting = true;
  await until(() => stateOf(c, seriesId).unsent === 0, 'the change confirmed after reconnecting');
  expect(titles(r.room(seriesId))).toEqual(['Before the failure']);
});

test('while the relay is unreachable, each attempt comes when the state said, the pause doubling from 200 ms to the maximum', async () => {
  const c = await core();
  const seriesId = await shareTo(c, `ws://127.0.0.1:${await closedPort()}`);
  const states = announced(c, seriesId);
  const attempts: number[] = [];
  c.sync.get(seriesId)!.provider.on('status', ({ status }) => status === 'connecting' && attempts.push(Date.now()));
  await until(() => states.filter((s) => s.retryAt).length >= 5, 'five failed attempts');

  const failures = states.filter((s) => s.retryAt);
  const pauses = failures.map((s) => Date.parse(s.retryAt!) - s.at);
  // Each pause is computed and announced in the same turn: a millisecond or two apart at most.
  [200, 400, 800, 800, 800].forEach((pause, n) => {
    expect(pauses[n]).toBeGreaterThanOrEqual(pause - 5);
    expect(pauses[n]).toBeLessThanOrEqual(pause);
  });
  for (const [n, failure] of failures.slice(0, 4).entries()) {
    expect(failure).toEqual({ seriesId, status: 'offline', unsent: 0, reason: 'refused', retryAt: failure.retryAt, at: failure.at });
    // Timers never fire early (1 ms for rounding).
    expect(attempts[n]!).toBeGreaterThanOrEqual(Date.parse(failure.retryAt!) - 1);
  }
  // Between attempts, it is offline all along, never "connecting".
  expect(states.filter((s) => s.status !== 'offline')).toEqual([]);
});

test('once the relay is reachable the state drops the old failure, and a later drop is not blamed on it', async () => {
  const port = await closedPort();
  const c = await core();
  const seriesId = await shareTo(c, `ws://127.0.0.1:${port}`);
  await until(() => stateOf(c, seriesId).reason === 'refused', 'refused');
  const r = await relay({ port });
  await until(() => stateOf(c, seriesId).status === 'synced', 'synced');
  await until(() => stateOf(c, seriesId).unsent === 0, 'nothing unsent');
  expect(stateOf(c, seriesId)).toEqual({ seriesId, status: 'synced', unsent: 0 });

  const states = announced(c, seriesId);
  await r.close();
  await until(() => states.some((s) => s.status === 'offline'), 'offline');
  expect(states.find((s) => s.status === 'offline')!.reason).toBe('unreachable');
});

test('a relay that accepted but has not synced yet shows connecting, not the earlier failure', async () => {
  const r = await scripted();
  r.accepting = false;
  r.quiet = true;
  const c = await core();
  const seriesId = await shareTo(c, r.url);
  await until(() => stateOf(c, seriesId).reason === 'unreachable', 'a refused attempt');
  addItem(c, seriesId, 'Waiting');
  r.accepting = true;
  await r.connection(0);
  await until(() => stateOf(c, seriesId).status !== 'offline', 'the accepted connection');
  expect(stateOf(c, seriesId)).toEqual({ seriesId, status: 'connecting', unsent: 1 });
});

test('a malformed frame from the relay closes that connection and is logged; the 1:1 keeps its content and reconnects', async () => {
  const r = await scripted();
  const log = memoryLogger();
  const c = await core(log.logger);
  const seriesId = await shareTo(c, r.url, { titles: ['Kept'] });
  await until(() => stateOf(c, seriesId).status === 'synced', 'synced');

  const garbage = [syncUpdateMessage(new Uint8Array([255, 255, 255])), stateVectorAnswer(new Uint8Array([5, 1]))];
  for (const [n, frame] of garbage.entries()) {
    const socket = await r.connection(n);
    await until(() => stateOf(c, seriesId).status === 'synced', 'synced');
    r.send(socket, frame);
    await socket.closed;
  }
  await r.connection(garbage.length);
  await until(() => stateOf(c, seriesId).status === 'synced', 'synced again');
  const warnings = log.lines().filter((l) => l.msg === 'closed a relay connection after a malformed message');
  expect(warnings).toHaveLength(garbage.length);
  expect(warnings[0]).toMatchObject({ level: 'warn', seriesId });
  expect(titlesAt(c, seriesId)).toEqual(['Kept']);
  addItem(c, seriesId, 'Still syncing');
  await until(() => titles(r.room(seriesId)).join() === 'Kept,Still syncing', 'later changes to reach the relay');
});

test('an update from the relay nesting types too deeply is refused before it touches the 1:1', async () => {
  const r = await scripted();
  const c = await core();
  const seriesId = await shareTo(c, r.url, { titles: ['Kept'] });
  await until(() => stateOf(c, seriesId).status === 'synced', 'synced');
  const [tooDeep] = nestedChainUpdates(1, MAX_NESTING_DEPTH + 1);
  const socket = await r.connection(0);
  r.send(socket, syncUpdateMessage(tooDeep!));
  await socket.closed;
  expect(c.docs.with(seriesId, (doc) => doc.getXmlFragment('deep').length)).toBe(0);
  expect(titlesAt(c, seriesId)).toEqual(['Kept']);
});

test('removing a share closes its room and its archive rooms, and later edits announce nothing', async () => {
  const r = await scripted();
  const c = await core();
  const seriesId = await shareTo(c, r.url);
  c.sync.syncArchives(seriesId, [2021]);
  await until(() => r.open.length === 2, 'the series and its archive connected');
  expect(r.open.map((s) => s.room).sort()).toEqual([seriesId, archiveDocId(seriesId, 2021)].sort());

  const states = announced(c, seriesId);
  await c.sync.remove(seriesId);
  await Promise.all(r.accepted.map((s) => s.closed));
  addItem(c, seriesId, 'Local now');
  expect(states).toEqual([]);
  expect(stateOf(c, seriesId)).toEqual({ seriesId, status: 'local', unsent: 0 });
});

test('waiting for sync is true once synced (at once if already), false when the relay cannot be reached in time', async () => {
  const r = await relay();
  const c = await core();
  const seriesId = await shareTo(c, r.url);
  const sync = c.sync.get(seriesId)!;
  expect(await sync.whenSynced(10_000)).toBe(true);
  expect(await sync.whenSynced(0)).toBe(true);

  const unreachable = c.sync.get(await shareTo(c, `ws://127.0.0.1:${await closedPort()}`))!;
  expect(await unreachable.whenSynced(300)).toBe(false);
});

test('a device the relay refuses gets nothing of the room, not even from another device in the same process', async () => {
  const r = await relay();
  const dana = await core();
  const seriesId = await shareTo(dana, r.url, { titles: ['Private agenda'] });
  await until(() => stateOf(dana, seriesId).status === 'synced', 'synced');
  const intruder = await core();
  await shareTo(intruder, r.url, { seriesId });
  await until(() => stateOf(intruder, seriesId).reason === 'forbidden', 'refused by the relay');
  expect(titlesAt(intruder, seriesId)).toEqual([]);
});

test('a new connection says connecting, with nothing unsent, before the relay has answered anything', async () => {
  const r = await scripted();
  r.quiet = true;
  const doc = new Y.Doc();
  const states: SyncState[] = [];
  const sync = new SeriesSync(
    doc,
    new Awareness(doc),
    { seriesId: 'fresh', relayUrl: r.url, key: null, secret: newSecret() },
    (s) => states.push(s),
    silentLogger,
  );
  cleanup.push(() => sync.destroy());
  expect(sync.state()).toEqual({ seriesId: 'fresh', status: 'connecting', unsent: 0 });
  await r.connection(0);
  await until(() => sync.provider.wsconnected, 'connected');
  expect(states).toEqual([]);
});

test('a process syncing many 1:1s gets no listener-leak warning, and its listener allowance comes back as they stop', async () => {
  const r = await scripted();
  r.quiet = true;
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.name);
  process.on('warning', onWarning);
  cleanup.push(() => void process.off('warning', onWarning));
  const allowance = process.getMaxListeners();
  const syncs = Array.from({ length: 12 }, (_, i) => {
    const doc = new Y.Doc();
    return new SeriesSync(
      doc,
      new Awareness(doc),
      { seriesId: `many-${i}`, relayUrl: r.url, key: null, secret: newSecret() },
      () => {},
      silentLogger,
    );
  });
  for (const sync of syncs) sync.destroy();
  syncs[0]!.destroy();
  // Warnings are emitted on the next turn.
  await new Promise((resolve) => setImmediate(resolve));
  expect(warnings).not.toContain('MaxListenersExceededWarning');
  expect(process.getMaxListeners()).toBe(allowance);
});
