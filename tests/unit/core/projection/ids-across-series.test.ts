import { expect, test } from 'vitest';
import type * as Y from 'yjs';
import { addAgendaItem } from '../../../../src/shared/domain/commands.js';
import { agendaFor, listMeetings, meetingsMap } from '../../../../src/shared/domain/series-doc.js';
import { openCore, rawDb } from '../../helpers/core.js';

test('an item or meeting id a peer reuses from another 1:1 projects as a row of each 1:1', async () => {
  const { core, api, dbFile } = await openCore();
  const a = await api.createSeries({ partnerName: 'Ada', kind: 'peer' });
  const b = await api.createSeries({ partnerName: 'Bo', kind: 'peer' });
  const { id: itemId } = await api.addAgendaItem({ seriesId: a.id, title: 'Career plan' });
  const meetingId = core.docs.with(a.id, (doc) => listMeetings(doc)[0]!.id);
  core.docs.with(b.id, (doc) => {
    addAgendaItem(doc, { title: 'Same id, other 1:1', id: itemId }, { now: new Date(), userId: 'peer' });
    meetingsMap(doc).set(meetingId, (meetingsMap(doc).get(listMeetings(doc)[0]!.id) as Y.Map<unknown>).clone());
  });
  await api.listSeries();
  const items = rawDb(dbFile).prepare('select series_id, title from agenda_items where id = ? order by title').all(itemId);
  expect(items).toEqual([
    { series_id: a.id, title: 'Career plan' },
    { series_id: b.id, title: 'Same id, other 1:1' },
  ]);
  expect(rawDb(dbFile).prepare('select series_id from meetings where id = ? order by series_id').all(meetingId)).toEqual(
    [{ series_id: a.id }, { series_id: b.id }].sort((x, y) => x.series_id.localeCompare(y.series_id)),
  );
  expect(core.docs.with(b.id, (doc) => agendaFor(doc, null).map((i) => i.id))).toEqual([itemId]);
  await core.close();
});
