/**
 * When the relay cannot be reached the core says why and when it tries again, can try at once,
 * never lets one bad share stop the others, never quotes a room secret, and brings presence back
 * by itself once the relay returns.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, vi } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { WebSocketServer } from 'ws';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { SyncState } from '../../../../src/shared/api.js';
import type { TandemCore } from '../../../../src/core/tandem-core.js';
import { createLogger } from '../../../../src/node/log.js';
import { openCore, rawDb, tempDir } from '../../helpers/core.js';
import { newSecret, spawnRelay } from '../../server/helpers.js';
import { closedPort, person, relay, shareTo, stopsAfterEach, until } from './sync-fixtures.js';

const cleanup = stopsAfterEach();

async function core(): Promise<TandemCore> {
  const { core } = await openCore();
  cleanup.push(() => core.close());
  return core;
}

/** Who is in a core's presence for a 1:1 (people, and the Tandems online), as a window opening it would get them. */
function peopleIn(c: TandemCore, seriesId: string): string[] {
  const snapshot = c.presence.snapshot(seriesId);
  if (!snapshot) return [];
  const reader = new Awareness(new Y.Doc());
  applyAwarenessUpdate(reader, snapshot, null);
  const names = [...reader.getStates().values()].map((s) => {
    const { user, device } = s as { user?: { name: string }; device?: { name: string } };
    return user ? `person ${user.name}` : `device ${device?.name}`;
  });
  reader.destroy();
  return names;
}

async function offlineBecause(c: TandemCore, seriesId: string, reason: SyncState['reason']): Promise<SyncState> {
  await until(() => c.sync.state(seriesId).reason === reason, `the reason "${reason}"`);
  const state = c.sync.state(seriesId);
  expect(state.status).toBe('offline');
  const retryAt = Date.parse(state.retryAt!);
  expect(retryAt).toBeGreaterThan(Date.now() - 6000);
  expect(retryAt).toBeLessThanOrEqual(Date.now() + 5000);
  return state;
}

test('an unreachable relay says why: refused, not found, wrong secret, key required, or anything else', async () => {
  const c = await core();
  await offlineBecause(c, await shareTo(c, `ws://127.0.0.1:${await closedPort()}`), 'refused');
  await offlineBecause(c, await shareTo(c, 'ws://tandem-relay.invalid:4455'), 'not-found');

  const r = await relay();
  cleanup.push(() => r.stop());
  const owner = await core();
  const room = await shareTo(owner, r.url);
  await until(() => owner.sync.state(room).status === 'synced', 'the room to be registered');
  await offlineBecause(c, await shareTo(c, r.url, { seriesId: room }), 'forbidden');

  const keyed = await spawnRelay(['--port', '0', '--data', tempDir(), '--key', 'operator-key-0123456789']);
  cleanup.push(() => keyed.stop());
  await offlineBecause(c, await shareTo(c, keyed.url), 'key-required');
  const withKey = await shareTo(c, keyed.url, { key: 'operator-key-0123456789' });
  await until(() => c.sync.state(withKey).status === 'synced', 'a share with the key to sync');
  expect(c.sync.state(withKey)).toEqual({ seriesId: withKey, status: 'synced', unsent: 0 });

  const broken = createServer((_req, res) => res.writeHead(500).end());
  await new Promise<void>((ok) => broken.listen(0, '127.0.0.1', ok));
  cleanup.push(() => new Promise((ok) => broken.close(ok)));
  await offlineBecause(c, await shareTo(c, `ws://127.0.0.1:${(broken.address() as AddressInfo).port}`), 'unreachable');
});

test('the next attempt comes when the state says, and retrying now tries at once', async () => {
  const c = await core();
  const port = await closedPort();
  const seriesId = await shareTo(c, `ws://127.0.0.1:${port}`);
  const provider = () => c.sync.get(seriesId)!.provider;
  const attempts: number[] = [];
  provider().on('status', ({ status }) => status === 'connecting' && attempts.push(Date.now()));

  const first = await offlineBecause(c, seriesId, 'refused');
  const before = attempts.length;
  await until(() => attempts.length > before, 'the next attempt');
  // Timers never fire early: the attempt is no sooner than announced (1 ms for rounding).
  expect(attempts[before]!).toBeGreaterThanOrEqual(Date.parse(first.retryAt!) - 1);

  // Backoff grows to seconds; wait for a pause long enough to tell "now" from "when due".
  await until(() => Date.parse(c.sync.state(seriesId).retryAt ?? '') - Date.now() > 1000, 'a pause of over a second');
  expect(provider().ws).toBeNull();
  const waiting = attempts.length;
  const state = c.sync.retrySync(seriesId);
  expect(attempts.length).toBe(waiting + 1);
  expect(provider().ws).not.toBeNull();
  expect(state).toMatchObject({ seriesId, status: 'offline' });
});

test('a share whose relay address cannot be opened is refused before it is saved, without its secret in the message', async () => {
  const { core: c, dbFile } = await openCore();
  cleanup.push(() => c.close());
  const secret = newSecret();
  const seriesId = crypto.randomUUID();
  c.docs.create(seriesId, 'series');
  c.docs.release(seriesId);
  const added = c.sync.add({ seriesId, relayUrl: 'ws://a:b', key: null, secret });
  await expect(added).rejects.toThrow(
    'This 1:1 cannot connect to its relay. That relay address has no valid host and port: write it as ws://host or ws://host:port, with a port from 1 to 65535.',
  );
  await expect(added).rejects.toMatchObject({ code: 'invalid-input' });
  await expect(added).rejects.not.toThrow(secret);
  expect(rawDb(dbFile).prepare('select count(*) as n from shares').get()).toEqual({ n: 0 });
  expect(c.sync.state(seriesId)).toEqual({ seriesId, status: 'local', unsent: 0 });
});

