/**
 * The renderer's replica against the real core, over the real message protocol on an in-memory
 * port pair: what one window types reaches the other and the disk, failures are reported and can
 * be retried without losing the edit, and presence flows both ways.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { serveSession } from '../../../src/core/rpc-server.js';
import { TandemCore } from '../../../src/core/tandem-core.js';
import type { TandemApi } from '../../../src/shared/api.js';
import { createPortPair } from '../../../src/shared/protocol.js';
import { createRpcClient, type RpcClient } from '../../../src/shared/rpc-client.js';
import { agendaFor, meetingNotes, nextMeeting, notesAuthorsMap } from '../../../src/shared/domain/series-doc.js';
import { readHealthHistory } from '../../../src/shared/insights/history.js';
import { addAgendaItem, editItemText } from '../../../src/shared/domain/commands.js';
import { SeriesReplica } from '../../../src/renderer/replica/series-replica.js';
import { DATABASE_FILE } from '../../../src/core/tandem-core.js';
import { rawDb, tempDir, updateRows } from '../helpers/core.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function openCore(dataDir: string): Promise<TandemCore> {
  const core = await TandemCore.open({ dataDir, projectionDebounceMs: 5 });
  cleanups.push(() => core.close());
  return core;
}

/** A UI session as the renderer sees it: an RPC client over a port pair served by the core. */
function connect(core: TandemCore): RpcClient {
  const [ui, coreSide] = createPortPair();
  serveSession(coreSide, core.connect());
  const client = createRpcClient(ui);
  cleanups.push(() => client.close());
  return client;
}

/** Counts what a replica sends, to prove it never echoes what it received. */
function countingSends(api: RpcClient): RpcClient & { sent: number } {
  const spy = Object.create(api) as RpcClient & { sent: number };
  spy.sent = 0;
  spy.sendDocUpdate = (seriesId, update) => {
    spy.sent++;
    return api.sendDocUpdate(seriesId, update);
  };
  return spy;
}

async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function openReplica(api: TandemApi, seriesId: string, name: string): SeriesReplica {
  const replica = new SeriesReplica(api, seriesId, { name, color: '#2f5fd0' }, name);
  cleanups.push(() => replica.close());
  return replica;
}

async function newSeries(api: TandemApi): Promise<string> {
  await api.setProfile({ name: 'Dana' });
  return (await api.createSeries({ partnerName: 'Sam', kind: 'peer' })).id;
}

