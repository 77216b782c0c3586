/**
 * What opening the core leaves until the first list has gone out: SQLite's check of every page of
 * tandem.db, then today's backup. Both still happen, after the reply (or after a while when no UI
 * lists), and what the check finds reaches the UI.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { StorageCheck, TandemEvent } from '../../../src/shared/api.js';
import { BACKUPS_FOLDER } from '../../../src/core/backup/backup.js';
import { checkStore } from '../../../src/core/store/database.js';
import { TandemCore } from '../../../src/core/tandem-core.js';
import { openCore, type OpenedCore } from '../helpers/core.js';
import { damageTable } from '../helpers/damage.js';

/** The next storage-check event the session receives. */
function nextCheck(api: OpenedCore['api']): Promise<StorageCheck> {
  return new Promise((resolve) => {
    const off = api.onEvent((event: TandemEvent) => {
      if (event.type !== 'storage-check') return;
      off();
      resolve(event.check);
    });
  });
}

test("the integrity check and today's backup wait until the first list has gone out, then run, and the check's verdict reaches the UI", async () => {
  const { core, api, dataDir } = await openCore({ autoBackup: true, deferredWorkAfterMs: 60_000 });
  try {
    await api.createSeries({ kind: 'peer', partnerName: 'Sam' });
    // A check of the same file started now ends after one the core would have started at opening.
    expect(await checkStore(core.store)).toBeNull();
    expect(await api.storageCheck()).toEqual({ state: 'pending' });
    expect(existsSync(join(dataDir, BACKUPS_FOLDER))).toBe(false);

    const checked = nextCheck(api);
    expect(await api.listSeries()).toHaveLength(1);
    // The reply is out before the check starts.
    expect(core.storageCheck).toEqual({ state: 'pending' });
    expect(await checked).toEqual({ state: 'ok' });
    expect(await api.storageCheck()).toEqual({ state: 'ok' });
    const { backups } = await api.listBackups();
    expect(backups.map((b) => b.kind)).toEqual(['daily']);
  } finally {
    await core.close();
  }
});

test('without a list, the deferred work starts after deferredWorkAfterMs (a start in the tray)', async () => {
  const { core, api, dataDir } = await openCore({ autoBackup: true, deferredWorkAfterMs: 20 });
  try {
    expect(await nextCheck(api)).toEqual({ state: 'ok' });
    await api.listBackups();
    expect(readdirSync(join(dataDir, BACKUPS_FOLDER))).toHaveLength(1);
  } finally {
    await core.close();
  }
});

test('a damaged database opens and lists, then the check names the file and what to do, and no daily backup copies it', async () => {
  const first = await openCore();
  const { id } = await first.api.createSeries({ kind: 'peer', partnerName: 'Sam' });
  for (let i = 0; i < 5; i++) await first.api.addAgendaItem({ seriesId: id, title: `Topic ${i}` });
  await first.api.listSeries();
  await first.core.close();
  damageTable(first.dbFile, 'agenda_items');

  const core = await TandemCore.open({ dataDir: first.dataDir, autoBackup: true });
  const api = core.connect();
  try {
    const checked = nextCheck(api);
    expect((await api.listSeries()).map((s) => s.partnerName)).toEqual(['Sam']);
    const check = await checked;
    expect(check.state).toBe('damaged');
    expect(check.state === 'damaged' && check.message).toMatch(
      new RegExp(
        `^${first.dbFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged \\(SQLite quick_check: .*\\)\\. Tandem goes on .*restore it from a backup`,
        's',
      ),
    );
    expect(await api.storageCheck()).toEqual(check);
    expect((await api.listBackups()).backups).toEqual([]);
  } finally {
    await core.close();
  }
});

test('a core closed before any list leaves the check for the next start and writes no backup', async () => {
  const { core, api, dataDir } = await openCore({ autoBackup: true });
  await api.getProfile();
  await core.close();
  expect(core.storageCheck).toEqual({ state: 'pending' });
  expect(existsSync(join(dataDir, BACKUPS_FOLDER))).toBe(false);
});

test('a core opened for one job (the command line) checks at opening and refuses a damaged database there', async () => {
  const first = await openCore();
  const { id } = await first.api.createSeries({ kind: 'peer', partnerName: 'Sam' });
  for (let i = 0; i < 5; i++) await first.api.addAgendaItem({ seriesId: id, title: `Topic ${i}` });
  await first.api.listSeries();
  await first.core.close();
  const sound = await TandemCore.open({ dataDir: first.dataDir, checkStorageAtOpen: true });
  expect(sound.storageCheck).toEqual({ state: 'ok' });
  await sound.close();

  damageTable(first.dbFile, 'agenda_items');
  await expect(TandemCore.open({ dataDir: first.dataDir, checkStorageAtOpen: true })).rejects.toThrow(
    `${first.dbFile} is damaged (SQLite quick_check: `,
  );
});
