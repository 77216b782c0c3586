/**
 * Search reaches the years a 1:1 moved into archive documents: their items, notes, check-ins and
 * next steps are found, dated by their meeting, and follow edits made to the archive.
 */
import { expect, test } from 'vitest';
import { archiveDocId, readArchived } from '../../../../../src/shared/domain/archive.js';
import { addAgendaItem } from '../../../../../src/shared/domain/commands.js';
import { writeCheckIn } from '../../../../../src/shared/domain/meetings.js';
import { ensurePrivateNotes, privateDocId } from '../../../../../src/shared/domain/private-notes.js';
import { meetingNotes } from '../../../../../src/shared/domain/series-doc.js';
import { openCore } from '../../../helpers/core.js';
import { MOVABLE, at, fillHistory } from '../../../helpers/history.js';
import { writeParagraph } from '../../../helpers/notes.js';
import { until } from '../../sync/sync-fixtures.js';

async function archivedSeries() {
  const opened = await openCore();
  const { core, api } = opened;
  const { id: seriesId } = await api.createSeries({ partnerName: 'Sam', kind: 'manager-report', myRole: 'manager' });
  core.docs.with(seriesId, (doc) => fillHistory(doc));
  await until(() => core.docs.with(seriesId, (doc) => readArchived(doc).length === MOVABLE.length), 'the old years moved');
  await core.flushProjection();
  return { ...opened, seriesId };
}

const found = (results: { kind: string; meetingId: string | null; at: string }[]) => results.map((r) => [r.kind, r.meetingId, r.at]);

test("an archived meeting's items, notes and next steps are found, each dated by its meeting", async () => {
  const { core, api, seriesId } = await archivedSeries();
  try {
    expect(core.docs.with(seriesId, (doc) => readArchived(doc).map((m) => m.id))).toContain('meeting-2021-03');
    const when = '2021-03-01T10:00:00.000Z';
    expect(found(await api.search({ query: 'Notes of 2021 03' }))).toEqual([['notes', 'meeting-2021-03', when]]);
    expect(found(await api.search({ query: 'Topic of 2021 03' }))).toEqual([['item', 'meeting-2021-03', when]]);
    expect(found(await api.search({ query: 'Done after 2021 03' }))).toEqual([['step', 'meeting-2021-03', when]]);
    // The open next step stayed in the series document; found once, not once per document.
    expect(found(await api.search({ query: 'Still open from 2021 03' }))).toEqual([['step', 'meeting-2021-03', when]]);
    expect(
      found(await api.search({ query: 'Notes of', from: '2021-01-01', to: '2021-12-31' }))
        .map(([, id]) => id)
        .sort(),
    ).toEqual(MOVABLE.slice(0, 2));
  } finally {
    await core.close();
  }
});

test('edits made in an archive document, and private notes of an archived meeting, are found; what was replaced is not', async () => {
  const { core, api, seriesId } = await archivedSeries();
  try {
    const meetingId = 'meeting-2022-09';
    core.docs.with(archiveDocId(seriesId, 2022), (doc) => {
      const notes = meetingNotes(doc, meetingId);
      notes.delete(0, notes.length);
      writeParagraph(notes, 'The offsite in Lisbon');
      writeCheckIn(doc, { meetingId, value: 'Tired but hopeful' }, at('2022-09-01T10:00:00.000Z'));
      // Written weeks before the meeting it was for: found at that meeting's date.
      addAgendaItem(doc, { title: 'Relocation budget', meetingId }, at('2022-08-10T10:00:00.000Z'));
    });
    core.docs.create(privateDocId(seriesId), 'private');
    core.docs.release(privateDocId(seriesId));
    core.docs.with(privateDocId(seriesId), (doc) =>
      writeParagraph(ensurePrivateNotes(doc, { meetingId }, at('2022-09-01T10:00:00.000Z')), 'Ask about the promotion'),
    );
    await core.flushProjection();
    const when = '2022-09-01T10:00:00.000Z';
    expect(found(await api.search({ query: 'lisbon' }))).toEqual([['notes', meetingId, when]]);
    expect(found(await api.search({ query: 'hopeful' }))).toEqual([['check-in', meetingId, when]]);
    expect(found(await api.search({ query: 'promotion' }))).toEqual([['private', meetingId, when]]);
    expect(found(await api.search({ query: 'relocation' }))).toEqual([['item', meetingId, when]]);
    expect(await api.search({ query: 'Notes of 2022 09' })).toEqual([]);
  } finally {
    await core.close();
  }
});

test('the archived years are indexed again when the index is rebuilt', async () => {
  const { core, api, seriesId, dataDir } = await archivedSeries();
  core.store.sqlite.exec('drop table search_fts; drop table search_entries');
  await core.close();
  const again = await openCore({ dataDir });
  try {
    expect(found(await again.api.search({ query: 'Topic of 2021 09' }))).toEqual([['item', 'meeting-2021-09', '2021-09-01T10:00:00.000Z']]);
  } finally {
    await again.core.close();
  }
  void api;
  void seriesId;
});
