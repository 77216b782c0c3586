import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { BACKUPS_FOLDER, KEEP_DAILY, createBackup, dailyBackup, readBackup, restoreBackup } from '../../../../src/core/backup/backup.js';
import { addAgendaItem } from '../../../../src/shared/domain/commands.js';
import { currentMeeting } from '../../../../src/shared/domain/meetings.js';
import { ensurePrivateNotes, privateDocId } from '../../../../src/shared/domain/private-notes.js';
import { meetingNotes } from '../../../../src/shared/domain/series-doc.js';
import { openCore, rawDb, tempDir } from '../../helpers/core.js';
import { writeParagraph } from '../../helpers/notes.js';

/** A data dir with two 1:1s, notes, private notes and enough edits to have both a snapshot and a log. */
async function populated() {
  const opened = await openCore({ compactAfter: 20 });
  const { core, api } = opened;
  const ctx = { now: new Date(), userId: (await api.getProfile())!.id };
  const ids: string[] = [];
  for (const name of ['Sam', 'Alex']) {
    const { id } = await api.createSeries({ kind: 'peer', partnerName: name });
    ids.push(id);
    core.docs.with(id, (doc) => {
      for (let i = 0; i < 30; i++) addAgendaItem(doc, { title: `${name} item ${i}` }, ctx);
      writeParagraph(meetingNotes(doc, currentMeeting(doc)!.id), `Notes with ${name}`);
    });
  }
  core.docs.create(privateDocId(ids[0]!), 'private');
  core.docs.release(privateDocId(ids[0]!));
  core.docs.with(privateDocId(ids[0]!), (doc) => writeParagraph(ensurePrivateNotes(doc, { meetingId: 'm' }, ctx), 'Private words'));
  ids.push(privateDocId(ids[0]!));
  return { ...opened, ids };
}

function states(dataDir: string, ids: string[]): Promise<Record<string, Uint8Array>> {
  return openCore({ dataDir }).then(async ({ core }) => {
    const out = Object.fromEntries(ids.map((id) => [id, core.docs.with(id, (doc) => Y.encodeStateAsUpdate(doc))]));
    await core.close();
    return out;
  });
}

test('backup then restore into an empty data dir gives byte-identical document states, the profile and the private notes', async () => {
  const { core, api, ids, dataDir } = await populated();
  const profile = await api.getProfile();
  const file = join(tempDir(), 'tandem.tandem-backup');
  const manifest = await core.backup(file);
  expect(manifest.format).toBe(1);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  await core.close();

  const restored = join(tempDir(), 'new-machine');
  restoreBackup(file, restored);
  expect(await states(restored, ids)).toEqual(await states(dataDir, ids));
  const again = await openCore({ dataDir: restored });
  expect(await again.api.getProfile()).toEqual(profile);
  expect((await again.api.search({ query: 'private words' })).map((r) => r.kind)).toEqual(['private']);
  await again.core.close();
});

test('a truncated, tampered, foreign or newer-format backup is refused with a sentence, and the data dir is left as it was', async () => {
  const { core } = await populated();
  const dir = tempDir();
  const good = join(dir, 'good.tandem-backup');
  await core.backup(good);
  await core.close();
  const bytes = readFileSync(good);
  const variant = (name: string, content: Uint8Array | string) => {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  };
  const newline = bytes.indexOf(0x0a, 14);
  const manifest = JSON.parse(bytes.subarray(14, newline).toString()) as { format: number };
  const cases: [string, RegExp][] = [
    [variant('truncated', bytes.subarray(0, bytes.length - 100)), /is damaged \(\d+ of \d+ bytes of data\)/],
    [
      variant('tampered', Buffer.concat([bytes.subarray(0, bytes.length - 1), Buffer.from([bytes.at(-1)! ^ 1])])),
      /its checksum does not match/,
    ],
    [variant('cut-manifest', bytes.subarray(0, 40)), /its manifest is cut off/],
    [
      variant('bad-manifest', Buffer.concat([Buffer.from('TANDEM-BACKUP\n{"format":1}\n'), bytes.subarray(newline + 1)])),
      /its manifest does not read/,
    ],
    [variant('foreign', 'hello, not a backup'), /is not a Tandem backup/],
    [
      variant(
        'newer',
        Buffer.concat([Buffer.from(`TANDEM-BACKUP\n${JSON.stringify({ ...manifest, format: 2 })}\n`), bytes.subarray(newline + 1)]),
      ),
      /made by a newer Tandem \(backup format 2; this one reads up to 1\); update Tandem first/,
    ],
    [join(dir, 'missing'), /cannot be read \(ENOENT\)/],
  ];
  for (const [file, message] of cases) {
    const target = join(tempDir(), 'target');
    expect(() => restoreBackup(file, target), file).toThrow(message);
    expect(() => restoreBackup(file, target), file).toThrow(/Nothing was changed\.$/);
    expect(existsSync(target) ? readdirSync(target) : [], file).toEqual([]);
  }
});

test('restore refuses a data dir that already holds Tandem data and leaves it untouched', async () => {
  const { core, dataDir, dbFile } = await populated();
  const file = join(tempDir(), 'b');
  await core.backup(file);
  await core.close();
  const before = readFileSync(dbFile);
  expect(() => restoreBackup(file, dataDir)).toThrow(/already holds Tandem data: restore into an empty data directory/);
  expect(readFileSync(dbFile).equals(before)).toBe(true);
});

test("a backup of a database that is not Tandem's is refused on restore", async () => {
  const dir = tempDir();
  const other = rawDb(join(dir, 'other.db'));
  other.exec('create table t (x)');
  const file = join(dir, 'other.tandem-backup');
  await createBackup(other, file);
  expect(() => readBackup(file)).not.toThrow();
  const target = join(dir, 'target');
  expect(() => restoreBackup(file, target)).toThrow(/the database inside is not Tandem's\. Nothing was changed\./);
  expect(readdirSync(target)).toEqual([]);
});

test('daily backups: one per day, the newest seven kept', async () => {
  const { core, dataDir } = await populated();
  const days = Array.from({ length: 10 }, (_, i) => new Date(2030, 0, 1 + i, 12));
  for (const day of days) expect(await dailyBackup(core.store.sqlite, dataDir, day)).not.toBeNull();
  expect(await dailyBackup(core.store.sqlite, dataDir, days.at(-1)!)).toBeNull();
  const kept = readdirSync(join(dataDir, BACKUPS_FOLDER)).sort();
  expect(kept).toHaveLength(KEEP_DAILY);
  expect(kept[0]).toBe('tandem-2030-01-04.tandem-backup');
  expect(kept.at(-1)).toBe('tandem-2030-01-10.tandem-backup');
  expect(() => readBackup(join(dataDir, BACKUPS_FOLDER, kept[0]!))).not.toThrow();
  await core.close();
});

test("a core started with autoBackup writes today's backup once the first list has gone out", async () => {
  const { core, api, dataDir } = await openCore({ autoBackup: true });
  await api.listSeries();
  await api.listBackups();
  await core.close();
  expect(readdirSync(join(dataDir, BACKUPS_FOLDER))).toHaveLength(1);
});
