/**
 * Each document's part of a 1:1's health history is kept on this device under the document's
 * version: after a restart the overview reads the kept parts instead of loading the documents,
 * a document that changed (here, by sync from the other person, or by a window's late edit
 * re-homed into its archive) is read again, alone; a kept part that does not fit is read again,
 * never trusted; removing a 1:1 drops its parts from memory and disk.
 */
import { join } from 'node:path';
import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { archiveDocId, archivedYears, readArchived } from '../../../../src/shared/domain/archive.js';
import { setItemPurpose } from '../../../../src/shared/domain/commands.js';
import { agendaMap, notesAuthorsMap, readAgenda } from '../../../../src/shared/domain/series-doc.js';
import { assessHealth, type HealthReport } from '../../../../src/shared/insights/flags.js';
import { combineHistories, HealthHistorySchema, readHealthHistory, readSeriesFacts } from '../../../../src/shared/insights/history.js';
import { archivedHistories, seriesHealth } from '../../../../src/core/features/insights/queries.js';
import { DATABASE_FILE, type TandemCore } from '../../../../src/core/tandem-core.js';
import { openCore, rawDb, type OpenedCore } from '../../helpers/core.js';
import { at, fillHistory, MOVABLE, writeOldHistory } from '../../helpers/history.js';
import { SPAWNED_RELAY_TIMEOUT_MS } from '../../server/helpers.js';
import { person, relay, share, until, type Person } from '../sync/sync-fixtures.js';

const NOW = new Date('2026-06-01T09:00:00.000Z');
const clock = () => NOW;
const YEARS = [2021, 2022];
const family = (seriesId: string) => [seriesId, ...YEARS.map((year) => archiveDocId(seriesId, year))];
const CAREER_TOPIC = 'Topic of 2022-09';

/** A 1:1 held since 2021 whose 2021 and 2022 meetings moved to their archives; one 2022 item was about career. */
async function longSeries(core: TandemCore, seriesId: string): Promise<void> {
  core.docs.with(seriesId, (doc) => {
    fillHistory(doc);
    const career = readAgenda(doc).items.find((i) => i.title === CAREER_TOPIC)!;
    setItemPurpose(doc, { itemId: career.id, purpose: 'career' }, at('2022-09-01T10:00:00.000Z'));
  });
  await until(() => core.docs.with(seriesId, (doc) => readArchived(doc).length) === MOVABLE.length, 'the old years moved');
}

async function newLongSeries({ core, api }: OpenedCore): Promise<string> {
  const { id } = await api.createSeries({ partnerName: 'Sam', kind: 'manager-report', myRole: 'manager' });
  await longSeries(core, id);
  return id;
}

/** The health of a 1:1 read afresh from its documents, nothing kept. */
function freshReport(core: TandemCore, seriesId: string): HealthReport {
  const history = core.docs.with(seriesId, (series) => {
    const facts = readSeriesFacts(series);
    const archives = archivedYears(series)
      .reverse()
      .map((year) => core.docs.with(archiveDocId(seriesId, year), (archive) => readHealthHistory(archive, facts)));
    return combineHistories(readHealthHistory(series), ...archives);
  });
  return assessHealth(history, core.now());
}

const loaded = (core: TandemCore, ids: string[]) => ids.filter((id) => core.docs.isLoaded(id));

interface Row {
  doc_id: string;
  key: string;
  part: string;
}
const keptRows = (dbFile: string): Row[] =>
  rawDb(dbFile).prepare('select doc_id, key, part from health_parts order by doc_id').all() as Row[];

test("after a restart the overview reads each document's kept part: the signals of a fresh reading, no document loaded; a changed archive alone is read again", async () => {
  const first = await openCore({ clock });
  const long = await newLongSeries(first);
  const short = (await first.api.createSeries({ partnerName: 'Alex', kind: 'peer' })).id;
  const before = await first.api.listHealth();
  await first.core.close();
  const docs = [...family(long), short];

  const second = await openCore({ dataDir: first.dataDir, clock });
  try {
    expect(loaded(second.core, docs)).toEqual([]);
    expect(await second.api.listHealth()).toEqual(before);
    const kept = seriesHealth(second.core, long);
    expect(loaded(second.core, docs)).toEqual([]);
    expect(kept.signals.purposes.byPurpose.career.lastDiscussedAt).toBe('2022-09-01T10:00:00.000Z');
    expect(kept).toEqual(freshReport(second.core, long));

    // The career item leaves its archive while Tandem runs.
    second.core.docs.with(archiveDocId(long, 2022), (doc) =>
      agendaMap(doc).delete(readAgenda(doc).items.find((i) => i.title === CAREER_TOPIC)!.id),
    );
  } finally {
    await second.core.close();
  }

  const third = await openCore({ dataDir: first.dataDir, clock });
  try {
    const report = seriesHealth(third.core, long);
    expect(loaded(third.core, docs)).toEqual([archiveDocId(long, 2022)]);
    expect(report.signals.purposes.byPurpose.career.lastDiscussedAt).toBeNull();
    expect(report).toEqual(freshReport(third.core, long));
  } finally {
    await third.core.close();
  }
});

