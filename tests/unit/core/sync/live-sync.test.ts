import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { DATABASE_FILE } from '../../../../src/core/tandem-core.js';
import { listAgenda } from '../../../../src/shared/domain/series-doc.js';
import { addAgendaItem, editItemText } from '../../../../src/shared/domain/commands.js';
import { MESSAGE_STATE_VECTOR } from '../../../../src/shared/relay-protocol.js';
import { converged, edit, pair as pairOn, person, relay, share, until, type Person, stopsAfterEach } from './sync-fixtures.js';

const cleanup = stopsAfterEach();

const pair = () => pairOn(cleanup);

const syncOf = (p: Person, id: string) => p.core.sync.get(id)!;

describe('live sync through the relay', () => {
  test('joining from an invite brings the whole 1:1, and each side sees the other as the partner', async () => {
    const { a, b } = await pair();
    const seriesId = await a.api.createSeries({ partnerName: 'Sam', kind: 'manager-report', myRole: 'manager' }).then((s) => s.id);
    await a.api.addAgendaItem({ seriesId, title: 'Quarterly goals' });
    const invite = await a.api.createInvite({ seriesId });
    expect(invite.link).toBe(`tandem://join/${invite.code}`);

    const joined = await b.api.acceptInvite({ code: invite.link });
    expect(joined).toMatchObject({ id: seriesId, partnerName: 'Dana', myRole: 'report', openItemCount: 1 });
    await until(async () => (await a.api.listSeries())[0]?.partnerName === 'Sam', 'A to see B joined');
    await until(() => converged(a, b, seriesId), 'both sides to converge');
  });

  test('edits on either side reach the other live, and the sync state counts what the relay has not stored', async () => {
    const { a, b } = await pair();
    const seriesId = await share(a, b);
    await until(() => syncOf(a, seriesId).state().status === 'synced', 'A synced');
    const states: string[] = [];
    a.api.onEvent((e) => e.type === 'sync-state' && states.push(`${e.state.status}:${e.state.unsent}`));

    edit(a, seriesId, (doc) => addAgendaItem(doc, { title: 'From Dana' }, { now: new Date(), userId: 'a' }));
    edit(b, seriesId, (doc) => addAgendaItem(doc, { title: 'From Sam' }, { now: new Date(), userId: 'b' }));
    await until(() => converged(a, b, seriesId), 'both adds on both sides');
    expect(
      edit(a, seriesId, listAgenda)
        .map((i) => i.title)
        .sort(),
    ).toEqual(['From Dana', 'From Sam']);
    await until(() => syncOf(a, seriesId).state().unsent === 0, 'the relay to confirm A’s change');
    expect(states).toContain('synced:1');
    expect(states.at(-1)).toBe('synced:0');
  });

  test('an answer to an earlier query clears only the changes it covers, not one made while it was on its way', async () => {
    const { a, b } = await pair();
    const seriesId = await share(a, b);
    await until(() => syncOf(a, seriesId).state().status === 'synced', 'A synced');
    await until(() => syncOf(a, seriesId).state().unsent === 0, 'A to have nothing unsent');
    const sync = syncOf(a, seriesId);
    const states: number[] = [];
    a.api.onEvent((e) => e.type === 'sync-state' && states.push(e.state.unsent));
    // Right after the query for the first change leaves, make a second one: the answer to that query
    // is then stale, since the relay answers before it reads the second change.
    const ws = sync.provider.ws!;
    const send = ws.send.bind(ws);
    let queries = 0;
    ws.send = ((data: Uint8Array) => {
      send(data);
      if (data[0] === MESSAGE_STATE_VECTOR && ++queries === 1) {
        queueMicrotask(() => edit(a, seriesId, (doc) => addAgendaItem(doc, { title: 'Second' }, { now: new Date(), userId: 'a' })));
      }
    }) as typeof ws.send;

    edit(a, seriesId, (doc) => addAgendaItem(doc, { title: 'First' }, { now: new Date(), userId: 'a' }));
    await until(() => sync.state().unsent === 0, 'both changes to be confirmed');
    expect(states).toEqual([1, 2, 1, 0]);
    await until(() => converged(a, b, seriesId), 'B to have both');
  });

  test('a side that goes offline keeps editing, shows its unsent changes, and merges on reconnect', async () => {
    const { a, b } = await pair();
    const seriesId = await share(a, b);
    await until(() => converged(a, b, seriesId), 'initial sync');
    // Converged is not yet confirmed: B's own join changes must be stored before counting the offline ones.
    await until(() => syncOf(b, seriesId).state().unsent === 0, 'B’s join confirmed');
    syncOf(b, seriesId).provider.disconnect();
    await until(() => syncOf(b, seriesId).state().status === 'offline', 'B offline');

    const ids = edit(b, seriesId, (doc) =>
      [1, 2, 3].map((n) => addAgendaItem(doc, { title: `Offline ${n}` }, { now: new Date(), userId: 'b' })),
    );
    edit(b, seriesId, (doc) =>
      editItemText(doc, { itemId: ids[0]!, field: 'title', value: 'Offline one, renamed' }, { now: new Date(), userId: 'me' }),
    );
    edit(a, seriesId, (doc) => addAgendaItem(doc, { title: 'Online meanwhile' }, { now: new Date(), userId: 'a' }));
    expect(syncOf(b, seriesId).state()).toMatchObject({ status: 'offline', unsent: 4 });
    const states: string[] = [];
    b.api.onEvent((e) => e.type === 'sync-state' && states.push(`${e.state.status}:${e.state.unsent}`));

    syncOf(b, seriesId).provider.connect();
    await until(() => converged(a, b, seriesId), 'merge after reconnect');
    await until(() => syncOf(b, seriesId).state().unsent === 0, 'B’s offline changes confirmed');
    // Being synced again proves nothing about what the relay stored: only its answer clears the count.
    expect(states).toContain('synced:4');
    expect(states.at(-1)).toBe('synced:0');
    const titles = edit(a, seriesId, listAgenda).map((i) => i.title);
    expect(titles).toHaveLength(4);
    expect(new Set(titles)).toEqual(new Set(['Offline one, renamed', 'Offline 2', 'Offline 3', 'Online meanwhile']));
  });

  test('the relay keeps the room, so changes made while the other side is closed arrive later', async () => {
    const { r, a, b } = await pair();
    const seriesId = await share(a, b);
    await until(() => converged(a, b, seriesId), 'initial sync');
    await b.core.close();
    edit(a, seriesId, (doc) => addAgendaItem(doc, { title: 'Monday thought' }, { now: new Date(), userId: 'a' }));
    await until(() => syncOf(a, seriesId).state().unsent === 0, 'the relay to store Monday’s item');
    await a.core.close();

    const bAgain = await person('Sam', r.url, b.dataDir);
    cleanup.push(() => bAgain.core.close());
    await until(() => edit(bAgain, seriesId, listAgenda).some((i) => i.title === 'Monday thought'), 'B to get Monday’s item on Tuesday');
  });

  test('a relay killed mid-editing and restarted loses nothing, and both sides converge', async () => {
    const { r, a, b } = await pair();
    const seriesId = await share(a, b);
    await until(() => converged(a, b, seriesId), 'initial sync');
    for (let n = 0; n < 20; n++)
      edit(n % 2 ? a : b, seriesId, (doc) => addAgendaItem(doc, { title: `Before ${n}` }, { now: new Date(), userId: 'x' }));
    await until(() => converged(a, b, seriesId), 'edits before the crash');
    await r.stop('SIGKILL');
    for (let n = 0; n < 10; n++)
      edit(n % 2 ? a : b, seriesId, (doc) => addAgendaItem(doc, { title: `During ${n}` }, { now: new Date(), userId: 'x' }));
    await until(() => syncOf(a, seriesId).state().status === 'offline', 'A to notice the relay is gone');

    const again = await relay(r.dataDir, r.port);
    cleanup.push(() => again.stop());
    await until(() => converged(a, b, seriesId), 'convergence after the restart', 20_000);
    const titles = edit(b, seriesId, listAgenda).map((i) => i.title);
    expect(titles).toHaveLength(30);
    expect(new Set(titles).size).toBe(30);

    // The restarted relay has everything: a third device joining now gets all 30 items.
    const invite = await a.api.createInvite({ seriesId });
    const c = await person('Sam on a new laptop', again.url);
    cleanup.push(() => c.core.close());
    await c.api.acceptInvite({ code: invite.code });
    await until(() => edit(c, seriesId, listAgenda).length === 30, 'the new device to get all 30 items');
  });

  test('a join made while the relay is out of reach completes by itself once the 1:1 arrives', async () => {
    const { r, a } = await pair();
    await r.stop();
    const seriesId = await a.api.createSeries({ partnerName: 'Sam', kind: 'manager-report', myRole: 'manager' }).then((s) => s.id);
    const invite = await a.api.createInvite({ seriesId });
    const b = await person('Sam', r.url, undefined, 500);
    cleanup.push(() => b.core.close());
    await expect(b.api.acceptInvite({ code: invite.code })).rejects.toMatchObject({ code: 'offline' });
    expect(await b.api.listSeries()).toEqual([]);

    const again = await relay(r.dataDir, r.port);
    cleanup.push(() => again.stop());
    await until(async () => (await b.api.listSeries())[0]?.partnerName === 'Dana', 'the 1:1 to reach Sam');
    expect((await b.api.listSeries())[0]).toMatchObject({ id: seriesId, myRole: 'report' });
    await until(async () => (await a.api.listSeries())[0]?.partnerName === 'Sam', 'Dana to see that Sam joined');
  });

  test('a change that could not be saved reconnects the 1:1 over its copy on disk, and sync goes on', async () => {
    const { a, b } = await pair();
    const seriesId = await share(a, b);
    await until(() => converged(a, b, seriesId), 'initial sync');
    // Occupy the next log slot of B's document, so B's next save fails as a full disk would.
    const raw = new SQLite(join(b.dataDir, DATABASE_FILE));
    const { seq } = raw
      .prepare('select max(coalesce((select max(seq) from doc_updates where doc_id = ?), snapshot_seq)) as seq from docs where doc_id = ?')
      .get(seriesId, seriesId) as { seq: number };
    raw
      .prepare('insert into doc_updates (doc_id, seq, "update") values (?, ?, ?)')
      .run(seriesId, seq + 1, Y.encodeStateAsUpdate(new Y.Doc()));
    raw.close();

    edit(a, seriesId, (doc) => addAgendaItem(doc, { title: 'Arrives after a failed save' }, { now: new Date(), userId: 'a' }));
    await until(
      () => edit(b, seriesId, listAgenda).some((i) => i.title === 'Arrives after a failed save'),
      'B to get it on a fresh connection',
    );
    edit(a, seriesId, (doc) => addAgendaItem(doc, { title: 'And later ones too' }, { now: new Date(), userId: 'a' }));
    await until(() => converged(a, b, seriesId), 'both sides to converge again');
  });

  test('changing the relay in Settings moves the 1:1 there, and its next invite points there', async () => {
    const { r, a, b } = await pair();
    const seriesId = await share(a, b);
    await until(() => converged(a, b, seriesId), 'initial sync');
    const next = await relay();
    cleanup.push(() => next.stop());
    await a.api.setRelay({ url: next.url });
    const invite = await a.api.createInvite({ seriesId });
    expect(JSON.parse(Buffer.from(invite.code, 'base64url').toString())).toMatchObject({ relay: next.url });
    await b.api.acceptInvite({ code: invite.code });
    expect(syncOf(b, seriesId).share.relayUrl).toBe(next.url);
    await r.stop(); // the old relay is gone: only the new one can carry the next change
    edit(a, seriesId, (doc) => addAgendaItem(doc, { title: 'Through the new relay' }, { now: new Date(), userId: 'a' }));
    await until(() => converged(a, b, seriesId), 'both sides to converge through the new relay');
  });

  test('a restarted core answers at once and connects its shared 1:1s after, reporting them as connecting until then', async () => {
    const { a, b } = await pair();
    const seriesId = await share(a, b);
    await until(() => converged(a, b, seriesId), 'initial sync');
    await b.core.close();
    const bAgain = await person('Sam', 'ws://127.0.0.1:9', b.dataDir);
    cleanup.push(() => bAgain.core.close());
    expect(await bAgain.api.getSyncState({ seriesId })).toMatchObject({ status: 'connecting' });
    expect((await bAgain.api.listSeries()).map((s) => s.id)).toEqual([seriesId]);
    await until(async () => (await bAgain.api.getSyncState({ seriesId })).status === 'synced', 'B to reconnect');
  });
});
