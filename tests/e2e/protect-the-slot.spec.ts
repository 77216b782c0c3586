import { expect, test } from '@playwright/test';
import { startPair } from './support/pair.js';
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
    await page.keyboard.press('Escape');

    // Settings: a new name and cadence (the hand-moved meeting stays), then ending the 1:1.
    await page.getByRole('button', { name: '1:1 settings' }).click();
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Design sync');
    await dialog.getByRole('combobox', { name: 'How often' }).selectOption({ label: 'Every week' });
    await checkScreen(page, 'series-settings');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Design sync' })).toBeVisible();
    await expect(page.getByText('Next meeting Wed 19 Mar, 15:00')).toBeVisible();
    await page.getByRole('button', { name: '1:1 settings' }).click();
    await dialog.getByRole('button', { name: 'End 1:1' }).click();
    await expect(dialog).toContainText('This 1:1 has ended and is kept read-only');
    await page.keyboard.press('Escape');
    await expect(page.getByText('This 1:1 has ended: it is kept read-only.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Move or cancel' })).toBeHidden();
    await page.getByRole('button', { name: 'Back to all 1:1s' }).click();
    await expect(page.getByRole('list', { name: 'Past 1:1s' }).getByRole('link', { name: /^Design sync, .*Ended/ })).toBeVisible();
    await checkScreen(page, 'list-past');
  } finally {
    await shell.stop();
  }
});

test('the other participant sees the skip and the move, with their reasons, in the history', async ({ browser }) => {
  const pair = await startPair(browser, { timezoneId: 'Europe/Berlin', firstMeeting: '2031-03-04T10:00' });
  const { a, b } = pair;
  try {
    await expect(b.getByText('Next meeting Tue 4 Mar, 10:00')).toBeVisible();

    const dialog = a.getByRole('dialog');
    await a.getByRole('button', { name: 'Move or cancel' }).click();
    await dialog.getByRole('radio', { name: 'Skip this meeting' }).check();
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('Public holiday');
    await dialog.getByRole('button', { name: 'Skip meeting' }).click();
    await a.getByRole('button', { name: 'Move or cancel' }).click();
    await dialog.getByLabel('New date and time').fill('2031-03-12T15:00');
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('Offsite on Tuesday');
    await dialog.getByRole('button', { name: 'Move meeting' }).click();

    await expect(b.getByText('Next meeting Wed 12 Mar, 15:00')).toBeVisible();
    await b.getByRole('button', { name: 'History' }).click();
    const past = b.getByRole('dialog').getByRole('list', { name: 'Past meetings' });
    await expect(past.getByRole('heading')).toHaveText(['Wed 12 Mar, 15:00 · Upcoming', 'Tue 4 Mar, 10:00 · Cancelled']);
    await expect(past).toContainText('Moved from Tue 11 Mar, 10:00 to Wed 12 Mar, 15:00: Offsite on Tuesday');
    await expect(past).toContainText('Cancelled: Public holiday');
    await checkScreen(b, 'history-other-participant');
  } finally {
    await pair.stop();
  }
});
