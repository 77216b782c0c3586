/**
 * Admission, decided before any upgrade: the operator's key first, then the room name, then the
 * room secret, which the first connection registers once its handshake has succeeded. Against the
 * relay's real SQLite file.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Gatekeeper } from '../../../server/auth.js';
import { openRelayStore, type RelayStore } from '../../../server/store.js';
import { newRoom, newSecret, tempDir } from './helpers.js';

const query = (params: Record<string, string>) => new URLSearchParams(params);

/** What the relay does for one connection whose handshake succeeds: admit, then register. */
function enter(gate: Gatekeeper, path: string, params: URLSearchParams) {
  const admission = gate.admit(path, params);
  if (!admission.ok) return admission;
  expect(gate.register(admission)).toBe(true);
  return { ok: true, room: admission.room };
}

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
    expect(enter(gate, `/${room}`, query({ secret }))).toEqual({ ok: true, room });
    expect(storedHash(room)).toEqual(createHash('sha256').update(secret, 'utf8').digest());
    expect(enter(gate, `/${room}`, query({ secret }))).toEqual({ ok: true, room });
    expect(enter(gate, `/${room}`, query({ secret: newSecret() }))).toEqual({ ok: false, status: 403, reason: 'secret' });
    expect(enter(gate, `/${room}`, query({ secret: secret.slice(0, -1) }))).toEqual({ ok: false, status: 403, reason: 'secret' });
    expect(storedHash(room)).toEqual(createHash('sha256').update(secret, 'utf8').digest());
  });

  test('a damaged stored hash refuses the room with 403 instead of failing the request', () => {
    const gate = new Gatekeeper(store.sqlite, undefined);
    const room = newRoom();
    const secret = newSecret();
    expect(enter(gate, `/${room}`, query({ secret }))).toMatchObject({ ok: true });
    store.sqlite.prepare('update rooms set secret_hash = substr(secret_hash, 1, 31) where room = ?').run(room);
    expect(enter(gate, `/${room}`, query({ secret }))).toEqual({ ok: false, status: 403, reason: 'secret' });
  });

  test('a missing, short or over-long secret is refused with 403 and registers nothing', () => {
    const gate = new Gatekeeper(store.sqlite, undefined);
    for (const params of [{}, { secret: 'x'.repeat(15) }, { secret: 'x'.repeat(513) }] as Record<string, string>[]) {
      const room = newRoom();
      expect(enter(gate, `/${room}`, query(params))).toEqual({ ok: false, status: 403, reason: 'secret' });
      expect(storedHash(room)).toBeUndefined();
    }
    expect(enter(gate, `/${newRoom()}`, query({ secret: 'x'.repeat(16) }))).toMatchObject({ ok: true });
    expect(enter(gate, `/${newRoom()}`, query({ secret: 'x'.repeat(512) }))).toMatchObject({ ok: true });
  });

  test('a room name outside [A-Za-z0-9_.-]{1,128} is refused with 400 and registers nothing', () => {
    const gate = new Gatekeeper(store.sqlite, undefined);
    const secret = newSecret();
    for (const name of ['', 'a'.repeat(129), 'bad room', '!room', 'room!', 'a/b', '..%2fx']) {
      expect(enter(gate, `/${name}`, query({ secret })), name).toEqual({ ok: false, status: 400, reason: 'bad-room' });
    }
    expect(store.sqlite.prepare('select count(*) as n from rooms').get()).toEqual({ n: 0 });
    for (const name of ['a', 'a'.repeat(128), 'Room_1.2-3'])
      expect(enter(gate, `/${name}`, query({ secret }))).toEqual({ ok: true, room: name });
  });

  test('with an operator key set, a missing or wrong key is refused with 401 before the room is looked at', () => {
    const key = 'operator-' + newSecret();
    const gate = new Gatekeeper(store.sqlite, key);
    const room = newRoom();
    const secret = newSecret();
    expect(enter(gate, `/${room}`, query({ secret }))).toEqual({ ok: false, status: 401, reason: 'key' });
    expect(enter(gate, `/${room}`, query({ secret, key: key + 'x' }))).toEqual({ ok: false, status: 401, reason: 'key' });
    expect(enter(gate, `/${room}`, query({ secret, key: '' }))).toEqual({ ok: false, status: 401, reason: 'key' });
    expect(enter(gate, '/not a room', query({ secret }))).toEqual({ ok: false, status: 401, reason: 'key' });
    expect(storedHash(room)).toBeUndefined();
    expect(enter(gate, `/${room}`, query({ secret, key }))).toEqual({ ok: true, room });
  });

  test('an empty operator key is still a key: only an empty key passes', () => {
    const gate = new Gatekeeper(store.sqlite, '');
    const secret = newSecret();
    expect(enter(gate, `/${newRoom()}`, query({ secret, key: 'anything' }))).toEqual({ ok: false, status: 401, reason: 'key' });
    expect(enter(gate, `/${newRoom()}`, query({ secret }))).toMatchObject({ ok: true });
  });

  test('admitting registers nothing: a handshake that then fails leaves the room free for its owner', () => {
    const gate = new Gatekeeper(store.sqlite, undefined);
    const room = newRoom();
    const squatter = gate.admit(`/${room}`, query({ secret: newSecret() }));
    expect(squatter).toMatchObject({ ok: true, room });
    expect(storedHash(room)).toBeUndefined();
    const owner = newSecret();
    expect(enter(gate, `/${room}`, query({ secret: owner }))).toEqual({ ok: true, room });
    // Two handshakes admitted in the same instant: the second to register loses.
    expect(squatter.ok && gate.register(squatter)).toBe(false);
    expect(storedHash(room)).toEqual(createHash('sha256').update(owner, 'utf8').digest());
  });

  test('rooms registered long ago that never stored a document expire, unless in use; rooms with a document never do', () => {
    const gate = new Gatekeeper(store.sqlite, undefined);
    const [abandoned, open, written] = [newRoom(), newRoom(), newRoom()];
    for (const room of [abandoned, open, written]) enter(gate, `/${room}`, query({ secret: newSecret() }));
    store.updateLog.create(written, 'relay-room');
    store.updateLog.append(written, 1, new Uint8Array([0, 0]));
    expect(gate.expireEmpty(new Date(Date.now() - 60_000), () => false)).toBe(0);
    const later = new Date(Date.now() + 60_000);
    expect(gate.expireEmpty(later, (room) => room === open)).toBe(1);
    expect(storedHash(abandoned)).toBeUndefined();
    for (const room of [open, written]) expect(storedHash(room)).toBeDefined();
    expect(gate.expireEmpty(later, () => false)).toBe(1);
    expect(storedHash(open)).toBeUndefined();
    expect(storedHash(written)).toBeDefined();
  });

  test('rooms nobody has used since the expiry are deleted with their document, unless in use', () => {
    const gate = new Gatekeeper(store.sqlite, undefined);
    const [stale, open] = [newRoom(), newRoom()];
    for (const room of [stale, open]) {
      enter(gate, `/${room}`, query({ secret: newSecret() }));
      store.updateLog.create(room, 'relay-room');
      store.updateLog.append(room, 1, new Uint8Array([0, 0]));
    }
    expect(gate.expireUnused(new Date(Date.now() - 60_000), () => false)).toBe(0);
    expect(gate.expireUnused(new Date(Date.now() + 60_000), (room) => room === open)).toBe(1);
    expect(storedHash(stale)).toBeUndefined();
    expect(store.updateLog.exists(stale)).toBe(false);
    expect(store.sqlite.prepare('select count(*) as n from doc_updates where doc_id = ?').get(stale)).toEqual({ n: 0 });
    expect(store.updateLog.exists(open)).toBe(true);
  });
});