test('a kept part that is damaged, of another shape or from another reading is read from its document again, never trusted', async () => {
  const first = await openCore({ clock });
  const long = await newLongSeries(first);
  const before = await first.api.listHealth();
  await first.core.close();
  const [series, y2021, y2022] = family(long);
  const db = rawDb(first.dbFile);
  const damage = db.prepare('update health_parts set part = ? where doc_id = ?');
  damage.run('{"history": {"kind": "peer", "meet', series);
  damage.run(JSON.stringify({ meetings: 3, items: 'none' }), y2021);
  // A part kept by a Tandem that read documents differently: its key names another reading.
  db.prepare("update health_parts set key = '[0' || substr(key, 3) where doc_id = ?").run(y2022);
  db.close();

  const second = await openCore({ dataDir: first.dataDir, clock });
  try {
    expect(await second.api.listHealth()).toEqual(before);
    expect(loaded(second.core, family(long))).toEqual(family(long));
    expect(seriesHealth(second.core, long)).toEqual(freshReport(second.core, long));
  } finally {
    await second.core.close();
  }
  for (const row of keptRows(first.dbFile)) expect(() => JSON.parse(row.part) as unknown, row.doc_id).not.toThrow();

  // Replaced by parts that fit: the next start reads them without loading anything.
  const third = await openCore({ dataDir: first.dataDir, clock });
  try {
    expect(await third.api.listHealth()).toEqual(before);
    expect(loaded(third.core, family(long))).toEqual([]);
  } finally {
    await third.core.close();
  }
});

test("a window's late edit re-homed into an archive reads that archive again, and no other", async () => {
  const first = await openCore({ clock });
  const { id: seriesId } = await first.api.createSeries({ partnerName: 'Sam', kind: 'manager-report', myRole: 'manager' });
  await first.core.close();
  // The window's replica: the series as it stood before the core moved its old years.
  const window = writeOldHistory(first.dbFile, seriesId);

  const { core, api } = await openCore({ dataDir: first.dataDir, clock });
  try {
    await api.openSeries({ seriesId });
    await until(() => core.docs.with(seriesId, (doc) => readArchived(doc).length === MOVABLE.length), 'the old years moved');
    const [y2021, y2022] = archivedHistories(core, seriesId);
    expect(seriesHealth(core, seriesId).signals.purposes.byPurpose.career.lastDiscussedAt).toBeNull();

    const sent = Y.encodeStateVector(window);
    const item = readAgenda(window).items.find((i) => i.title === 'Topic of 2021-09')!;
    setItemPurpose(window, { itemId: item.id, purpose: 'career' }, at('2026-05-30T10:00:00.000Z'));
    await api.sendDocUpdate(seriesId, Y.encodeStateAsUpdate(window, sent));

    const after = archivedHistories(core, seriesId);
    expect(after[0]).not.toBe(y2021);
    expect(after[0]!.items.find((i) => i.id === item.id)!.purpose).toBe('career');
    expect(after[1]).toBe(y2022);
    const report = seriesHealth(core, seriesId);
    expect(report.signals.purposes.byPurpose.career.lastDiscussedAt).toBe('2021-09-01T10:00:00.000Z');
    expect(report).toEqual(freshReport(core, seriesId));
  } finally {
    await core.close();
  }
});

test('a change to what the series document tells its archives (who wrote the notes) reads every archive again', async () => {
  const opened = await openCore({ clock });
  try {
    const seriesId = await newLongSeries(opened);
    const { core } = opened;
    const notesBy = () => archivedHistories(core, seriesId).flatMap((part) => part.meetings.map((m) => m.notesBy));
    expect(notesBy()).toEqual(MOVABLE.map(() => ({})));
    // The notes were typed by this core's client: naming its writer credits every archived meeting's notes.
    core.docs.with(seriesId, (doc) => notesAuthorsMap(doc).set(String(doc.clientID), 'dana'));
    expect(notesBy()).toEqual(MOVABLE.map((id) => ({ dana: `Notes of ${id.slice('meeting-'.length)}.`.length })));
  } finally {
    await opened.core.close();
  }
});

