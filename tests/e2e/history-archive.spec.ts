/**
 * Old years of a 1:1 live in archive documents: the history still shows them, loading a year only
 * when it is shown, its meetings read-only until edited on purpose.
 */
import { expect, test } from '@playwright/test';
import { TandemCore } from '../../src/core/tandem-core.js';
import { readArchived } from '../../src/shared/domain/archive.js';
import { fillHistory } from '../unit/helpers/history.js';
import { startWebShell, tempDir } from './support/processes.js';
import { openSeries } from './support/tandem-page.js';

/** A data dir holding a 1:1 held twice a year since 2021, whose 2021 and 2022 moved into archives. */
async function dataDirWithHistory(): Promise<string> {
  const dataDir = tempDir('archive');
  const core = await TandemCore.open({ dataDir });
  try {
    const api = core.connect();
    await api.setProfile({ name: 'Dana Whitfield' });
    const { id } = await api.createSeries({ partnerName: 'Sam Okafor', kind: 'manager-report', myRole: 'manager' });
    core.docs.with(id, (doc) => fillHistory(doc));
    await expect.poll(() => core.docs.with(id, (doc) => readArchived(doc).length)).toBe(4);
  } finally {
    await core.close();
  }
  return dataDir;
}

test('the history shows archived years, loading one when it is shown, its notes read-only until edited', async ({ page }) => {
  const shell = await startWebShell(await dataDirWithHistory());
  try {
    await page.goto(shell.url);
    await openSeries(page, 'Sam Okafor');
    await page.getByRole('button', { name: 'History' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('list', { name: 'Past meetings' }).getByRole('heading')).toHaveText([/1 Mar, .* · Held/]);
    const year2021 = dialog.getByRole('region', { name: 'Meetings of 2021' });
    await expect(year2021.getByRole('heading')).toHaveText('2021 · 2 meetings');
    await expect(dialog.getByRole('region', { name: 'Meetings of 2022' }).getByRole('heading')).toHaveText('2022 · 2 meetings');
    // Not loaded until shown.
    await expect(year2021.getByRole('list')).toHaveCount(0);
    await year2021.getByRole('button', { name: 'Show 2021' }).click();
    const past = year2021.getByRole('list', { name: 'Past meetings of 2021' });
    await expect(past.getByRole('heading')).toHaveText([/1 Sep, .* · Held/, /1 Mar, .* · Held/]);
    await expect(past).toContainText('Topic of 2021-03');
    await past.getByRole('button', { name: 'Show notes' }).last().click();
    const notes = past.getByRole('textbox', { name: 'Shared notes' });
    await expect(notes).toContainText('Notes of 2021-03.');
    await expect(notes).toHaveAttribute('aria-readonly', 'true');
    await past.getByRole('button', { name: 'Edit notes' }).click();
    await expect(notes).toHaveAttribute('aria-readonly', 'false');
  } finally {
    await shell.stop();
  }
});

test('the health panel counts the archived years: the next steps done in them', async ({ page }) => {
  const shell = await startWebShell(await dataDirWithHistory());
  try {
    await page.goto(shell.url);
    await openSeries(page, 'Sam Okafor');
    await page.getByRole('button', { name: 'Health' }).click();
    const panel = page.getByRole('dialog', { name: '1:1 health' });
    // One next step done on time in each of the five held meetings, four of them archived.
    const row = panel.locator('.figures__row').filter({ hasText: 'Next steps done by their due date' });
    await expect(row.getByRole('definition')).toHaveText('100 % (5 of 5), 0 overdue');
  } finally {
    await shell.stop();
  }
});
