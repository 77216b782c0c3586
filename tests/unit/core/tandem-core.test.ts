import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { TandemError } from '../../../src/shared/errors.js';
import { itemText, listAgenda, meetingNotes, meetingsMap, nextMeeting } from '../../../src/shared/domain/series-doc.js';
import { addAgendaItem, moveAgendaItem, setItemState } from '../../../src/shared/domain/commands.js';
import { TandemCore } from '../../../src/core/tandem-core.js';
import { openCore, rawDb, tempDir, updateRows } from '../helpers/core.js';
import { halfValidUpdate } from '../helpers/updates.js';

const stateOf = (update: Uint8Array): Y.Doc => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc;
};

/** Makes a change on a replica of the series and returns the update it produced. */
function edit(replica: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const record = (u: Uint8Array) => updates.push(u);
  replica.on('update', record);
  change(replica);
  replica.off('update', record);
  return Y.mergeUpdates(updates);
}

function writeNotes(doc: Y.Doc, text: string): void {
  const meeting = nextMeeting(doc)!;
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  meetingNotes(doc, meeting.id).insert(0, [paragraph]);
}

describe('documents persist across reopening the core', () => {
  test('agenda edits, states, order and notes made through a replica are all there after a restart', async () => {
    const { core, api, dataDir } = await openCore();
    const s = await api.createSeries({ partnerName: 'Sam', kind: 'manager-report', myRole: 'manager' });
    const replica = stateOf(await api.openSeries({ seriesId: s.id }));
    const update = edit(replica, (doc) => {
      const a = addAgendaItem(doc, { title: 'Career' }, { now: new Date(), userId: 'me' });
      addAgendaItem(doc, { title: 'Feedback' }, { now: new Date(), userId: 'me' });
      moveAgendaItem(doc, { itemId: a, toIndex: 1 }, { now: new Date(), userId: 'me' });
      setItemState(doc, { itemId: a, state: 'discussed' }, { now: new Date(), userId: 'me' });
      itemText(doc, a, 'context').insert(0, 'wants to lead the next project');
      writeNotes(doc, 'Talked about the roadmap.');
    });
    await api.sendDocUpdate(s.id, update);
    const before = Y.encodeStateVector(replica);
    await core.close();

    const again = await openCore({ dataDir });
    const reopened = stateOf(await again.api.openSeries({ seriesId: s.id }));
    expect(Y.encodeStateVector(reopened)).toEqual(before);
    expect(listAgenda(reopened)).toEqual(listAgenda(replica));
    expect(meetingsMap(reopened).toJSON()).toEqual(meetingsMap(replica).toJSON());
    expect(meetingNotes(reopened, nextMeeting(reopened)!.id).toString()).toContain('Talked about the roadmap.');
    await again.core.close();
  });

  test('the profile and the list of 1:1s survive a restart', async () => {
    const { core, api, dataDir } = await openCore({}, 'Robin');
    await api.createSeries({ partnerName: 'Ada', kind: 'peer' });
    await api.createSeries({ partnerName: 'Bo', kind: 'skip-level', myRole: 'report' });
    const list = await api.listSeries();
    const profile = await api.getProfile();
    await core.close();

    const again = await openCore({ dataDir });
    expect(await again.api.getProfile()).toEqual(profile);
    expect(await again.api.listSeries()).toEqual(list);
    await again.core.close();
  });

  test('a restart with a small compaction threshold keeps every item', async () => {
    const { core, api, dataDir } = await openCore({ compactAfter: 3 });
    const s = await api.createSeries({ partnerName: 'Sam', kind: 'peer' });
    for (let i = 0; i < 10; i++) await api.addAgendaItem({ seriesId: s.id, title: `item ${i}` });
    await core.close();

    const again = await openCore({ dataDir, compactAfter: 3 });
    const doc = stateOf(await again.api.openSeries({ seriesId: s.id }));
    expect(listAgenda(doc).map((i) => i.title)).toEqual(Array.from({ length: 10 }, (_, i) => `item ${i}`));
    expect((await again.api.listSeries())[0]!.openItemCount).toBe(10);
    await again.core.close();
  });
});