describe('SeriesReplica', () => {
  it('opens with the full state of the series', async () => {
    const core = await openCore(tempDir());
    const api = connect(core);
    const seriesId = await newSeries(api);
    await api.addAgendaItem({ seriesId, title: 'Added without a replica' });

    const replica = openReplica(api, seriesId, 'Dana');
    await replica.ready;

    expect(agendaFor(replica.doc, null).map((i) => i.title)).toEqual(['Added without a replica']);
  });

  it("sends one window's edits to another window live, without echoing them back, and stores them", async () => {
    const dataDir = tempDir();
    const core = await openCore(dataDir);
    const apiA = connect(core);
    const seriesId = await newSeries(apiA);
    const profile = (await apiA.getProfile())!;
    const apiB = countingSends(connect(core));
    const a = openReplica(apiA, seriesId, 'Dana');
    const b = openReplica(apiB, seriesId, 'Dana');
    await Promise.all([a.ready, b.ready]);

    const id = addAgendaItem(a.doc, { title: 'Career growth' }, { now: new Date(), userId: profile.id });
    editItemText(a.doc, { itemId: id, field: 'title', value: 'Career growth plan' }, { now: new Date(), userId: 'me' });
    await until(() => agendaFor(b.doc, null)[0]?.title === 'Career growth plan', 'the edit to reach window B');
    await until(() => a.saveState.pending === 0, 'A to finish saving');

    expect(a.saveState.error).toBeNull();
    expect(apiB.sent).toBe(0);

    await a.close();
    await b.close();
    cleanups.splice(0);
    await apiA.close();
    await apiB.close();
    await core.close();

    const reopened = await openCore(dataDir);
    const state = await connect(reopened).openSeries({ seriesId });
    const stored = new Y.Doc();
    Y.applyUpdate(stored, state);
    expect(agendaFor(stored, null).map((i) => i.title)).toEqual(['Career growth plan']);
  });

  it('the first shared-notes edit records that its client writes as this user, so the core counts the notes as theirs', async () => {
    const core = await openCore(tempDir());
    const api = connect(core);
    const seriesId = await newSeries(api);
    const replica = openReplica(api, seriesId, 'dana-id');
    await replica.ready;
    replica.run(addAgendaItem, { title: 'Not notes' });
    await Promise.resolve();
    expect(notesAuthorsMap(replica.doc).size).toBe(0);

    const meetingId = nextMeeting(replica.doc)!.id;
    const write = (text: string) =>
      replica.doc.transact(() => {
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [new Y.XmlText(text)]);
        meetingNotes(replica.doc, meetingId).push([paragraph]);
      });
    write('Agreed on the plan');
    write(' and the date');
    await until(() => replica.saveState.pending === 0 && notesAuthorsMap(replica.doc).size > 0, 'the claim to be saved');
    expect(notesAuthorsMap(replica.doc).toJSON()).toEqual({ [String(replica.doc.clientID)]: 'dana-id' });
    const counted = core.docs.with(seriesId, (doc) => readHealthHistory(doc).meetings.find((m) => m.id === meetingId)!.notesBy);
    expect(counted).toEqual({ 'dana-id': 'Agreed on the plan and the date'.length });
  });

  it('reports "Saving…" while an edit is on its way and "Saved" once the core stored it', async () => {
    const dataDir = tempDir();
    const core = await openCore(dataDir);
    const api = connect(core);
    const seriesId = await newSeries(api);
    const replica = openReplica(api, seriesId, 'Dana');
    await replica.ready;
    const versions: number[] = [];
    replica.subscribe(() => versions.push(replica.getVersion()));

    addAgendaItem(replica.doc, { title: 'One' }, { now: new Date(), userId: 'me' });
    expect(replica.saveState.pending).toBe(1);
    await until(() => replica.saveState.pending === 0, 'the save to settle');

    expect(replica.saveState.error).toBeNull();
    // One change for the edit, one for its save settling.
    expect(versions.length).toBeGreaterThanOrEqual(2);
    // "Saved" means on disk: the core's log alone rebuilds the edit.
    const stored = new Y.Doc();
    for (const row of updateRows(join(dataDir, DATABASE_FILE), seriesId)) Y.applyUpdate(stored, row.update);
    expect(agendaFor(stored, null).map((i) => i.title)).toEqual(['One']);
  });

  it('reports a change the disk refused as a storage error, never as saved, and stores it on retry', async () => {
    const dataDir = tempDir();
    const core = await openCore(dataDir);
    const api = connect(core);
    const seriesId = await newSeries(api);
    const replica = openReplica(api, seriesId, 'Dana');
    await replica.ready;
    const file = join(dataDir, DATABASE_FILE);
    const rowsBefore = updateRows(file, seriesId);
    // A real failing write, as a full disk or a lost lock would give: SQLite itself aborts the insert.
    const raw = rawDb(file);
    raw.exec(`create trigger refuse_updates before insert on doc_updates begin select raise(abort, 'disk refused the write'); end`);

    addAgendaItem(replica.doc, { title: 'Not on disk yet' }, { now: new Date(), userId: 'me' });
    await until(() => replica.saveState.error !== null, 'the failed save to be reported');

    expect(replica.saveState.error).toMatchObject({ code: 'storage', message: expect.stringContaining('disk refused the write') });
    expect(updateRows(file, seriesId)).toEqual(rowsBefore);
    expect(agendaFor(replica.doc, null).map((i) => i.title)).toEqual(['Not on disk yet']);

    raw.exec('drop trigger refuse_updates');
    replica.retry();
    await until(() => replica.saveState.pending === 0, 'the retry to settle');
    expect(replica.saveState.error).toBeNull();
    const stored = new Y.Doc();
    Y.applyUpdate(stored, await connect(core).openSeries({ seriesId }));
    expect(agendaFor(stored, null).map((i) => i.title)).toEqual(['Not on disk yet']);
  });

  it('reports a refused save, keeps the edit, and stores it on retry', async () => {
    const core = await openCore(tempDir());
    const api = connect(core);
    const seriesId = await newSeries(api);
    const replica = openReplica(api, seriesId, 'Dana');
    await replica.ready;

    // The core refuses updates for a series this window has not open.
    await api.closeSeries({ seriesId });
    addAgendaItem(replica.doc, { title: 'Do not lose me' }, { now: new Date(), userId: 'me' });
    await until(() => replica.saveState.error !== null, 'the refusal to be reported');

    expect(replica.saveState.error?.message).toMatch(/not open/);
    expect(agendaFor(replica.doc, null).map((i) => i.title)).toEqual(['Do not lose me']);

    await api.openSeries({ seriesId });
    replica.retry();
    await until(() => replica.saveState.pending === 0, 'the retry to settle');

    expect(replica.saveState.error).toBeNull();
    const stored = new Y.Doc();
    Y.applyUpdate(stored, await api.openSeries({ seriesId }));
    expect(agendaFor(stored, null).map((i) => i.title)).toEqual(['Do not lose me']);
  });

  it('shows who is present to the other window, and that they left', async () => {
    const core = await openCore(tempDir());
    const apiA = connect(core);
    const seriesId = await newSeries(apiA);
    const a = openReplica(apiA, seriesId, 'Dana');
    const b = openReplica(connect(core), seriesId, 'Sam');
    await Promise.all([a.ready, b.ready]);

    const names = (r: SeriesReplica) =>
      [...r.awareness.getStates().values()].map((s) => (s as { user?: { name: string } }).user?.name).sort();
    await until(() => names(b).includes('Dana'), "A's presence to reach B");
    // B arrived after A: A learns about B without waiting for B's next heartbeat.
    await until(() => names(a).includes('Sam'), "B's presence to reach A");

    await a.close();
    await until(() => !names(b).includes('Dana'), "A's departure to reach B");
    expect(names(b)).toEqual(['Sam']);
  });
});
