/**
 * A 1:1 stored before archives existed, its whole history in the series document, moves its old
 * years into archive documents the first time it is loaded; the history stays whole.
 */
import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { archiveDocId, readArchived } from '../../../../src/shared/domain/archive.js';
import { listNextSteps } from '../../../../src/shared/domain/meetings.js';
import { listMeetings, meetingNotes } from '../../../../src/shared/domain/series-doc.js';
import { until } from '../sync/sync-fixtures.js';
import { openCore } from '../../helpers/core.js';
import { MOVABLE, writeOldHistory } from '../../helpers/history.js';

test('a document with years of history moves its old years into archive documents when loaded, losing nothing', async () => {
  const first = await openCore();
  const { id: seriesId } = await first.api.createSeries({ partnerName: 'Sam', kind: 'manager-report', myRole: 'manager' });
  await first.core.close();

  writeOldHistory(first.dbFile, seriesId);

  const { core, api } = await openCore({ dataDir: first.dataDir });
  try {
    const state = new Y.Doc();
    Y.applyUpdate(state, await api.openSeries({ seriesId }));
    await until(() => core.docs.with(seriesId, (doc) => readArchived(doc).length === MOVABLE.length), 'the old years moved');
    const live = core.docs.with(seriesId, (doc) => ({
      meetings: listMeetings(doc).map((m) => m.id),
      open: listNextSteps(doc).filter((s) => !s.done).length,
    }));
    expect(live.meetings).toEqual(['meeting-2023-03', 'meeting-2023-09']);
    expect(live.open).toBe(5);

    for (const [year, ids] of [
      [2021, MOVABLE.slice(0, 2)],
      [2022, MOVABLE.slice(2)],
    ] as const) {
      const archive = new Y.Doc();
      Y.applyUpdate(archive, await api.openArchive({ seriesId, year }));
      expect(listMeetings(archive).map((m) => m.id)).toEqual(ids);
      for (const id of ids) expect(meetingNotes(archive, id).toString()).toContain(`Notes of ${id.slice('meeting-'.length)}.`);
      expect(core.docs.exists(archiveDocId(seriesId, year))).toBe(true);
    }
    // The lists still show every meeting and the open next steps of moved meetings.
    expect(await api.listNextSteps()).toHaveLength(5);
    await core.flushProjection();
    const rows = async (table: 'meetings' | 'archived_meetings') =>
      (await core.db.selectFrom(table).select('id').where('series_id', '=', seriesId).orderBy('id').execute()).map((r) => r.id);
    expect(await rows('meetings')).toEqual(['meeting-2023-03', 'meeting-2023-09']);
    expect(await rows('archived_meetings')).toEqual(MOVABLE);
  } finally {
    await core.close();
  }
});
