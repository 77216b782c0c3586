/**
 * What arrives from elsewhere — a relay's bytes, a peer's document content — is untrusted: it
 * may be refused or ignored, but it must never stop the core or hide the other 1:1s.
 */
import { expect, onTestFinished, test } from 'vitest';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { encodeInvite } from '../../../../src/shared/invites.js';
import { createLogger } from '../../../../src/node/log.js';
import { addAgendaItem } from '../../../../src/shared/domain/commands.js';
import { hasMeta, listAgenda, readMeta } from '../../../../src/shared/domain/series-doc.js';
import { openCore } from '../../helpers/core.js';
import { relay as relayProcess, until } from './sync-fixtures.js';

test('a relay sending malformed messages only loses its connection; the core keeps running', async () => {
  const relay = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  let connections = 0;
  relay.on('connection', (ws) => {
    connections++;
    ws.send(Uint8Array.from([100, 3, 0xff, 0xff, 0xff]));
    ws.send(new Uint8Array(0));
  });
  await new Promise((resolve) => relay.once('listening', resolve));
  const { port } = relay.address() as { port: number };
  const logged: string[] = [];
  const log = createLogger({ write: (line) => void logged.push(line) });
  const { core, api } = await openCore({ joinTimeoutMs: 1500, log });
  const room = crypto.randomUUID();
  const secret = 'a'.repeat(43);
  const { code } = encodeInvite({
    v: 1,
    relay: `ws://127.0.0.1:${port}`,
    room,
    secret,
    title: 'From a stranger',
    from: { name: 'Mallory' },
    role: 'peer',
  });
  await expect(api.acceptInvite({ code })).rejects.toMatchObject({ code: 'offline' });
  expect(connections).toBeGreaterThan(1); // it was dropped and retried, not crashed
  expect(await api.getProfile()).toMatchObject({ name: 'Dana' });
  // The injected logger says so, naming the 1:1 but not its secret.
  const warnings = logged.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === 'warn');
  expect(warnings[0]).toMatchObject({ seriesId: room, msg: 'closed a relay connection after a malformed message' });
  expect(logged.join('')).not.toContain(secret);
  await core.close();
  relay.close();
});

test('malformed content from a peer does not hide the 1:1s or stop the core', async () => {
  const { core, api } = await openCore({ projectionDebounceMs: 5 });
  const good = await api.createSeries({ partnerName: 'Sam', kind: 'peer' });
  const odd = await api.createSeries({ partnerName: 'Kim', kind: 'peer' });
  const replica = new Y.Doc();
  Y.applyUpdate(replica, await api.openSeries({ seriesId: odd.id }));
  const sent: Promise<void>[] = [];
  replica.on('update', (update: Uint8Array) => sent.push(api.sendDocUpdate(odd.id, update)));
  replica.getMap('meta').set('invitee', 'not a person');
  replica.getMap('meetings').set('x', 'not a meeting');
  replica.getMap('agenda').set('y', 42);
  await Promise.all(sent);
  // Listing waits for the projection of every change, the malformed ones included.
  const list = await api.listSeries();
  const shown = (id: string) => list.find((s) => s.id === id);
  expect(list).toHaveLength(2);
  expect(shown(good.id)).toMatchObject({ partnerName: 'Sam', kind: 'peer', openItemCount: 0 });
  // The malformed meetings and items are skipped; the 1:1 itself stays in the list.
  expect(shown(odd.id)).toMatchObject({ kind: 'peer', openItemCount: 0 });
  const stored = new Y.Doc();
  Y.applyUpdate(stored, await api.openSeries({ seriesId: odd.id }));
  expect(stored.getMap('meta').get('invitee')).toBe('not a person');
  // The other 1:1s go on being projected.
  await api.addAgendaItem({ seriesId: good.id, title: 'still listed' });
  expect((await api.listSeries()).find((s) => s.id === good.id)).toMatchObject({ openItemCount: 1 });
  await core.close();
});

test('a join settles exactly once when the 1:1 arrives from the relay in the same turn as another change', async () => {
  const server = await relayProcess();
  onTestFinished(async () => void (await server.stop()));
  const a = await openCore({ defaultRelay: { url: server.url } }, 'Ann');
  onTestFinished(() => a.core.close());
  const { id } = await a.api.createSeries({ partnerName: 'Dana', kind: 'peer' });
  await a.api.addAgendaItem({ seriesId: id, title: 'one' });
  const { code } = await a.api.createInvite({ seriesId: id });
  await server.stop();
  // Unused documents unload at the next turn: a join that released its hold twice would unload the connection's.
  const b = await openCore({ defaultRelay: { url: server.url }, idleUnloadMs: 0, joinTimeoutMs: 200 }, 'Dana');
  let bOpen = true;
  onTestFinished(async () => {
    if (bOpen) await b.core.close();
  });
  await expect(b.api.acceptInvite({ code })).rejects.toMatchObject({ code: 'offline' });
  // Dana adds an item the moment the 1:1 arrives: two updates before the join's queued check runs.
  b.core.docs.with(id, (doc) => {
    const typeAtOnce = () => {
      if (!hasMeta(doc)) return;
      doc.off('update', typeAtOnce);
      addAgendaItem(doc, { title: 'typed as it arrived' }, { now: new Date(), userId: 'dana' });
    };
    doc.on('update', typeAtOnce);
  });

  const again = await relayProcess(server.dataDir, server.port);
  onTestFinished(async () => void (await again.stop()));
  await until(async () => (await b.api.listSeries())[0]?.partnerName === 'Ann', 'the 1:1 to reach Dana');
  await a.api.addAgendaItem({ seriesId: id, title: 'later' });
  const titles = () => b.core.docs.with(id, listAgenda).map((i) => i.title);
  await until(() => titles().includes('later'), 'the later item to reach Dana');
  await until(async () => (await a.api.listSeries())[0]?.partnerName === 'Dana', 'Ann to see that Dana joined');
  const metrics = await (await fetch(`http://127.0.0.1:${again.port}/metrics`)).text();
  expect(metrics).not.toMatch(/^tandem_relay_connections_closed_total\{/m);
  await b.core.close();
  bOpen = false;

  const reopened = await openCore({ dataDir: b.dataDir, defaultRelay: { url: 'ws://127.0.0.1:9' } });
  onTestFinished(() => reopened.core.close());
  // Both were added after 'one' without seeing each other: they share a key, and their ids decide which comes first.
  expect(
    reopened.core.docs
      .with(id, listAgenda)
      .map((i) => i.title)
      .sort(),
  ).toEqual(['later', 'one', 'typed as it arrived']);
  expect(
    reopened.core.docs.with(id, (doc) =>
      Object.values(readMeta(doc).participants)
        .map((p) => p.name)
        .sort(),
    ),
  ).toEqual(['Ann', 'Dana']);
});
