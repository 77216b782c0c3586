/**
 * Old years of a 1:1 live in archive documents: the history still shows them, loading a year only
 * when it is shown, its meetings read-only until edited on purpose.
 */
import { expect, test } from '@playwright/test';
import { TandemCore } from '../../src/core/tandem-core.js';
import { archiveDocId, readArchived } from '../../src/shared/domain/archive.js';
import { meetingNotes } from '../../src/shared/domain/series-doc.js';
import { fillHistory } from '../unit/helpers/history.js';
import { writeParagraph } from '../unit/helpers/notes.js';
import { startWebShell, tempDir } from './support/processes.js';
import { openSeries } from './support/tandem-page.js';

/**
 * A data dir holding a 1:1 held twice a year since 2021, whose 2021 and 2022 moved into archives;
 * the notes of September 2022, written in its archive, mention the zeppelin migration.
 */
async function dataDirWithHistory(): Promise<string> {
  const dataDir = tempDir('archive');
  const core = await TandemCore.open({ dataDir });
  try {
    const api = core.connect();
    await api.setProfile({ name: 'Dana Whitfield' });
    const { id } = await api.createSeries({ partnerName: 'Sam Okafor', kind: 'manager-report', myRole: 'manager' });
    core.docs.with(id, (doc) => fillHistory(doc));
    await expect.poll(() => core.docs.with(id, (doc) => readArchived(doc).length)).toBe(4);
    core.docs.with(archiveDocId(id, 2022), (doc) =>
      writeParagraph(meetingNotes(doc, 'meeting-2022-09'), 'Sam will lead the zeppelin migration.'),
    );
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

test('Ctrl+K finds a word from an archived meeting and lands on that meeting at the place found', async ({ page }) => {
  const shell = await startWebShell(await dataDirWithHistory());
  try {
    await page.goto(shell.url);
    await openSeries(page, 'Sam Okafor');
    await page.keyboard.press('Control+k');
    const search = page.getByRole('dialog', { name: 'Search all 1:1s' });
    const box = search.getByRole('searchbox', { name: 'Search' });
    await box.fill('zeppel');
    const results = search.getByRole('list', { name: 'Results' });
    await expect(results.getByRole('link')).toHaveCount(1);
    await expect(results.getByRole('link')).toContainText(/Shared notes · \w+ 1 Sep/);
    await expect(results.locator('mark')).toHaveText('zeppelin');
    await box.press('Enter');
    await expect(page).toHaveURL(/#\/series\/[0-9a-f-]{36}\/meetings\/meeting-2022-09\/notes$/);
    const meeting = page.getByRole('dialog', { name: /^Meeting of \w+ 1 Sep/ });
    const notes = meeting.getByRole('region', { name: 'Shared notes' });
    await expect(notes).toHaveAttribute('aria-current', 'location');
    await expect(notes).toContainText('Sam will lead the zeppelin migration.');
    await expect(notes).toBeFocused();
    // An agenda item of an older archived year: the meeting opens with that item marked.
    await page.keyboard.press('Escape');
    await expect(page).toHaveURL(/#\/series\/[0-9a-f-]{36}$/);
    await page.keyboard.press('Control+k');
    await box.fill('Topic of 2021 03');
    await expect(results.getByRole('link')).toHaveCount(1);
    await box.press('Enter');
    const agenda = page.getByRole('dialog', { name: /^Meeting of \w+ 1 Mar/ }).getByRole('region', { name: 'Agenda' });
    await expect(agenda).toHaveAttribute('aria-current', 'location');
    await expect(agenda.locator('.found__entry--here')).toHaveText('Topic of 2021-03');
  } finally {
    await shell.stop();
  }
});
