/**
 * A window's edit to a meeting that crosses, on its way to the core, the core moving that meeting
 * to its archive is kept there, not dropped with the series document's tombstone.
 */
import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { readArchived } from '../../../../src/shared/domain/archive.js';
import { meetingNotes } from '../../../../src/shared/domain/series-doc.js';
import { appendNotes } from '../../helpers/archive-peers.js';
import { openCore } from '../../helpers/core.js';
import { MOVABLE, writeOldHistory } from '../../helpers/history.js';
import { until } from '../sync/sync-fixtures.js';

test("notes typed in a window as the core moves the meeting end in the meeting's archive", async () => {
  const first = await openCore();
  const { id: seriesId } = await first.api.createSeries({ partnerName: 'Sam', kind: 'manager-report', myRole: 'manager' });
  await first.core.close();
  // The window's replica: the series as it stood before the core moved its old years.
  const window = writeOldHistory(first.dbFile, seriesId);

  const { core, api } = await openCore({ dataDir: first.dataDir });
  try {
    await api.openSeries({ seriesId });
    await until(() => core.docs.with(seriesId, (doc) => readArchived(doc).length === MOVABLE.length), 'the old years moved');
    const before = Y.encodeStateVector(window);
    appendNotes(window, 'meeting-2021-09', ' Typed as it moved.');
    await api.sendDocUpdate(seriesId, Y.encodeStateAsUpdate(window, before));

    const archive = new Y.Doc();
    Y.applyUpdate(archive, await api.openArchive({ seriesId, year: 2021 }));
    expect(meetingNotes(archive, 'meeting-2021-09').toString()).toContain('Notes of 2021-09. Typed as it moved.');
  } finally {
    await core.close();
  }
});
