import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  askStored,
  clientPool,
  closeCode,
  freePort,
  newRoom,
  newSecret,
  openSocket,
  spawnRelay,
  synced,
  tempDir,
  upgradeStatus,
  waitFor,
  type RelayProcess,
  SPAWNED_RELAY_TIMEOUT_MS,
} from './helpers.js';

function docRows(dataDir: string, room: string): { snapshot: boolean; updates: number } {
  const db = new SQLite(join(dataDir, 'relay.db'), { readonly: true });
  try {
    const doc = db.prepare('select snapshot from docs where doc_id = ?').get(room) as { snapshot: Buffer | null } | undefined;
    const { n } = db.prepare('select count(*) as n from doc_updates where doc_id = ?').get(room) as { n: number };
    return { snapshot: doc?.snapshot != null, updates: n };
  } finally {
    db.close();
  }
}

describe('room state survives the relay stopping', { timeout: SPAWNED_RELAY_TIMEOUT_MS }, () => {
  const dir = tempDir();
  const relays: RelayProcess[] = [];
  const clients = clientPool();

  afterEach(async () => {
    clients.destroyAll();
    for (const r of relays.splice(0)) await r.stop('SIGKILL');
  });

  const start = async (port: number, extra: string[] = []) => {
    const relay = await spawnRelay(['--port', String(port), '--data', dir.path, ...extra]);
    relays.push(relay);
    return relay;
  };
  const client = clients.connect;

  it('keeps everything across a graceful restart, compacted into a snapshot, and still requires the same secret', async () => {
    const room = newRoom();
    const secret = newSecret();
    const first = await start(0);
    const [a, b] = await clients.pair(first, room, secret);
    for (let i = 0; i < 50; i++) a.text.insert(a.text.length, `${i},`);
    await waitFor(() => b.text.length === a.text.length, 'B to have all of A’s edits');
    const expected = a.text.toString();
    a.destroy();
    b.destroy();

    expect(await first.stop('SIGTERM')).toBe(0);
    expect(docRows(dir.path, room)).toEqual({ snapshot: true, updates: 0 });

    const second = await start(0);
    expect(await upgradeStatus(`${second.url}/${room}?secret=${newSecret()}`)).toBe(403);
    const later = client(second, room, secret);
    await synced(later);
    expect(later.text.toString()).toBe(expected);
  });

  it('shuts down on SIGTERM with clients still connected: they are told 1001, the process exits 0, their edits are kept', async () => {
    const room = newRoom();
    const secret = newSecret();
    const first = await start(0);
    const [a, b] = await clients.pair(first, room, secret);
    a.text.insert(0, 'said just before shutdown');
    await waitFor(() => b.text.toString() === 'said just before shutdown', 'B to see it');
    const raw = await openSocket(`${first.url}/${room}?secret=${secret}`);
    const code = closeCode(raw);
    const started = Date.now();
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(await code).toBe(1001);
    // Well under ws's 30 s close timeout: the relay's own 2 s grace ended it, not a hung socket.
    expect(Date.now() - started).toBeLessThan(10_000);
    a.destroy();
    b.destroy();

    const second = await start(0);
    const later = client(second, room, secret);
    await synced(later);
    expect(later.text.toString()).toBe('said just before shutdown');
  });

  it.each(['full', 'normal'])(
    'loses nothing it confirmed when killed with SIGKILL mid-editing, and everyone converges after restart (synchronous=%s)',
    async (synchronous) => {
      const room = newRoom();
      const secret = newSecret();
      const port = await freePort();
      const first = await start(port, ['--synchronous', synchronous]);
      const [a, b] = await clients.pair(first, room, secret);

      let typed = 0;
      const typing = setInterval(() => a.text.insert(a.text.length, `a${typed++} `), 2);
      await waitFor(() => b.text.length > 300, 'B to receive a stream of edits');
      // How much of A's own edits the relay confirms it has stored.
      const confirmed = (await askStored(a).answered()).get(a.doc.clientID) ?? 0;
      first.child.kill('SIGKILL');
      await first.exited;
      const seenByB = b.text.toString();
      // A keeps typing and B edits while the relay is down; neither may reconnect until the fresh
      // client has read the restarted relay's disk, or they would simply re-upload what was lost.
      b.text.insert(0, '[B offline] ');
      await new Promise((r) => setTimeout(r, 50));
      clearInterval(typing);
      a.provider.disconnect();
      b.provider.disconnect();

      const second = await start(port);
      const fresh = client(second, room, secret);
      await synced(fresh);
      // Everything the relay confirmed as stored is on its disk; the rest is still held by A and B.
      expect(Y.decodeStateVector(Y.encodeStateVector(fresh.doc)).get(a.doc.clientID) ?? 0).toBeGreaterThanOrEqual(confirmed);
      const recovered = fresh.text.toString();
      expect(a.text.toString().startsWith(recovered)).toBe(true);
      expect(seenByB.startsWith(recovered.slice(0, Math.min(recovered.length, seenByB.length)))).toBe(true);

      a.provider.connect();
      b.provider.connect();
      await waitFor(
        () => a.text.toString() === b.text.toString() && b.text.toString() === fresh.text.toString(),
        'A, B and a fresh client to converge',
        10_000,
      );
      expect(fresh.text.toString()).toContain('[B offline] ');
      expect(fresh.text.toString()).toContain(`a${typed - 1} `);
    },
  );
});