test('a share row with a bad relay address on disk does not keep the other shares from connecting', async () => {
  const r = await relay();
  cleanup.push(() => r.stop());
  const dana = await person('Dana', r.url);
  const good = [];
  for (const partnerName of ['Sam', 'Kim']) {
    const { id } = await dana.api.createSeries({ partnerName, kind: 'peer' });
    await dana.api.createInvite({ seriesId: id });
    good.push(id);
  }
  const bad = (await dana.api.createSeries({ partnerName: 'Lee', kind: 'peer' })).id;
  await dana.core.close();

  // The bad rows first: one with an address the parser refuses, one whose document is missing.
  const db = rawDb(`${dana.dataDir}/tandem.db`);
  const rows = db.prepare('select * from shares').all();
  db.prepare('delete from shares').run();
  const insert = db.prepare('insert into shares (series_id, relay_url, relay_key, secret, created_at) values (?, ?, ?, ?, ?)');
  insert.run(bad, 'ws://a:b', null, newSecret(), new Date().toISOString());
  insert.run(crypto.randomUUID(), r.url, null, newSecret(), new Date().toISOString());
  for (const row of rows as Record<string, string | null>[])
    insert.run(row.series_id, row.relay_url, row.relay_key, row.secret, row.created_at);
  db.close();

  const again = await person('Dana', r.url, dana.dataDir);
  cleanup.push(() => again.core.close());
  for (const id of good) await until(() => again.core.sync.state(id).status === 'synced', `share ${id} to connect`);
  expect(again.core.sync.state(bad)).toEqual({ seriesId: bad, status: 'offline', unsent: 0, reason: 'unreachable' });
  expect((await again.api.listSeries()).map((s) => s.id).sort()).toEqual([...good, bad].sort());
});

test('a relay that says access is denied is logged by the core’s logger, never on the console with the room secret', async () => {
  const denying = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  cleanup.push(() => new Promise((ok) => denying.close(ok)));
  denying.on('connection', (ws) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 2); // auth
    encoding.writeVarUint(encoder, 0); // permission denied
    encoding.writeVarString(encoder, 'go away');
    ws.send(encoding.toUint8Array(encoder));
  });
  await new Promise((ok) => denying.once('listening', ok));
  // y-websocket's own handler would write the whole address, secret included, to the console.
  const consoled: string[] = [];
  for (const level of ['log', 'info', 'warn', 'error'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void consoled.push(args.join(' ')));
  }
  cleanup.push(async () => vi.restoreAllMocks());
  const logged: string[] = [];
  const { core: c } = await openCore({ log: createLogger({ write: (line) => void logged.push(line) }) });
  cleanup.push(() => c.close());
  const secret = newSecret();
  const seriesId = await shareTo(c, `ws://127.0.0.1:${(denying.address() as AddressInfo).port}`, { secret });
  await until(() => logged.some((l) => l.includes('denied')), 'the denial to be logged');
  expect(JSON.parse(logged.find((l) => l.includes('denied'))!)).toMatchObject({
    level: 'warn',
    seriesId,
    msg: 'the relay denied access to the room',
  });
  expect(consoled).toEqual([]);
  expect(logged.join('')).not.toContain(secret);
});

/** Dana and Sam share a 1:1, both have it open, and Dana's window has said once who is here. */
async function presencePair() {
  const r = await relay();
  const dana = await person('Dana', r.url);
  const sam = await person('Sam', r.url);
  cleanup.push(
    () => dana.core.close(),
    () => sam.core.close(),
  );
  const { id: seriesId } = await dana.api.createSeries({ partnerName: 'Sam', kind: 'manager-report', myRole: 'manager' });
  await sam.api.acceptInvite({ code: (await dana.api.createInvite({ seriesId })).code });
  await dana.api.openSeries({ seriesId });
  await sam.api.openSeries({ seriesId });

  // Then the window stays still: nobody types or moves.
  const window = new Awareness(new Y.Doc());
  cleanup.push(async () => window.destroy());
  window.setLocalState({ user: { name: 'Dana' } });
  dana.api.sendAwareness(seriesId, encodeAwarenessUpdate(window, [window.clientID]));
  const danaHere = () => peopleIn(sam.core, seriesId).includes('person Dana');
  await until(danaHere, 'Sam to see Dana');
  return { r, dana, sam, seriesId, danaHere };
}

test('after the relay restarts, the other side sees the person again without anyone typing', async () => {
  const { r, sam, seriesId, danaHere } = await presencePair();
  await r.stop('SIGKILL');
  await until(() => !danaHere(), 'Dana to leave Sam’s presence while the relay is down');
  const restarted = await relay(r.dataDir, r.port);
  cleanup.push(() => restarted.stop());
  await until(() => sam.core.sync.state(seriesId).status === 'synced', 'Sam to reconnect');
  await until(danaHere, 'Sam to see Dana again');
});

test('after one side’s connection drops and comes back, the other side sees its person again without anyone typing', async () => {
  const { r, dana, seriesId, danaHere } = await presencePair();
  cleanup.push(() => r.stop());
  const provider = dana.core.sync.get(seriesId)!.provider;
  provider.disconnect();
  await until(() => !danaHere(), 'Dana to leave Sam’s presence while her connection is down');
  provider.connect();
  await until(danaHere, 'Sam to see Dana again');
});
