import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type Relay } from '../../../server/relay.js';
import { connectClient, memoryLogger, newRoom, newSecret, synced, tempDir, upgradeStatus, waitFor } from './helpers.js';

const KEY = 'operator-key-' + newSecret();

describe('relay admission (with an operator key)', () => {
  const dir = tempDir();
  const log = memoryLogger();
  let relay: Relay;
  const secretsUsed: string[] = [KEY];
  const roomUrl = (room: string, params: Record<string, string>) => `${relay.url}/${room}?${new URLSearchParams(params)}`;

  beforeAll(async () => {
    relay = await startRelay({ port: 0, data: dir.path, key: KEY }, log.logger);
  });

  afterAll(async () => {
    await relay.close();
    dir.remove();
  });

  const secret = () => {
    const s = newSecret();
    secretsUsed.push(s);
    return s;
  };

  it('admits the first connection to a room and registers only the sha256 of its secret', async () => {
    const room = newRoom();
    const s = secret();
    expect(await upgradeStatus(roomUrl(room, { secret: s, key: KEY }))).toBe(101);
    const db = new SQLite(join(dir.path, 'relay.db'), { readonly: true });
    const row = db.prepare('select secret_hash from rooms where room = ?').get(room) as { secret_hash: Buffer } | undefined;
    db.close();
    expect(row?.secret_hash.equals(createHash('sha256').update(s).digest())).toBe(true);
  });

  it('refuses a wrong room secret with HTTP 403 before the upgrade, and still admits the right one', async () => {
    const room = newRoom();
    const s = secret();
    expect(await upgradeStatus(roomUrl(room, { secret: s, key: KEY }))).toBe(101);
    expect(await upgradeStatus(roomUrl(room, { secret: secret(), key: KEY }))).toBe(403);
    expect(await upgradeStatus(roomUrl(room, { secret: s.slice(0, -1) + (s.endsWith('A') ? 'B' : 'A'), key: KEY }))).toBe(403);
    expect(await upgradeStatus(roomUrl(room, { secret: s, key: KEY }))).toBe(101);
  });

  it('refuses a missing or too short secret with 403', async () => {
    expect(await upgradeStatus(roomUrl(newRoom(), { key: KEY }))).toBe(403);
    expect(await upgradeStatus(roomUrl(newRoom(), { secret: 'short', key: KEY }))).toBe(403);
  });

  it('refuses a missing or wrong operator key with 401, before looking at the room', async () => {
    const room = newRoom();
    const s = secret();
    expect(await upgradeStatus(roomUrl(room, { secret: s }))).toBe(401);
    expect(await upgradeStatus(roomUrl(room, { secret: s, key: KEY + 'x' }))).toBe(401);
    expect(await upgradeStatus(roomUrl('not a room!', { secret: s }))).toBe(401);
  });

  it('refuses a path that is not a valid room name with 400', async () => {
    expect(await upgradeStatus(roomUrl('a'.repeat(129), { secret: secret(), key: KEY }))).toBe(400);
    expect(await upgradeStatus(`${relay.url}/?secret=${secret()}&key=${KEY}`)).toBe(400);
  });

  it('lets a stock client holding the right key and secret sync, and a wrong secret never sees the text', async () => {
    const room = newRoom();
    const s = secret();
    const a = connectClient(relay.url, room, { secret: s, key: KEY });
    const b = connectClient(relay.url, room, { secret: s, key: KEY });
    const intruder = connectClient(relay.url, room, { secret: secret(), key: KEY });
    let refusals = 0;
    intruder.provider.on('connection-close', () => refusals++);
    try {
      await Promise.all([synced(a), synced(b)]);
      a.text.insert(0, 'private agenda');
      await waitFor(() => b.text.toString() === 'private agenda', 'B to see the text');
      // The intruder keeps retrying; one more refusal after the text was written shows it never got in.
      const before = refusals;
      await waitFor(() => refusals > before, 'the intruder to be refused again');
      expect(intruder.provider.synced).toBe(false);
      expect(intruder.text.toString()).toBe('');
    } finally {
      for (const c of [a, b, intruder]) c.destroy();
    }
  });

  it('never writes a room secret or the operator key to its output or its database file', async () => {
    await relay.close();
    const output = log.text();
    expect(output).toContain('"msg":"upgrade refused"');
    expect(output).toContain('"status":403');
    const db = readFileSync(join(dir.path, 'relay.db')).toString('latin1');
    for (const s of secretsUsed) {
      expect(output).not.toContain(s);
      expect(db).not.toContain(s);
    }
  });
});
