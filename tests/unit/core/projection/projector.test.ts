import { describe, expect, test } from 'vitest';
import { PROJECTION_VERSION } from '../../../../src/core/projection/projector.js';
import { openCore, rawDb, type OpenedCore } from '../../helpers/core.js';

/** A core with three 1:1s, some agenda items and a discussed one, closed; returns what it listed. */
async function populated(): Promise<{ dataDir: string; dbFile: string; list: unknown[]; items: unknown[] }> {
  const { core, api, dataDir, dbFile }: OpenedCore = await openCore();
  const a = await api.createSeries({
    partnerName: 'Ada',
    kind: 'manager-report',
    myRole: 'manager',
    firstMeetingAt: '2030-01-07T10:00:00Z',
  });
  const b = await api.createSeries({ partnerName: 'Bo', kind: 'peer', firstMeetingAt: '2030-01-08T10:00:00Z' });
  await api.createSeries({ partnerName: 'Cy', kind: 'skip-level', myRole: 'report' });
  await api.addAgendaItem({ seriesId: a.id, title: 'Career plan', purpose: 'career' });
  await api.addAgendaItem({ seriesId: a.id, title: 'Offsite', async: true });
  await api.addAgendaItem({ seriesId: b.id, title: 'Pairing' });
  const list = await api.listSeries();
  const items = agendaRows(dbFile);
  await core.close();
  return { dataDir, dbFile, list, items };
}

function agendaRows(dbFile: string): unknown[] {
  return rawDb(dbFile).prepare('select * from agenda_items order by series_id, order_key').all();
}

describe('the projection is a cache rebuilt from the documents', () => {
  test('after its tables are dropped, reopening the core lists the same 1:1s and agenda rows', async () => {
    const { dataDir, dbFile, list, items } = await populated();
    expect(list).toHaveLength(3);
    const raw = rawDb(dbFile);
    for (const t of ['series', 'agenda_items', 'meetings', 'projection_meta']) raw.exec(`drop table ${t}`);
    raw.close();

    const { core, api } = await openCore({ dataDir });
    expect(await api.listSeries()).toEqual(list);
    expect(agendaRows(dbFile)).toEqual(items);
    await core.close();
  });

  test('after only one of its tables is dropped, it is rebuilt too', async () => {
    const { dataDir, dbFile, list } = await populated();
    rawDb(dbFile).exec('drop table meetings');

    const { core, api } = await openCore({ dataDir });
    expect(await api.listSeries()).toEqual(list);
    expect(rawDb(dbFile).prepare('select count(*) as n from meetings').get()).toEqual({ n: 3 });
    await core.close();
  });

  test('after its recorded version changes, it is rebuilt (stale rows are gone)', async () => {
    const { dataDir, dbFile, list } = await populated();
    const raw = rawDb(dbFile);
    raw.prepare(`update projection_meta set value = 'old' where key = 'version'`).run();
    raw.prepare(`update series set partner_name = 'STALE'`).run();
    raw
      .prepare(
        `insert into agenda_items (id, series_id, meeting_id, title, purpose, state, order_key, author_id, created_at)
                 values ('ghost', 'ghost', null, 'ghost', 'status', 'open', 'a0', 'x', 't')`,
      )
      .run();
    raw.close();

    const { core, api } = await openCore({ dataDir });
    expect(await api.listSeries()).toEqual(list);
    expect(rawDb(dbFile).prepare(`select value from projection_meta where key = 'version'`).get()).toEqual({ value: PROJECTION_VERSION });
    expect(rawDb(dbFile).prepare(`select count(*) as n from agenda_items where id = 'ghost'`).get()).toEqual({ n: 0 });
    await core.close();
  });

  test('an up-to-date projection is not rebuilt on open', async () => {
    const { dataDir, dbFile, list } = await populated();
    // A marker row a rebuild would wipe out: proves open reused the tables instead of rebuilding.
    rawDb(dbFile).prepare(`update series set partner_name = 'cached' where partner_name = 'Bo'`).run();

    const { core, api } = await openCore({ dataDir });
    const names = (await api.listSeries()).map((s) => s.partnerName);
    expect(names).toContain('cached');
    expect(names).toHaveLength(list.length);
    await core.close();
  });
});

describe('the projection follows document changes', () => {
  test('a new item raises the open item count and appears in agenda_items after the debounce', async () => {
    const { core, api, dbFile } = await openCore({ projectionDebounceMs: 10 });
    const s = await api.createSeries({ partnerName: 'Sam', kind: 'peer' });
    const events: string[] = [];
    api.onEvent((e) => events.push(e.type));
    await api.addAgendaItem({ seriesId: s.id, title: 'Hiring' });
    await expect
      .poll(() => rawDb(dbFile).prepare('select title from agenda_items').all(), { timeout: 2000 })
      .toEqual([{ title: 'Hiring' }]);
    expect(events).toContain('series-changed');
    expect((await api.listSeries())[0]!.openItemCount).toBe(1);
    await core.close();
  });

  test('the list is ordered by next meeting, then partner name', async () => {
    const { core, api } = await openCore();
    await api.createSeries({ partnerName: 'Late', kind: 'peer', firstMeetingAt: '2031-01-01T10:00:00Z' });
    await api.createSeries({ partnerName: 'Early', kind: 'peer', firstMeetingAt: '2030-01-01T10:00:00Z' });
    await api.createSeries({ partnerName: 'Also early', kind: 'peer', firstMeetingAt: '2030-01-01T10:00:00Z' });
    expect((await api.listSeries()).map((s) => s.partnerName)).toEqual(['Also early', 'Early', 'Late']);
    await core.close();
  });
});
