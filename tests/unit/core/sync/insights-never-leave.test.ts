/**
 * Health insights stay on the device: through a real relay process, with every byte between one
 * core and the relay recorded, neither the flags computed for a 1:1, a dismissed nudge nor an
 * exported health report, nor the history parts kept to compute them, ever reach the relay, its
 * files or the other person's device; exporting writes nothing to the 1:1's document, and the
 * dismissal and the kept parts are in this device's database.
 */
import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { addMeeting } from '../../../../src/shared/domain/commands.js';
import { skipMeeting } from '../../../../src/shared/domain/series-commands.js';
import { listAgenda } from '../../../../src/shared/domain/series-doc.js';
import { bytesOnDisk } from '../../../e2e/support/recording-proxy.js';
import { SPAWNED_RELAY_TIMEOUT_MS } from '../../server/helpers.js';
import { rawDb } from '../../helpers/core.js';
import { DATABASE_FILE } from '../../../../src/core/tandem-core.js';
import { join } from 'node:path';
import { edit, recordedPair, stopsAfterEach, until } from './sync-fixtures.js';

const cleanups = stopsAfterEach();

const WEEK = 7 * 86_400_000;
/** What only a kept history part holds: its field names as JSON writes them (a document encodes its keys otherwise). */
const KEPT_PART_TEXT = ['"hasNotes":', '"notesBy":', '"years":', '"authors":'];

test(
  'flags, dismissed nudges, exported reports and kept history parts never reach the relay or the other person; the dismissal and the parts stay in the local database',
  async () => {
    const { server, proxy, dana, sam, seriesId } = await recordedPair(cleanups);
    // Three weekly meetings in the past, each cancelled: a cancellation cascade.
    edit(dana, seriesId, (doc) => {
      const ctx = { now: new Date(), userId: 'dana' };
      for (const weeks of [3, 2, 1]) {
        const meetingId = addMeeting(doc, { scheduledFor: new Date(Date.now() - weeks * WEEK).toISOString() }, ctx);
        skipMeeting(doc, { meetingId, reason: 'busy' }, ctx);
      }
    });

    const [entry] = await dana.api.listHealth();
    const flag = entry!.flags.find((f) => f.id === 'cancellation-cascade')!;
    expect(flag.headline).toBe('3 meetings in a row were cancelled');
    expect(await dana.api.dismissNudge({ seriesId, flag: 'cancellation-cascade' })).toEqual(['cancellation-cascade']);
    expect((await dana.api.listHealth())[0]!.nudge).not.toBe('cancellation-cascade');

    // Exporting, in every form, changes nothing in the 1:1's document: there is nothing to send.
    const stateVector = () => edit(dana, seriesId, (doc) => Buffer.from(Y.encodeStateVector(doc)).toString('base64'));
    const before = stateVector();
    const exported = [
      await dana.api.exportHealth({ seriesId, format: 'markdown' }),
      await dana.api.exportHealth({ seriesId, format: 'json' }),
      await dana.api.exportHealth({ format: 'markdown' }),
      await dana.api.exportHealth({ format: 'json' }),
    ];
    expect(exported[0]!.content).toContain(flag.headline);
    expect(stateVector()).toBe(before);
    // The history parts read for all that, written to this device's database now rather than later.
    dana.core.healthParts.flush();

    // A marker edit after all that: the relay stores in order, so once it has the marker it has
    // everything this core sent before.
    const MARKER = 'after-insights-marker-5d1e';
    await dana.api.addAgendaItem({ seriesId, title: MARKER });
    await until(() => bytesOnDisk(server.dataDir).includes(MARKER), "the marker in the relay's files");
    await until(() => edit(sam, seriesId, (doc) => listAgenda(doc).some((i) => i.title === MARKER)), 'the marker at Sam');

    const leaks = [
      flag.headline,
      flag.meaning,
      flag.tryThis,
      'cancellation-cascade',
      'dismissedNudges',
      '1:1 health report',
      'tandem-health-report',
      'Cancelled, last 90 days',
      ...exported.map((e) => e.fileName),
      ...KEPT_PART_TEXT,
    ];
    for (const text of leaks) {
      expect(proxy.bytes().includes(text), `relay traffic holds "${text}"`).toBe(false);
      expect(bytesOnDisk(server.dataDir).includes(text), `relay files hold "${text}"`).toBe(false);
      expect(bytesOnDisk(sam.dataDir).includes(text), `Sam's files hold "${text}"`).toBe(false);
    }
    const settings = rawDb(join(dana.dataDir, DATABASE_FILE))
      .prepare("select value from settings where key = 'insights.dismissedNudges'")
      .get() as { value: string } | undefined;
    expect(JSON.parse(settings!.value)).toMatchObject({ [seriesId]: { 'cancellation-cascade': expect.any(String) } });
    const parts = rawDb(join(dana.dataDir, DATABASE_FILE)).prepare('select doc_id, part from health_parts').all() as {
      doc_id: string;
      part: string;
    }[];
    expect(parts.map((p) => p.doc_id)).toEqual([seriesId]);
    for (const text of KEPT_PART_TEXT) expect(parts[0]!.part).toContain(text);
  },
  SPAWNED_RELAY_TIMEOUT_MS,
);
