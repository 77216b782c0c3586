/**
 * How the projector runs: what a flush reports, how a 1:1 it cannot read is skipped and logged,
 * and that one failed run does not stop the next.
 */
import { expect, test } from 'vitest';
import { addAgendaItem } from '../../../../src/shared/domain/commands.js';
import { PROJECTIONS } from '../../../../src/core/projection/registry.js';
import type { Projection } from '../../../../src/core/projection/projection.js';
import { AS_ME, openProjectionFixture, projectedRows } from './fixture.js';

test('a flush reports the 1:1s it projected, each once, and nothing when nothing changed', async () => {
  const reported: string[][] = [];
  const fx = await openProjectionFixture({ onProjected: (ids) => reported.push(ids) });
  const a = fx.newSeries('Ada');
  const b = fx.newSeries('Bo');
  fx.docs.with(a, (doc) => addAgendaItem(doc, { title: 'one' }, AS_ME));
  fx.docs.with(a, (doc) => addAgendaItem(doc, { title: 'two' }, AS_ME));
  const flushed = await fx.projector.flush();
  expect(flushed.sort()).toEqual([a, b].sort());
  expect(reported.map((ids) => [...ids].sort())).toEqual([[a, b].sort()]);
  expect(await fx.projector.flush()).toEqual([]);
  expect(reported).toHaveLength(1);
  await fx.close();
});

test('a 1:1 that cannot be read keeps its rows and is logged as a warning by id; the others are projected', async () => {
  const fx = await openProjectionFixture();
  const bad = fx.newSeries('Broken');
  const good = fx.newSeries('Fine');
  await fx.projector.flush();
  fx.store.sqlite.prepare('insert into doc_updates (doc_id, seq, "update") values (?, ?, ?)').run(bad, 1000, Buffer.from([255, 1, 2]));
  fx.docs.closeAll();
  fx.projector.markDirty(bad);
  fx.projector.markDirty(good);
  expect((await fx.projector.flush()).sort()).toEqual([bad, good].sort());
  expect(fx.logs).toEqual([
    { level: 'warn', obj: { seriesId: bad, error: expect.stringContaining(`document ${bad}`) }, msg: 'projection skipped a 1:1' },
  ]);
  expect((projectedRows(fx.store.sqlite).series as { id: string }[]).map((s) => s.id).sort()).toEqual([bad, good].sort());
  await fx.close();
});

test('a projection whose read fails is logged as an error, and a failed rebuild does not stop later runs', async () => {
  let failing: 'read' | 'create' | null = 'read';
  const fragile: Projection = {
    ...PROJECTIONS[0]!,
    create: (db) => {
      if (failing === 'create') throw new Error('cannot create this');
      return PROJECTIONS[0]!.create(db);
    },
    read: (doc, changes, ctx) => {
      if (failing === 'read') throw new Error('cannot read this');
      return PROJECTIONS[0]!.read(doc, changes, ctx);
    },
  };
  const fx = await openProjectionFixture({ projections: [fragile, ...PROJECTIONS.slice(1)] });
  const a = fx.newSeries('Ada');
  await fx.projector.flush();
  expect(fx.logs).toEqual([{ level: 'error', obj: { seriesId: a, error: 'cannot read this' }, msg: 'projection skipped a 1:1' }]);
  failing = 'create';
  await expect(fx.projector.rebuild()).rejects.toThrow('cannot create this');
  failing = null;
  fx.docs.with(a, (doc) => addAgendaItem(doc, { title: 'after the failure' }, AS_ME));
  expect(await fx.projector.flush()).toEqual([a]);
  expect(
    (projectedRows(fx.store.sqlite).series as { id: string; open_item_count: number }[]).map((s) => [s.id, s.open_item_count]),
  ).toEqual([[a, 1]]);
  await fx.close();
});