test(
  "a change the other person makes to an archive, arriving by sync after a restart, is read again: that archive's kept part alone is replaced",
  async () => {
    const server = await relay();
    const open = new Set<Person>();
    const start = async (name: string, dataDir?: string) => {
      const p = await person(name, server.url, dataDir);
      open.add(p);
      return p;
    };
    const stop = async (p: Person) => {
      open.delete(p);
      await p.core.close();
    };
    try {
      const dana = await start('Dana');
      const sam = await start('Sam');
      const seriesId = await share(dana, sam);
      await longSeries(dana.core, seriesId);
      const archive2022 = archiveDocId(seriesId, 2022);
      const state = (p: Person) =>
        family(seriesId).map((id) => p.core.docs.exists(id) && p.core.docs.with(id, (doc) => Y.encodeStateVector(doc).join()));
      await until(() => JSON.stringify(state(sam)) === JSON.stringify(state(dana)), "the 1:1 and its archives at Sam's as at Dana's");
      const careerAt = (p: Person) => p.core.docs.with(archive2022, (doc) => readAgenda(doc).items.some((i) => i.title === CAREER_TOPIC));
      expect(careerAt(sam)).toBe(true);

      expect(seriesHealth(dana.core, seriesId).signals.purposes.byPurpose.career.lastDiscussedAt).toBe('2022-09-01T10:00:00.000Z');
      await stop(dana);
      const before = new Map(keptRows(join(dana.dataDir, DATABASE_FILE)).map((r) => [r.doc_id, r]));
      expect([...before.keys()].sort()).toEqual(family(seriesId).sort());

      // While Dana's Tandem is closed, Sam removes the career item from the 2022 archive.
      sam.core.docs.with(archive2022, (doc) => agendaMap(doc).delete(readAgenda(doc).items.find((i) => i.title === CAREER_TOPIC)!.id));

      const again = await start('Dana', dana.dataDir);
      await until(() => again.core.docs.exists(archive2022) && !careerAt(again), "Sam's change at Dana's");
      const report = seriesHealth(again.core, seriesId);
      expect(report.signals.purposes.byPurpose.career.lastDiscussedAt).toBeNull();
      expect(report).toEqual(freshReport(again.core, seriesId));
      await stop(again);

      const after = new Map(keptRows(join(dana.dataDir, DATABASE_FILE)).map((r) => [r.doc_id, r]));
      expect(after.get(archiveDocId(seriesId, 2021))).toEqual(before.get(archiveDocId(seriesId, 2021)));
      expect(after.get(archive2022)!.key).not.toBe(before.get(archive2022)!.key);
      const part = HealthHistorySchema.parse(JSON.parse(after.get(archive2022)!.part));
      expect(part.items.some((i) => i.purpose === 'career')).toBe(false);
    } finally {
      for (const p of open) await p.core.close();
      await server.stop();
    }
  },
  SPAWNED_RELAY_TIMEOUT_MS,
);

test('removing a 1:1 drops its kept parts from memory and disk; a part computed before the removal is never written', async () => {
  const opened = await openCore({ clock });
  const { core, api, dbFile } = opened;
  try {
    const long = await newLongSeries(opened);
    const other = (await api.createSeries({ partnerName: 'Alex', kind: 'peer' })).id;
    await api.listHealth();
    core.healthParts.flush();
    expect(keptRows(dbFile).map((r) => r.doc_id)).toEqual([...family(long), other].sort());
    const held = core.healthParts.size;

    await api.removeSeries({ seriesId: long });
    expect(keptRows(dbFile).map((r) => r.doc_id)).toEqual([other]);
    expect(core.healthParts.size).toBe(held - family(long).length);

    // Parts computed and not yet written when their 1:1 goes must not be written under a later
    // document of the same id (joining the same 1:1 again).
    const again = await newLongSeries(opened);
    await api.listHealth();
    await api.removeSeries({ seriesId: again });
    core.docs.create(again, 'series');
    core.docs.release(again);
    core.healthParts.flush();
    expect(keptRows(dbFile).map((r) => r.doc_id)).toEqual([other]);
  } finally {
    await core.close();
  }
});
