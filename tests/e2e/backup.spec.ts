/**
 * Backups in the web shell: Backup now writes one into the data dir's backups folder, the list
 * shows it beside the daily one, it downloads, and Restore… puts it into an empty folder only.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { TandemCore } from '../../src/core/tandem-core.js';
import { startWebShell, tempDir } from './support/processes.js';
import { openSeries } from './support/tandem-page.js';

test('Backup now, download it, and restore it into an empty folder; a folder holding data is refused with a sentence', async ({ page }) => {
  const dataDir = tempDir('backup');
  const core = await TandemCore.open({ dataDir });
  try {
    const api = core.connect();
    await api.setProfile({ name: 'Dana' });
    await api.createSeries({ partnerName: 'Sam', kind: 'peer' });
  } finally {
    await core.close();
  }
  const shell = await startWebShell(dataDir);
  try {
    await page.goto(shell.url);
    await openSeries(page, 'Sam');
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    const list = settings.getByRole('list', { name: 'Backups on this device' });
    // The web shell writes today's daily backup when it starts.
    await expect(list.getByRole('listitem')).toHaveText([/daily/]);

    await settings.getByRole('button', { name: 'Backup now' }).click();
    await expect(settings.getByRole('status')).toHaveText(/^Backup written: tandem-\d{4}-\d{2}-\d{2}-\d{6}\.tandem-backup \(\d+ KB\)\.$/);
    await expect(list.getByRole('listitem')).toHaveText([/made by you/, /daily/]);

    const downloading = page.waitForEvent('download');
    await list.getByRole('listitem').first().getByRole('link', { name: 'Download' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^tandem-\d{4}-\d{2}-\d{2}-\d{6}\.tandem-backup$/);
    const saved = join(tempDir('downloaded'), 'copy.tandem-backup');
    await download.saveAs(saved);
    expect(readFileSync(saved).subarray(0, 14).toString()).toBe('TANDEM-BACKUP\n');

    // Restore… from a listed backup: its path is filled in; a folder holding Tandem data is refused.
    await list
      .getByRole('listitem')
      .first()
      .getByRole('button', { name: /^Restore the backup of/ })
      .click();
    const restore = page.getByRole('dialog', { name: 'Restore a backup' });
    await expect(restore.getByRole('textbox', { name: 'Backup file' })).toHaveValue(/backups\/tandem-.*\.tandem-backup$/);
    const occupied = tempDir('occupied');
    writeFileSync(join(occupied, 'tandem.db'), 'somebody’s data');
    await restore.getByRole('textbox', { name: 'Empty folder to restore into' }).fill(occupied);
    await restore.getByRole('button', { name: 'Restore' }).click();
    await expect(restore.getByRole('alert')).toHaveText(
      `${occupied} already holds Tandem data: restore into an empty data directory. Nothing was changed.`,
    );
    expect(readdirSync(occupied)).toEqual(['tandem.db']);

    // The downloaded copy, typed by its path, into an empty folder.
    const empty = join(tempDir('restore'), 'tandem');
    mkdirSync(empty);
    await restore.getByRole('textbox', { name: 'Backup file' }).fill(saved);
    await restore.getByRole('textbox', { name: 'Empty folder to restore into' }).fill(empty);
    await restore.getByRole('button', { name: 'Restore' }).click();
    await expect(restore.getByRole('status')).toContainText(`into ${empty}. Start Tandem with --data-dir ${empty}`);
    // The settings behind were not saved or closed by the restore form.
    await page.keyboard.press('Escape');
    await expect(settings).toBeVisible();

    const restored = await TandemCore.open({ dataDir: empty, sync: false });
    try {
      expect((await restored.connect().listSeries()).map((s) => s.partnerName)).toEqual(['Sam']);
    } finally {
      await restored.close();
    }
  } finally {
    await shell.stop();
  }
});
