import { expect, test, type Locator, type Page } from '@playwright/test';
import { startRelay, startWebShell, tempDir } from './support/processes.js';
import { checkScreen } from './support/screens.js';
import { firstRun } from './support/tandem-page.js';

/** Opens a dialog from `opener` by keyboard, as a person without a mouse would. */
async function openByKeyboard(opener: Locator): Promise<void> {
  await opener.focus();
  await opener.page().keyboard.press('Enter');
  await expect(opener.page().getByRole('dialog')).toBeVisible();
}

async function closesBackTo(page: Page, opener: Locator): Promise<void> {
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(opener).toBeFocused();
}

test('focus lands on the first field when a dialog opens, returns to its opener when it closes, and never drops to the page', async ({
  page,
}) => {
  const relay = await startRelay(tempDir('relay'));
  const shell = await startWebShell(tempDir('focus'), { relay: relay.url });
  try {
    await page.goto(shell.url);
    await firstRun(page, 'Dana Whitfield');
    await expect(page.getByRole('heading', { level: 1, name: 'Your 1:1s' })).toBeFocused();

    const settings = page.getByRole('button', { name: 'Settings', exact: true });
    await openByKeyboard(settings);
    await expect(page.getByRole('textbox', { name: 'Your name' })).toBeFocused();
    await closesBackTo(page, settings);

    const join = page.getByRole('button', { name: 'Join a 1:1' });
    await openByKeyboard(join);
    await expect(page.getByRole('textbox', { name: 'Invite code or link' })).toBeFocused();
    await closesBackTo(page, join);

    const create = page.getByRole('button', { name: 'New 1:1' });
    await openByKeyboard(create);
    await expect(page.getByRole('textbox', { name: 'Their name' })).toBeFocused();
    await closesBackTo(page, create);
    // Cancel returns focus as Escape does.
    await openByKeyboard(create);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(create).toBeFocused();

    await openByKeyboard(create);
    await page.keyboard.type('Sam Okafor');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Sam Okafor' })).toBeFocused();

    const invite = page.getByRole('button', { name: 'Invite' });
    await openByKeyboard(invite);
    await expect(page.getByRole('textbox', { name: 'Invite code' })).toBeFocused();
    await closesBackTo(page, invite);

    await openByKeyboard(settings);
    await closesBackTo(page, settings);
    await checkScreen(page, 'focus-after-dialogs');
  } finally {
    await Promise.allSettled([shell.stop(), relay.stop()]);
  }
});

test('a theme chosen in Settings shows at once; Cancel and Escape put the previous one back, Save keeps it', async ({ page }) => {
  const shell = await startWebShell(tempDir('theme'));
  try {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(shell.url);
    await firstRun(page, 'Dana Whitfield');
    const theme = () => page.locator('html').getAttribute('data-theme');
    const settings = page.getByRole('button', { name: 'Settings', exact: true });
    expect(await theme()).toBe('light');

    await settings.click();
    await page.getByRole('radio', { name: 'Dark' }).check();
    await expect.poll(theme).toBe('dark');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(theme).toBe('light');

    await settings.click();
    await expect(page.getByRole('radio', { name: 'Match system' })).toBeChecked();
    await page.getByRole('radio', { name: 'Dark' }).check();
    await expect.poll(theme).toBe('dark');
    await page.keyboard.press('Escape');
    await expect.poll(theme).toBe('light');

    await settings.click();
    await page.getByRole('radio', { name: 'Dark' }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('dialog')).toBeHidden();
    await expect.poll(theme).toBe('dark');
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Your 1:1s' })).toBeVisible();
    await expect.poll(theme).toBe('dark');
    await settings.click();
    await expect(page.getByRole('radio', { name: 'Dark' })).toBeChecked();
    await checkScreen(page, 'settings-dark');
  } finally {
    await shell.stop();
  }
});
