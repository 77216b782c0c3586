/**
 * Admission, decided before any upgrade: the operator's key first, then the room name, then the
 * room secret, which the first admitted connection registers. Against the relay's real SQLite file.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Gatekeeper } from '../../../server/auth.js';
import { openRelayStore, type RelayStore } from '../../../server/store.js';
import { newRoom, newSecret, tempDir } from './helpers.js';

const query = (params: Record<string, string>) => new URLSearchParams(params);

describe('Gatekeeper', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: RelayStore;

  beforeEach(async () => {
    dir = tempDir();
    store = await openRelayStore(dir.path, 'normal');
  });

  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  const storedHash = (room: string) =>
    (store.sqlite.prepare('select secret_hash from rooms where room = ?').get(room) as { secret_hash: Buffer } | undefined)?.secret_hash;

  test('the first connection to a room registers the sha256 of its secret; later ones must present the same secret', () => {
    const gate = new Gatekeeper(store.sqlite, undefined);
    const room = newRoom();
    const secret = newSecret();
    expect(gate.admit(`/${room}`, query({ secret }))).toEqual({ ok: true, room });
    expect(storedHash(room)).toEqual(createHash('sha256').update(secret, 'utf8').digest());
    expect(gate.admit(`/${room}`, query({ secret }))).toEqual({ ok: true, room });
    expect(gate.admit(`/${room}`, query({ secret: newSecret() }))).toEqual({ ok: false, status: 403, reason: 'secret' });
    expect(gate.admit(`/${room}`, query({ secret: secret.slice(0, -1) }))).toEqual({ ok: false, status: 403, reason: 'secret' });
    expect(storedHash(room)).toEqual(createHash('sha256').update(secret, 'utf8').digest());
  });

  test('a damaged stored hash refuses the room with 403 instead of failing the request', () => {
    const gate = new Gatekeeper(store.sqlite, undefined);
    const room = newRoom();
    const secret = newSecret();
    expect(gate.admit(`/${room}`, query({ secret }))).toMatchObject({ ok: true });
    store.sqlite.prepare('update rooms set secret_hash = substr(secret_hash, 1, 31) where room = ?').run(room);
    expect(gate.admit(`/${room}`, query({ secret }))).toEqual({ ok: false, status: 403, reason: 'secret' });
  });

  test('a missing, short or over-long secret is refused with 403 and registers nothing', () => {
    const gate = new Gatekeeper(store.sqlite, undefined);
    for (const params of [{}, { secret: 'x'.repeat(15) }, { secret: 'x'.repeat(513) }] as Record<string, string>[]) {
      const room = newRoom();
      expect(gate.admit(`/${room}`, query(params))).toEqual({ ok: false, status: 403, reason: 'secret' });
      expect(storedHash(room)).toBeUndefined();
    }
    expect(gate.admit(`/${newRoom()}`, query({ secret: 'x'.repeat(16) }))).toMatchObject({ ok: true });
    expect(gate.admit(`/${newRoom()}`, query({ secret: 'x'.repeat(512) }))).toMatchObject({ ok: true });
  });

  test('a room name outside [A-Za-z0-9_.-]{1,128} is refused with 400 and registers nothing', () => {
    const gate = new Gatekeeper(store.sqlite, undefined);
    const secret = newSecret();
    for (const name of ['', 'a'.repeat(129), 'bad room', '!room', 'room!', 'a/b', '..%2fx']) {
      expect(gate.admit(`/${name}`, query({ secret })), name).toEqual({ ok: false, status: 400, reason: 'bad-room' });
    }
    expect(store.sqlite.prepare('select count(*) as n from rooms').get()).toEqual({ n: 0 });
    for (const name of ['a', 'a'.repeat(128), 'Room_1.2-3'])
      expect(gate.admit(`/${name}`, query({ secret }))).toEqual({ ok: true, room: name });
  });

  test('with an operator key set, a missing or wrong key is refused with 401 before the room is looked at', () => {
    const key = 'operator-' + newSecret();
    const gate = new Gatekeeper(store.sqlite, key);
    const room = newRoom();
    const secret = newSecret();
    expect(gate.admit(`/${room}`, query({ secret }))).toEqual({ ok: false, status: 401, reason: 'key' });
    expect(gate.admit(`/${room}`, query({ secret, key: key + 'x' }))).toEqual({ ok: false, status: 401, reason: 'key' });
    expect(gate.admit(`/${room}`, query({ secret, key: '' }))).toEqual({ ok: false, status: 401, reason: 'key' });
    expect(gate.admit('/not a room', query({ secret }))).toEqual({ ok: false, status: 401, reason: 'key' });
    expect(storedHash(room)).toBeUndefined();
    expect(gate.admit(`/${room}`, query({ secret, key }))).toEqual({ ok: true, room });
  });

  test('an empty operator key is still a key: only an empty key passes', () => {
    const gate = new Gatekeeper(store.sqlite, '');
    const secret = newSecret();
    expect(gate.admit(`/${newRoom()}`, query({ secret, key: 'anything' }))).toEqual({ ok: false, status: 401, reason: 'key' });
    expect(gate.admit(`/${newRoom()}`, query({ secret }))).toMatchObject({ ok: true });
  });
});
