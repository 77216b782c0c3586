import { expect, test } from '@playwright/test';
import { startWebShell, tempDir } from './support/processes.js';
import { checkScreen } from './support/screens.js';
import { addItem, createSeries, firstRun } from './support/tandem-page.js';

test.use({ timezoneId: 'Europe/Berlin' });

test('a 1:1 with a cadence: one meeting skipped and the next moved, each with a reason, and the history shows both', async ({ page }) => {
  const shell = await startWebShell(tempDir('slot'));
  try {
    await page.goto(shell.url);
    await firstRun(page, 'Dana Whitfield');
    await createSeries(page, 'Sam Okafor');
    await page.getByRole('combobox', { name: 'How often' }).selectOption({ label: 'Every two weeks' });
    await page.getByLabel('First meeting').fill('2031-03-04T10:00');
    await page
      .getByRole('textbox', { name: 'Length (minutes)' })
      .or(page.getByRole('spinbutton', { name: 'Length (minutes)' }))
      .fill('45');
    await expect(page.getByRole('textbox', { name: 'Time zone' })).toHaveValue('Europe/Berlin');
    await checkScreen(page, 'new-series-cadence');
    await page.getByRole('button', { name: 'Create 1:1' }).click();
    await expect(page.getByText('Next meeting Tue 4 Mar, 10:00')).toBeVisible();
    await addItem(page, 'Growth plan');

    const dialog = page.getByRole('dialog');
    await page.getByRole('button', { name: 'Move or cancel' }).click();
    await dialog.getByRole('radio', { name: 'Skip this meeting' }).check();
    await expect(dialog.getByRole('note')).toContainText('1 open item goes on to the next meeting');
    await expect(dialog.getByRole('note')).toContainText('Growth plan');
    await dialog.getByRole('button', { name: 'Skip meeting' }).click();
    await expect(dialog.getByRole('alert')).toContainText('Say why');
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('Public holiday');
    await checkScreen(page, 'skip-meeting');
    await dialog.getByRole('button', { name: 'Skip meeting' }).click();
    await expect(page.getByText('Next meeting Tue 18 Mar, 10:00')).toBeVisible();

    // Move is what the dialog offers first.
    await page.getByRole('button', { name: 'Move or cancel' }).click();
    await expect(dialog.getByRole('radio', { name: 'Move it to another time' })).toBeChecked();
    await dialog.getByLabel('New date and time').fill('2031-03-19T15:00');
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('Offsite on Tuesday');
    await checkScreen(page, 'move-meeting');
    await dialog.getByRole('button', { name: 'Move meeting' }).click();
    await expect(page.getByText('Next meeting Wed 19 Mar, 15:00')).toBeVisible();

    await page.getByRole('button', { name: 'History' }).click();
    const past = dialog.getByRole('list', { name: 'Past meetings' });
    await expect(past.getByRole('heading')).toHaveText(['Wed 19 Mar, 15:00 · Upcoming', 'Tue 4 Mar, 10:00 · Cancelled']);
    await expect(past.getByRole('listitem').first()).toContainText('Moved from Tue 18 Mar, 10:00 to Wed 19 Mar, 15:00: Offsite on Tuesday');
    await expect(past.getByRole('listitem').last()).toContainText('Cancelled: Public holiday (1 item carried forward)');
    await past.getByRole('button', { name: 'Show notes' }).last().click();
    const notes = past.getByRole('textbox', { name: 'Shared notes' });
    await expect(notes).toHaveAttribute('aria-readonly', 'true');
    await past.getByRole('button', { name: 'Edit notes' }).click();
    await expect(notes).toHaveAttribute('aria-readonly', 'false');
    await checkScreen(page, 'history');
  } finally {
    await shell.stop();
  }
});
