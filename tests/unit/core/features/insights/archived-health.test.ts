/**
 * A long 1:1's health reads its whole history: the years moved into archive documents count as
 * much as the current one, and a change to an archive shows in the next reading.
 */
import { expect, test } from 'vitest';
import { archiveDocId, readArchived } from '../../../../../src/shared/domain/archive.js';
import { setItemPurpose } from '../../../../../src/shared/domain/commands.js';
import { agendaMap, readAgenda } from '../../../../../src/shared/domain/series-doc.js';
import { combineHistories, readHealthHistory } from '../../../../../src/shared/insights/history.js';
import { followThrough } from '../../../../../src/shared/insights/signals.js';
import { seriesHealth } from '../../../../../src/core/features/insights/queries.js';
import { until } from '../../sync/sync-fixtures.js';
import { openCore } from '../../../helpers/core.js';
import { at, fillHistory, MOVABLE } from '../../../helpers/history.js';

test('health counts the meetings, items and next steps of archived years, and sees an archive change', async () => {
  const { core, api } = await openCore();
  try {
    const { id: seriesId } = await api.createSeries({ partnerName: 'Sam', kind: 'manager-report', myRole: 'manager' });
    core.docs.with(seriesId, (doc) => {
      fillHistory(doc);
      const career = readAgenda(doc).items.find((i) => i.title === 'Topic of 2022-09')!;
      setItemPurpose(doc, { itemId: career.id, purpose: 'career' }, at('2022-09-01T10:00:00.000Z'));
    });
    const archived = () => core.docs.with(seriesId, (doc) => readArchived(doc).length);
    await until(() => archived() === MOVABLE.length, 'the old years moved');
    const seriesOnly = core.docs.with(seriesId, (doc) => readHealthHistory(doc));
    expect(seriesOnly.meetings.filter((m) => m.status === 'held')).toHaveLength(1);

    const signals = () => seriesHealth(core, seriesId).signals;
    expect(signals().purposes.byPurpose.career.lastDiscussedAt).toBe('2022-09-01T10:00:00.000Z');
    // Five held meetings, one next step done on time in each; four of them in the archives.
    expect(signals().followThrough).toMatchObject({ due: 5, doneOnTime: 5 });
    const parts = await api.archivedHealth({ seriesId });
    expect(parts.map((p) => p.meetings.map((m) => m.id))).toEqual([MOVABLE.slice(0, 2), MOVABLE.slice(2)]);
    // What a window joins from them and its own series document is what the core reads.
    const joined = combineHistories(seriesOnly, ...parts);
    expect(joined.steps).toHaveLength(10);
    expect(followThrough(joined, core.now())).toEqual(signals().followThrough);

    // The career item leaves its archive: the next reading no longer has it.
    core.docs.with(archiveDocId(seriesId, 2022), (archive) => {
      const item = readAgenda(archive).items.find((i) => i.title === 'Topic of 2022-09')!;
      agendaMap(archive).delete(item.id);
    });
    expect(signals().purposes.byPurpose.career.lastDiscussedAt).toBeNull();
  } finally {
    await core.close();
  }
});

test('after its documents are unloaded, an unchanged 1:1 is read again without loading any of them; a deletion in an archive is still seen', async () => {
  const { core, api } = await openCore({ idleUnloadMs: 20 });
  try {
    const { id: seriesId } = await api.createSeries({ partnerName: 'Sam', kind: 'manager-report', myRole: 'manager' });
    core.docs.with(seriesId, (doc) => {
      fillHistory(doc);
      const career = readAgenda(doc).items.find((i) => i.title === 'Topic of 2022-09')!;
      setItemPurpose(doc, { itemId: career.id, purpose: 'career' }, at('2022-09-01T10:00:00.000Z'));
    });
    await until(() => core.docs.with(seriesId, (doc) => readArchived(doc).length) === MOVABLE.length, 'the old years moved');
    const archive = archiveDocId(seriesId, 2022);
    const first = seriesHealth(core, seriesId);
    expect(first.signals.purposes.byPurpose.career.lastDiscussedAt).toBe('2022-09-01T10:00:00.000Z');
    const family = [seriesId, ...[2021, 2022].map((year) => archiveDocId(seriesId, year))];
    await until(() => family.every((id) => !core.docs.isLoaded(id)), 'the documents unloaded');

    expect(seriesHealth(core, seriesId).signals).toEqual(first.signals);
    expect(family.filter((id) => core.docs.isLoaded(id))).toEqual([]);

    // Removing the career item from its archive changes no state vector, only the delete set.
    core.docs.with(archive, (doc) => agendaMap(doc).delete(readAgenda(doc).items.find((i) => i.title === 'Topic of 2022-09')!.id));
    await until(() => !core.docs.isLoaded(archive), 'the archive unloaded');
    expect(seriesHealth(core, seriesId).signals.purposes.byPurpose.career.lastDiscussedAt).toBeNull();
  } finally {
    await core.close();
  }
});