describe('two sessions on one core', () => {
  test('an update sent by one reaches the other and is not echoed back to its sender', async () => {
    const { core, api: a } = await openCore();
    const b = core.connect();
    const s = await a.createSeries({ partnerName: 'Sam', kind: 'peer' });
    const replicaA = stateOf(await a.openSeries({ seriesId: s.id }));
    const replicaB = stateOf(await b.openSeries({ seriesId: s.id }));
    const toA: Uint8Array[] = [];
    const toB: Uint8Array[] = [];
    a.onDocUpdate((id, u) => id === s.id && toA.push(u));
    b.onDocUpdate((id, u) => id === s.id && toB.push(u));

    const update = edit(replicaA, (doc) => addAgendaItem(doc, { title: 'From A' }, { now: new Date(), userId: 'a' }));
    await a.sendDocUpdate(s.id, update);

    expect(toA).toEqual([]);
    expect(toB).toHaveLength(1);
    for (const u of toB) Y.applyUpdate(replicaB, u);
    expect(listAgenda(replicaB).map((i) => i.title)).toEqual(['From A']);
    await core.close();
  });

  test('a session that does not have the series open receives nothing for it', async () => {
    const { core, api: a } = await openCore();
    const b = core.connect();
    const s = await a.createSeries({ partnerName: 'Sam', kind: 'peer' });
    await a.openSeries({ seriesId: s.id });
    const received: string[] = [];
    b.onDocUpdate((id) => received.push(id));
    await a.addAgendaItem({ seriesId: s.id, title: 'x' });
    expect(received).toEqual([]);
    await core.close();
  });

  test('sendDocUpdate resolves only once the update is a row of doc_updates', async () => {
    const { core, api, dbFile } = await openCore();
    const s = await api.createSeries({ partnerName: 'Sam', kind: 'peer' });
    const replica = stateOf(await api.openSeries({ seriesId: s.id }));
    const rowsBefore = updateRows(dbFile, s.id);
    const update = edit(replica, (doc) => addAgendaItem(doc, { title: 'Durable' }, { now: new Date(), userId: 'me' }));

    await api.sendDocUpdate(s.id, update);
    const rows = updateRows(dbFile, s.id);
    expect(rows).toHaveLength(rowsBefore.length + 1);
    expect(new Uint8Array(rows.at(-1)!.update)).toEqual(update);
    await core.close();
  });

  test('addAgendaItem resolves only once the item is a row of doc_updates', async () => {
    const { core, api, dbFile } = await openCore();
    const s = await api.createSeries({ partnerName: 'Sam', kind: 'peer' });
    const before = updateRows(dbFile, s.id).length;
    await api.addAgendaItem({ seriesId: s.id, title: 'Quick add' });
    const rows = updateRows(dbFile, s.id);
    expect(rows).toHaveLength(before + 1);
    const doc = new Y.Doc();
    // The snapshot may be empty (nothing compacted yet): the log alone must rebuild the item.
    for (const r of rows) Y.applyUpdate(doc, r.update);
    expect(listAgenda(doc).map((i) => i.title)).toEqual(['Quick add']);
    await core.close();
  });
});

describe('idle unload', () => {
  test('a closed series is unloaded after idleUnloadMs, compacted, and reopens with everything', async () => {
    const { core, api, dataDir, dbFile } = await openCore({ idleUnloadMs: 20 });
    const s = await api.createSeries({ partnerName: 'Sam', kind: 'peer' });
    await api.openSeries({ seriesId: s.id });
    await api.addAgendaItem({ seriesId: s.id, title: 'Stays' });
    await api.closeSeries({ seriesId: s.id });
    await api.listSeries(); // the projection holds the doc briefly too
    await expect.poll(() => core.docs.isLoaded(s.id), { timeout: 2000, interval: 10 }).toBe(false);
    expect(updateRows(dbFile, s.id)).toEqual([]);

    const doc = stateOf(await api.openSeries({ seriesId: s.id }));
    expect(listAgenda(doc).map((i) => i.title)).toEqual(['Stays']);
    await core.close();
    const again = await openCore({ dataDir });
    expect(listAgenda(stateOf(await again.api.openSeries({ seriesId: s.id }))).map((i) => i.title)).toEqual(['Stays']);
    await again.core.close();
  });

  test('an open series stays loaded however long it is idle', async () => {
    const { core, api } = await openCore({ idleUnloadMs: 10 });
    const s = await api.createSeries({ partnerName: 'Sam', kind: 'peer' });
    await api.openSeries({ seriesId: s.id });
    await new Promise((r) => setTimeout(r, 60));
    expect(core.docs.isLoaded(s.id)).toBe(true);
    await core.close();
  });
});

