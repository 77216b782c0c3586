/**
 * Archive documents travel like their series: through a real relay, under rooms named from the
 * series id and guarded by the same room secret, so the person who joined gets every archived year,
 * the relay stores them, and a history edit made offline merges when back online.
 */
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { archiveDocId, readArchived } from '../../../../src/shared/domain/archive.js';
import { listMeetings, meetingNotes } from '../../../../src/shared/domain/series-doc.js';
import { MOVABLE, fillHistory } from '../../helpers/history.js';
import { SPAWNED_RELAY_TIMEOUT_MS } from '../../server/helpers.js';
import { bytesOnDisk } from '../../../e2e/support/recording-proxy.js';
import { edit, pair, person, share, until } from './sync-fixtures.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const archivedMeetings = (doc: Y.Doc) => listMeetings(doc).map((m) => m.id);

function appendToNotes(doc: Y.Doc, meetingId: string, text: string): void {
  const t = (meetingNotes(doc, meetingId).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  t.insert(t.length, text);
}

test(
  'the other person gets every archived year through the relay, which stores them, and offline history edits merge',
  async () => {
    const { r, a, b } = await pair(cleanups);
    const seriesId = await share(a, b);
    edit(a, seriesId, (doc) => fillHistory(doc));

    for (const p of [a, b]) {
      await until(
        () => edit(p, seriesId, (doc) => readArchived(doc).length === MOVABLE.length && listMeetings(doc).length === 2),
        'old years moved',
      );
      for (const [year, ids] of [
        [2021, MOVABLE.slice(0, 2)],
        [2022, MOVABLE.slice(2)],
      ] as const) {
        const id = archiveDocId(seriesId, year);
        await until(
          () => p.core.docs.exists(id) && edit(p, id, (doc) => archivedMeetings(doc).join() === ids.join()),
          `${year} archived at ${p.core.currentProfile?.name}`,
        );
      }
    }
    await until(() => bytesOnDisk(r.dataDir).includes('Notes of 2021-03.'), "the archive in the relay's files");

    // Someone joining later on another device gets the archives from the relay alone.
    const invite = await a.api.createInvite({ seriesId });
    const c = await person('Sam on a laptop', r.url);
    cleanups.push(() => c.core.close());
    await c.api.acceptInvite({ code: invite.code });
    const year2021 = archiveDocId(seriesId, 2021);
    await until(
      () => c.core.docs.exists(year2021) && edit(c, year2021, (doc) => archivedMeetings(doc).length === 2),
      'the archive at the new device',
    );
    const opened = new Y.Doc();
    Y.applyUpdate(opened, await c.api.openArchive({ seriesId, year: 2021 }));
    expect(meetingNotes(opened, MOVABLE[0]!).toString()).toContain('Notes of 2021-03.');

    // Both fix the same archived notes while B is offline; both edits survive.
    await b.core.close();
    edit(a, year2021, (doc) => appendToNotes(doc, MOVABLE[0]!, ' Fixed by Dana.'));
    const bAgain = await person('Sam', r.url, b.dataDir);
    cleanups.push(() => bAgain.core.close());
    edit(bAgain, year2021, (doc) => appendToNotes(doc, MOVABLE[0]!, ' Fixed by Sam.'));
    for (const p of [a, bAgain])
      await until(
        () =>
          edit(
            p,
            year2021,
            (doc) =>
              /Fixed by Dana\.|Fixed by Sam\./g.test(meetingNotes(doc, MOVABLE[0]!).toString()) &&
              meetingNotes(doc, MOVABLE[0]!).toString().includes('Fixed by Dana.') &&
              meetingNotes(doc, MOVABLE[0]!).toString().includes('Fixed by Sam.'),
          ),
        'both history edits merged',
      );
  },
  SPAWNED_RELAY_TIMEOUT_MS * 2,
);
