/**
 * Admission, decided before any upgrade: the operator's key first, then the room name, then the
 * room secret, which the first connection registers once its handshake has succeeded. Against the
 * relay's real SQLite file.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Gatekeeper } from '../../../server/auth.js';
import SQLite from 'better-sqlite3';
import { openSqliteStore, type SqliteRoomStore } from '../../../server/store/sqlite-thread.js';
import { newRoom, newSecret, tempDir } from './helpers.js';

const query = (params: Record<string, string>) => new URLSearchParams(params);

/** What the relay does for one connection whose handshake succeeds: admit, then register. */
async function enter(gate: Gatekeeper, path: string, params: URLSearchParams) {
  const admission = await gate.admit(path, params);
  if (!admission.ok) return admission;
  expect(await gate.register(admission)).toBe(true);
  return { ok: true, room: admission.room };
}

describe('Gatekeeper', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteRoomStore;
  /** relay.db as another connection sees it: what the store has committed. */
  let disk: SQLite.Database;

  beforeEach(async () => {
    dir = tempDir();
    store = await openSqliteStore(dir.path, 'normal');
    disk = new SQLite(store.file);
  });

  afterEach(async () => {
    disk.close();
    await store.close();
    dir.remove();
  });

  const storedHash = (room: string) =>
    (disk.prepare('select secret_hash from rooms where room = ?').get(room) as { secret_hash: Buffer } | undefined)?.secret_hash;

  test('the first connection to a room registers the sha256 of its secret; later ones must present the same secret', async () => {
    const gate = new Gatekeeper(store, undefined);
    const room = newRoom();
    const secret = newSecret();
    expect(await enter(gate, `/${room}`, query({ secret }))).toEqual({ ok: true, room });
    expect(storedHash(room)).toEqual(createHash('sha256').update(secret, 'utf8').digest());
    expect(await enter(gate, `/${room}`, query({ secret }))).toEqual({ ok: true, room });
    expect(await enter(gate, `/${room}`, query({ secret: newSecret() }))).toEqual({ ok: false, status: 403, reason: 'secret' });
    expect(await enter(gate, `/${room}`, query({ secret: secret.slice(0, -1) }))).toEqual({ ok: false, status: 403, reason: 'secret' });
    expect(storedHash(room)).toEqual(createHash('sha256').update(secret, 'utf8').digest());
  });

  test('a damaged stored hash refuses the room with 403 instead of failing the request', async () => {
    const gate = new Gatekeeper(store, undefined);
    const room = newRoom();
    const secret = newSecret();
    expect(await enter(gate, `/${room}`, query({ secret }))).toMatchObject({ ok: true });
    disk.prepare('update rooms set secret_hash = substr(secret_hash, 1, 31) where room = ?').run(room);
    expect(await enter(gate, `/${room}`, query({ secret }))).toEqual({ ok: false, status: 403, reason: 'secret' });
  });

  test('a missing, short or over-long secret is refused with 403 and registers nothing', async () => {
    const gate = new Gatekeeper(store, undefined);
    for (const params of [{}, { secret: 'x'.repeat(15) }, { secret: 'x'.repeat(513) }] as Record<string, string>[]) {
      const room = newRoom();
      expect(await enter(gate, `/${room}`, query(params))).toEqual({ ok: false, status: 403, reason: 'secret' });
      expect(storedHash(room)).toBeUndefined();
    }
    expect(await enter(gate, `/${newRoom()}`, query({ secret: 'x'.repeat(16) }))).toMatchObject({ ok: true });
    expect(await enter(gate, `/${newRoom()}`, query({ secret: 'x'.repeat(512) }))).toMatchObject({ ok: true });
  });

  test('a room name outside [A-Za-z0-9_.-]{1,128} is refused with 400 and registers nothing', async () => {
    const gate = new Gatekeeper(store, undefined);
    const secret = newSecret();
    for (const name of ['', 'a'.repeat(129), 'bad room', '!room', 'room!', 'a/b', '..%2fx']) {
      expect(await enter(gate, `/${name}`, query({ secret })), name).toEqual({ ok: false, status: 400, reason: 'bad-room' });
    }
    expect(disk.prepare('select count(*) as n from rooms').get()).toEqual({ n: 0 });
    for (const name of ['a', 'a'.repeat(128), 'Room_1.2-3'])
      expect(await enter(gate, `/${name}`, query({ secret }))).toEqual({ ok: true, room: name });
  });

  test('with an operator key set, a missing or wrong key is refused with 401 before the room is looked at', async () => {
    const key = 'operator-' + newSecret();
    const gate = new Gatekeeper(store, key);
    const room = newRoom();
    const secret = newSecret();
    expect(await enter(gate, `/${room}`, query({ secret }))).toEqual({ ok: false, status: 401, reason: 'key' });
    expect(await enter(gate, `/${room}`, query({ secret, key: key + 'x' }))).toEqual({ ok: false, status: 401, reason: 'key' });
    expect(await enter(gate, `/${room}`, query({ secret, key: '' }))).toEqual({ ok: false, status: 401, reason: 'key' });
    expect(await enter(gate, '/not a room', query({ secret }))).toEqual({ ok: false, status: 401, reason: 'key' });
    expect(storedHash(room)).toBeUndefined();
    expect(await enter(gate, `/${room}`, query({ secret, key }))).toEqual({ ok: true, room });
  });

  test('an empty operator key is still a key: only an empty key passes', async () => {
    const gate = new Gatekeeper(store, '');
    const secret = newSecret();
    expect(await enter(gate, `/${newRoom()}`, query({ secret, key: 'anything' }))).toEqual({ ok: false, status: 401, reason: 'key' });
    expect(await enter(gate, `/${newRoom()}`, query({ secret }))).toMatchObject({ ok: true });
  });

  test('admitting registers nothing: a handshake that then fails leaves the room free for its owner', async () => {
    const gate = new Gatekeeper(store, undefined);
    const room = newRoom();
    const squatter = await gate.admit(`/${room}`, query({ secret: newSecret() }));
    expect(squatter).toMatchObject({ ok: true, room });
    expect(storedHash(room)).toBeUndefined();
    const owner = newSecret();
    expect(await enter(gate, `/${room}`, query({ secret: owner }))).toEqual({ ok: true, room });
    // Two handshakes admitted in the same instant: the second to register loses.
    expect(squatter.ok && (await gate.register(squatter))).toBe(false);
    expect(storedHash(room)).toEqual(createHash('sha256').update(owner, 'utf8').digest());
  });
});