describe('the session validates every input', () => {
  const invalid = async (call: Promise<unknown>, ...fields: RegExp[]) => {
    const error = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TandemError);
    expect((error as TandemError).code).toBe('invalid-input');
    for (const f of fields) expect((error as TandemError).message).toMatch(f);
  };

  test('bad inputs are rejected with invalid-input and a sentence about the action, and the core keeps working', async () => {
    const { core, api } = await openCore();
    await invalid(api.setProfile({ name: '' }), /^Please enter a name\.$/);
    await invalid(api.createSeries({ partnerName: '', kind: 'peer' }), /^Please enter a name\.$/);
    await invalid(api.createSeries({ partnerName: 'Sam', kind: 'boss' } as never), /^Something in that request is not valid \(kind: /);
    await invalid(
      api.createSeries({ partnerName: 'Sam', kind: 'manager-report' }),
      /^Choose whether you are the manager or the report in this 1:1\.$/,
    );
    await invalid(api.createSeries({ partnerName: 'Sam', kind: 'peer', extra: 1 } as never), /extra/);
    await invalid(api.openSeries({ seriesId: 'not-a-uuid' }), /^That 1:1 or item could not be found \(its id is not valid\)\.$/);
    await invalid(
      api.addAgendaItem({ seriesId: crypto.randomUUID(), title: 'x'.repeat(501) }),
      /^An item title can be at most 500 characters\.$/,
    );
    await invalid(api.sendDocUpdate('nope', new Uint8Array([0, 0])), /^That 1:1 or item could not be found/);
    await invalid(api.setRelay({ url: 'ftp://x' }), /^That doesn't look like a relay address: it should start with ws:\/\/ or wss:\/\/\.$/);

    expect(await api.listSeries()).toEqual([]);
    const s = await api.createSeries({ partnerName: 'Sam', kind: 'peer' });
    expect((await api.listSeries()).map((x) => x.id)).toEqual([s.id]);
    await core.close();
  });

  test('a well-formed id of no series is not-found', async () => {
    const { core, api } = await openCore();
    const missing = crypto.randomUUID();
    await expect(api.openSeries({ seriesId: missing })).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringContaining(missing),
    });
    await expect(api.addAgendaItem({ seriesId: missing, title: 'x' })).rejects.toMatchObject({ code: 'not-found' });
    await core.close();
  });

  test('an update for a series not open in this session is refused and not stored', async () => {
    const { core, api, dbFile } = await openCore();
    const s = await api.createSeries({ partnerName: 'Sam', kind: 'peer' });
    const replica = stateOf(await core.connect().openSeries({ seriesId: s.id }));
    const before = updateRows(dbFile, s.id);
    const update = edit(replica, (doc) => addAgendaItem(doc, { title: 'sneaky' }, { now: new Date(), userId: 'x' }));
    await invalid(api.sendDocUpdate(s.id, update), /not open/);
    expect(updateRows(dbFile, s.id)).toEqual(before);
    await core.close();
  });

  test('an update that does not decode is refused, nothing is stored, and the series stays usable', async () => {
    const { core, api, dbFile } = await openCore();
    const s = await api.createSeries({ partnerName: 'Sam', kind: 'peer' });
    await api.openSeries({ seriesId: s.id });
    const before = updateRows(dbFile, s.id);
    await invalid(api.sendDocUpdate(s.id, new Uint8Array([255, 255, 255, 255])), /does not decode/);
    expect(updateRows(dbFile, s.id)).toEqual(before);
    await api.addAgendaItem({ seriesId: s.id, title: 'still fine' });
    expect((await api.listSeries())[0]!.openItemCount).toBe(1);
    await core.close();
  });

  test('an update whose structs decode but whose delete set is cut short is refused whole: nothing applied, stored or forwarded', async () => {
    const { core, api, dbFile } = await openCore();
    const other = core.connect();
    const s = await api.createSeries({ partnerName: 'Sam', kind: 'peer' });
    const replica = stateOf(await api.openSeries({ seriesId: s.id }));
    await other.openSeries({ seriesId: s.id });
    const forwarded: Uint8Array[] = [];
    other.onDocUpdate((_, u) => forwarded.push(u));
    const before = updateRows(dbFile, s.id);
    const update = edit(replica, (doc) => addAgendaItem(doc, { title: 'half an update' }, { now: new Date(), userId: 'me' }));

    await invalid(api.sendDocUpdate(s.id, halfValidUpdate(update)), /does not decode/);
    expect(updateRows(dbFile, s.id)).toEqual(before);
    expect(forwarded).toEqual([]);
    expect(core.docs.with(s.id, listAgenda)).toEqual([]);
    await api.sendDocUpdate(s.id, update);
    expect(core.docs.with(s.id, listAgenda).map((i) => i.title)).toEqual(['half an update']);
    await core.close();
  });

  test('nothing that needs a profile works before one is set', async () => {
    const core = await TandemCore.open({ dataDir: tempDir() });
    const api = core.connect();
    await expect(api.createSeries({ partnerName: 'Sam', kind: 'peer' })).rejects.toMatchObject({
      code: 'invalid-input',
      message: /setProfile/,
    });
    await core.close();
  });
});

