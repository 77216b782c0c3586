/**
 * Removing a 1:1 from this device deletes everything of it here (documents, private notes, share
 * and room secret, list rows) and nothing anywhere else: the other person keeps theirs, the relay
 * keeps the room, and a restart does not bring it back.
 */
import { afterEach, expect, test } from 'vitest';
import { addAgendaItem } from '../../../../../src/shared/domain/commands.js';
import { ARCHIVE_DOC_KIND, archiveDocId } from '../../../../../src/shared/domain/archive.js';
import { ensurePrivateNotes, privateDocId } from '../../../../../src/shared/domain/private-notes.js';
import { listAgenda, nextMeeting } from '../../../../../src/shared/domain/series-doc.js';
import { rawDb } from '../../../helpers/core.js';
import { edit, pair, person, until } from '../../sync/sync-fixtures.js';
import { DATABASE_FILE } from '../../../../../src/core/tandem-core.js';
import { join } from 'node:path';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const ctx = (userId: string) => ({ now: new Date(), userId });

test('removing a shared 1:1 deletes it and its private notes from this device only; the other person keeps it and keeps syncing', async () => {
  const { r, a, b } = await pair(cleanup);
  const seriesA = await a.api.createSeries({ partnerName: 'Sam', kind: 'manager-report', myRole: 'manager' });
  const kept = await a.api.createSeries({ partnerName: 'Lee', kind: 'peer' });
  const invite = await a.api.createInvite({ seriesId: seriesA.id });
  await b.api.acceptInvite({ code: invite.code });
  const id = seriesA.id;
  const profileA = (await a.api.getProfile())!;
  edit(a, id, (doc) => addAgendaItem(doc, { title: 'Career goals' }, ctx(profileA.id)));
  await a.api.openPrivateNotes({ seriesId: id });
  a.core.docs.with(privateDocId(id), (doc) => ensurePrivateNotes(doc, { meetingId: 'm' }, ctx(profileA.id)));
  a.core.docs.create(archiveDocId(id, 2021), ARCHIVE_DOC_KIND);
  a.core.docs.release(archiveDocId(id, 2021));
  await a.api.openSeries({ seriesId: id });
  await until(() => edit(b, id, (doc) => listAgenda(doc).length === 1), 'the item to reach Sam');

  await a.api.removeSeries({ seriesId: id });

  expect((await a.api.listSeries()).map((s) => s.id)).toEqual([kept.id]);
  await expect(a.api.openSeries({ seriesId: id })).rejects.toThrow(/not on this device/);
  const db = rawDb(join(a.dataDir, DATABASE_FILE));
  const left = (sql: string) => (db.prepare(sql).all(id, `${id}:%`, `${id}.archive.%`) as unknown[]).length;
  expect(left('select doc_id from docs where doc_id = ? or doc_id like ? or doc_id like ?')).toBe(0);
  expect(left('select doc_id from doc_updates where doc_id = ? or doc_id like ? or doc_id like ?')).toBe(0);
  expect((db.prepare('select * from shares where series_id = ?').all(id) as unknown[]).length).toBe(0);
  expect((db.prepare('select * from agenda_items where series_id = ?').all(id) as unknown[]).length).toBe(0);
  expect((db.prepare('select * from docs where doc_id = ?').all(kept.id) as unknown[]).length).toBe(1);
  db.close();

  // Sam still has all of it, and his edits still go through the relay.
  expect((await b.api.listSeries()).map((s) => s.id)).toEqual([id]);
  const profileB = (await b.api.getProfile())!;
  edit(b, id, (doc) => addAgendaItem(doc, { title: 'After the removal' }, ctx(profileB.id)));
  expect(edit(b, id, (doc) => listAgenda(doc).map((i) => i.title)).sort()).toEqual(['After the removal', 'Career goals']);
  expect(edit(b, id, (doc) => nextMeeting(doc))).not.toBeNull();

  // A restart does not bring it back: no share is left to reconnect.
  await a.core.close();
  const again = await person('Dana', r.url, a.dataDir);
  cleanup.push(() => again.core.close());
  expect((await again.api.listSeries()).map((s) => s.id)).toEqual([kept.id]);
});
