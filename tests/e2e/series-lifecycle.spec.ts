/**
 * The end of a 1:1's life: ended, it stays read-only for both people; removed from one device, it
 * is gone there and the other person keeps all of it.
 */
import { expect, test } from '@playwright/test';
import { startPair } from './support/pair.js';
import { checkScreen } from './support/screens.js';
import { startWebShell, tempDir } from './support/processes.js';
import { addItem, agenda, agendaTitles, createSeries, firstRun, notes, titles } from './support/tandem-page.js';

test('an ended 1:1 is read-only on both sides; removing it from one device leaves the other person their copy', async ({ browser }) => {
  const pair = await startPair(browser);
  const { a, b } = pair;
  try {
    await addItem(a, 'Handover plan');
    await expect.poll(() => titles(b)).toEqual(['Handover plan']);

    await a.getByRole('button', { name: '1:1 settings' }).click();
    await a.getByRole('dialog').getByRole('button', { name: 'End 1:1' }).click();
    await a.keyboard.press('Escape');

    // Sam sees it ended: nothing to add, start, move or edit, and the notes are read-only.
    await expect(b.getByText('This 1:1 has ended: it is kept read-only.')).toBeVisible();
    for (const page of [a, b]) {
      await expect(page.getByRole('textbox', { name: 'New agenda item' })).toBeHidden();
      await expect(page.getByRole('button', { name: 'Start 1:1' })).toBeHidden();
      await expect(page.getByRole('button', { name: 'Move or cancel' })).toBeHidden();
      await expect(page.getByRole('button', { name: 'Add a meeting' })).toBeHidden();
      await expect(agendaTitles(page).first()).toBeDisabled();
      await expect(agenda(page).getByRole('checkbox', { name: 'Mark Handover plan discussed' })).toBeDisabled();
      await expect(agenda(page).getByRole('button', { name: 'More actions for Handover plan' })).toBeDisabled();
      await expect(notes(page)).toHaveAttribute('contenteditable', 'false');
      await expect(page.getByRole('textbox', { name: 'Private notes' })).toHaveAttribute('contenteditable', 'false');
    }
    await checkScreen(b, 'ended-read-only');

    // Sam removes it from his device, told plainly what Dana keeps.
    await b.getByRole('button', { name: '1:1 settings' }).click();
    const settings = b.getByRole('dialog');
    await expect(settings.getByRole('textbox', { name: 'Name' })).toBeDisabled();
    await expect(settings.getByRole('combobox', { name: 'How often' })).toBeHidden();
    await expect(settings).toContainText('Dana Whitfield keeps their copy with everything you both wrote, and is not told');
    await settings.getByRole('button', { name: 'Remove from this device' }).click();
    await checkScreen(b, 'remove-from-device');
    await settings.getByRole('button', { name: 'Remove now' }).click();
    await expect(b.getByRole('button', { name: 'New 1:1' })).toBeVisible();
    await expect(b.getByRole('heading', { name: 'No 1:1s yet' })).toBeVisible();
    await b.reload();
    await expect(b.getByRole('heading', { name: 'No 1:1s yet' })).toBeVisible();

    // Dana still has all of it, among her past 1:1s.
    await a.getByRole('button', { name: 'Back to all 1:1s' }).click();
    await a
      .getByRole('list', { name: 'Past 1:1s' })
      .getByRole('link', { name: /^Sam Okafor/ })
      .click();
    await expect.poll(() => titles(a)).toEqual(['Handover plan']);
  } finally {
    await pair.stop();
  }
});

test('an unshared 1:1 says no other copy exists before it is removed', async ({ page }) => {
  const shell = await startWebShell(tempDir('remove-local'));
  try {
    await page.goto(shell.url);
    await firstRun(page, 'Dana Whitfield');
    await createSeries(page, 'Sam Okafor');
    await page.getByRole('button', { name: 'Create 1:1' }).click();
    await addItem(page, 'Only here');
    await page.getByRole('button', { name: '1:1 settings' }).click();
    await expect(page.getByRole('dialog')).toContainText('It was never shared, so no other copy exists.');
    await page.getByRole('dialog').getByRole('button', { name: 'Remove from this device' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove now' }).click();
    await expect(page.getByRole('heading', { name: 'No 1:1s yet' })).toBeVisible();
    await expect(page.getByRole('link', { name: /^Sam Okafor/ })).toHaveCount(0);
  } finally {
    await shell.stop();
  }
});
