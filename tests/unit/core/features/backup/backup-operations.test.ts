/**
 * The backup operations a UI calls: a backup now (into the backups folder or a file picked), the
 * list of backups kept, and restoring into an empty folder only, never over the data the running
 * Tandem uses or any other Tandem data.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { BACKUPS_FOLDER } from '../../../../../src/core/backup/backup.js';
import { addAgendaItem } from '../../../../../src/shared/domain/commands.js';
import { openCore, tempDir } from '../../../helpers/core.js';

test('a backup now goes into the backups folder beside the daily ones, listed newest first; a picked file gets it too', async () => {
  const { core, api, dataDir } = await openCore({ autoBackup: true });
  try {
    await api.createSeries({ kind: 'peer', partnerName: 'Sam' });
    const done = await api.backupNow({});
    expect(done.name).toMatch(/^tandem-\d{4}-\d{2}-\d{2}-\d{6}\.tandem-backup$/);
    expect(readFileSync(done.file).subarray(0, 14).toString()).toBe('TANDEM-BACKUP\n');
    const { folder, backups } = await api.listBackups();
    expect(folder).toBe(join(dataDir, BACKUPS_FOLDER));
    expect(backups.map((b) => [b.name, b.kind])).toEqual([
      [done.name, 'manual'],
      [expect.stringMatching(/^tandem-\d{4}-\d{2}-\d{2}\.tandem-backup$/), 'daily'],
    ]);
    expect(backups[0]).toMatchObject({ file: done.file, createdAt: done.createdAt, bytes: done.bytes });

    const picked = join(tempDir(), 'usb', 'mine.tandem-backup');
    expect(await api.backupNow({ file: picked })).toMatchObject({ file: picked, name: null });
    expect(existsSync(picked)).toBe(true);
    expect((await api.listBackups()).backups).toHaveLength(2);
    await expect(api.backupNow({ file: 'relative.tandem-backup' })).rejects.toThrow('Choose where to save the backup by its full path.');
  } finally {
    await core.close();
  }
});

test('restores into an empty folder only: the running data dir and any other Tandem data are refused with a sentence, nothing changed', async () => {
  const { core, api, dataDir } = await openCore();
  const { id: seriesId } = await api.createSeries({ kind: 'peer', partnerName: 'Sam' });
  const empty = join(tempDir(), 'restored');
  try {
    core.docs.with(seriesId, (doc) => addAgendaItem(doc, { title: 'Kept safe' }, { now: new Date(), userId: 'me' }));
    const { file, createdAt } = await api.backupNow({});

    await expect(api.restoreBackup({ file, dataDir })).rejects.toThrow(
      'Tandem is running on that data directory: restore into an empty folder, then start Tandem on it. Nothing was changed.',
    );
    const other = tempDir();
    writeFileSync(join(other, 'tandem.db'), 'someone else');
    await expect(api.restoreBackup({ file, dataDir: other })).rejects.toThrow(
      /already holds Tandem data: restore into an empty data directory/,
    );
    expect(readFileSync(join(other, 'tandem.db'), 'utf8')).toBe('someone else');
    await expect(api.restoreBackup({ file: 'backup', dataDir: other })).rejects.toThrow('Choose the backup file by its full path.');

    mkdirSync(empty);
    expect(await api.restoreBackup({ file, dataDir: empty })).toEqual({ dataDir: empty, createdAt });
    expect(readdirSync(empty)).toContain('tandem.db');
  } finally {
    await core.close();
  }
  const state = (dir: string) =>
    openCore({ dataDir: dir }).then(async (opened) => {
      const bytes = opened.core.docs.with(seriesId, (doc) => Y.encodeStateAsUpdate(doc));
      await opened.core.close();
      return bytes;
    });
  expect(await state(empty)).toEqual(await state(dataDir));
});
