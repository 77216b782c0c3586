import { expect, test } from 'vitest';
import { agendaProjection } from '../../../../src/core/projection/agenda.js';
import { PROJECTIONS } from '../../../../src/core/projection/registry.js';
import { openCore, rawDb, tempDir } from '../../helpers/core.js';
import { AS_ME, openProjectionFixture, projectedRows } from './fixture.js';
import { addAgendaItem } from '../../../../src/shared/domain/commands.js';

test('a projection whose recorded version differs from its code is dropped and rebuilt alone', async () => {
  const { core, api, dataDir, dbFile } = await openCore();
  const s = await api.createSeries({ partnerName: 'Ada', kind: 'peer' });
  await api.addAgendaItem({ seriesId: s.id, title: 'Career plan' });
  await api.listSeries();
  await core.close();
  const raw = rawDb(dbFile);
  raw.prepare(`update projection_meta set value = 'old' where key = 'version:agenda'`).run();
  // Marker rows: a rebuild of their projection would remove them.
  raw.prepare(`update series set partner_name = 'cached'`).run();
  raw
    .prepare(`insert into meetings (series_id, id, scheduled_for, status) values ('ghost', 'ghost', '2030-01-01T00:00:00Z', 'held')`)
    .run();
  raw.prepare(`update agenda_items set title = 'STALE'`).run();
  raw.close();

  const again = await openCore({ dataDir });
  expect(rawDb(dbFile).prepare('select title from agenda_items').all()).toEqual([{ title: 'Career plan' }]);
  expect(rawDb(dbFile).prepare(`select value from projection_meta where key = 'version:agenda'`).get()).toEqual({
    value: agendaProjection.version,
  });
  expect((await again.api.listSeries()).map((x) => x.partnerName)).toEqual(['cached']);
  expect(rawDb(dbFile).prepare(`select count(*) as n from meetings where id = 'ghost'`).get()).toEqual({ n: 1 });
  await again.core.close();
});

test("a new version in a projection's code rebuilds that projection from the documents, and only it", async () => {
  const dataDir = tempDir();
  const fx = await openProjectionFixture({ dataDir });
  const s = fx.newSeries('Ada');
  fx.docs.with(s, (doc) => addAgendaItem(doc, { title: 'Career plan' }, AS_ME));
  await fx.projector.flush();
  const before = projectedRows(fx.store.sqlite);
  fx.store.sqlite.prepare(`update series set partner_name = 'cached'`).run();
  fx.store.sqlite.prepare(`update agenda_items set title = 'STALE'`).run();
  await fx.close();

  const bumped = PROJECTIONS.map((p) => (p === agendaProjection ? { ...p, version: `${p.version}-next` } : p));
  const next = await openProjectionFixture({ dataDir, projections: bumped });
  const after = projectedRows(next.store.sqlite);
  expect(after.agenda_items).toEqual(before.agenda_items);
  expect((after.series as { partner_name: string }[]).map((r) => r.partner_name)).toEqual(['cached']);
  await next.close();
});
