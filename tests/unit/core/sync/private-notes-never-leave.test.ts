/**
 * Private notes stay on the device: through a real relay process, with every byte between one
 * core and the relay recorded, the relay's frames and files carry the shared notes and never the
 * private ones, which the core still stores in its own database.
 */
import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { ensurePrivateNotes, privateDocId } from '../../../../src/shared/domain/private-notes.js';
import { meetingNotes, nextMeeting } from '../../../../src/shared/domain/series-doc.js';
import { SeriesReplica } from '../../../../src/renderer/replica/series-replica.js';
import { bytesOnDisk } from '../../../e2e/support/recording-proxy.js';
import { SPAWNED_RELAY_TIMEOUT_MS } from '../../server/helpers.js';
import { edit, recordedPair, stopsAfterEach, until } from './sync-fixtures.js';

const cleanups = stopsAfterEach();

function writeParagraph(fragment: Y.XmlFragment, text: string): void {
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  fragment.insert(fragment.length, [paragraph]);
}

test(
  'the relay never receives or stores private notes, while shared notes arrive',
  async () => {
    const { server, proxy, dana, sam, seriesId } = await recordedPair(cleanups);
    const meetingId = edit(dana, seriesId, (doc) => nextMeeting(doc)!.id);

    const SECRET = 'private-marker-7f3a: worried about the reorg';
    const SHARED = 'shared-marker-19c2: agreed on the launch date';
    const privateReplica = new SeriesReplica(dana.api, privateDocId(seriesId), { name: 'Dana', color: '#336699' }, 'dana');
    await privateReplica.ready;
    privateReplica.run((doc) => writeParagraph(ensurePrivateNotes(doc, { meetingId }, { now: new Date(), userId: 'dana' }), SECRET), {});
    edit(dana, seriesId, (doc) => doc.transact(() => writeParagraph(meetingNotes(doc, meetingId), SHARED)));

    await until(() => edit(sam, seriesId, (doc) => meetingNotes(doc, meetingId).toString().includes(SHARED)), 'shared notes at Sam');
    await until(() => bytesOnDisk(server.dataDir).includes(SHARED), "shared notes in the relay's files");
    await until(() => privateReplica.saveState.pending === 0, 'the private note saved');

    expect(proxy.bytes().includes(SHARED)).toBe(true);
    expect(proxy.bytes().includes(SECRET)).toBe(false);
    expect(bytesOnDisk(server.dataDir).includes(SECRET)).toBe(false);
    expect(bytesOnDisk(sam.dataDir).includes(SECRET)).toBe(false);
    expect(bytesOnDisk(dana.dataDir).includes(SECRET)).toBe(true);
    await privateReplica.close();
  },
  SPAWNED_RELAY_TIMEOUT_MS,
);