describe('a document update that fails to decode on disk', () => {
  test('openSeries names the file and the update #seq; other 1:1s open; no row deleted; no compaction', async () => {
    const { core, api, dataDir, dbFile } = await openCore({ compactAfter: 2 });
    const bad = await api.createSeries({ partnerName: 'Broken', kind: 'peer' });
    const good = await api.createSeries({ partnerName: 'Fine', kind: 'peer' });
    await api.addAgendaItem({ seriesId: good.id, title: 'intact' });
    await core.close();

    const raw = rawDb(dbFile);
    const seq = 1000;
    raw.prepare('insert into doc_updates (doc_id, seq, "update") values (?, ?, ?)').run(bad.id, seq, Buffer.from([255, 1, 2, 3, 4, 5, 6]));
    raw
      .prepare('insert into doc_updates (doc_id, seq, "update") values (?, ?, ?)')
      .run(bad.id, seq + 1, Buffer.from(Y.encodeStateAsUpdate(new Y.Doc())));
    const docRowBefore = raw.prepare('select snapshot, snapshot_seq from docs where doc_id = ?').get(bad.id);
    raw.close();
    const rowsBefore = updateRows(dbFile, bad.id);

    const again = await openCore({ dataDir, compactAfter: 2 });
    const error = await again.api.openSeries({ seriesId: bad.id }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TandemError);
    expect((error as TandemError).code).toBe('storage');
    expect((error as TandemError).message).toContain(dbFile);
    expect((error as TandemError).message).toContain(`update #${seq}`);
    expect((error as TandemError).message).toMatch(/backup|move it aside/i);

    const doc = stateOf(await again.api.openSeries({ seriesId: good.id }));
    expect(listAgenda(doc).map((i) => i.title)).toEqual(['intact']);
    expect(await again.api.listSeries()).toHaveLength(2);
    await again.core.close();

    expect(updateRows(dbFile, bad.id)).toEqual(rowsBefore);
    expect(rawDb(dbFile).prepare('select snapshot, snapshot_seq from docs where doc_id = ?').get(bad.id)).toEqual(docRowBefore);
  });
});
