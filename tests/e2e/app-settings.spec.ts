/**
 * The app settings (reminders, the quick-add shortcut, launch at login, theme): validated with a
 * sentence that keeps what was typed, stored by the core, and applied in every window at once.
 */
import { expect, test } from '@playwright/test';
import { pageFor } from './support/pair.js';
import { startWebShell, tempDir } from './support/processes.js';
import { checkScreen } from './support/screens.js';
import { firstRun } from './support/tandem-page.js';

test('settings refuse a bad lead time or shortcut with a sentence, and once saved apply in another window without a reload', async ({
  browser,
}) => {
  const shell = await startWebShell(tempDir('settings'));
  try {
    const a = await pageFor(browser, shell);
    await a.emulateMedia({ colorScheme: 'light' });
    await firstRun(a, 'Dana Whitfield');
    const b = await pageFor(browser, shell);
    await b.emulateMedia({ colorScheme: 'light' });
    await expect(b.getByRole('button', { name: 'New 1:1' })).toBeVisible();
    const theme = () => b.locator('html').getAttribute('data-theme');
    expect(await theme()).toBe('light');

    await a.getByRole('button', { name: 'Settings', exact: true }).click();
    const lead = a.getByRole('textbox', { name: 'Minutes before' });
    const shortcut = a.getByRole('textbox', { name: 'Quick-add shortcut' });
    await expect(lead).toHaveValue('10');
    await expect(shortcut).toHaveValue('CommandOrControl+Shift+Space');
    await lead.fill('0');
    await a.getByRole('radio', { name: 'Dark' }).check();
    await a.getByRole('button', { name: 'Save' }).click();
    await expect(a.getByRole('alert')).toHaveText('A reminder comes at least 1 minute before the meeting.');
    await expect(lead).toHaveValue('0');

    await lead.fill('15');
    await shortcut.fill('K');
    await a.getByRole('button', { name: 'Save' }).click();
    await expect(a.getByRole('alert')).toHaveText(/^A global shortcut needs a modifier/);
    expect(await theme()).toBe('light');

    await shortcut.fill('Ctrl+Alt+T');
    await a.getByRole('checkbox', { name: 'Start Tandem when I log in' }).check();
    await checkScreen(a, 'settings-desktop');
    await a.getByRole('button', { name: 'Save' }).click();
    await expect(a.getByRole('dialog')).toBeHidden();
    await expect.poll(theme).toBe('dark');

    await b.reload();
    await b.getByRole('button', { name: 'Settings', exact: true }).click();
    await expect(b.getByRole('textbox', { name: 'Minutes before' })).toHaveValue('15');
    await expect(b.getByRole('textbox', { name: 'Quick-add shortcut' })).toHaveValue('Ctrl+Alt+T');
    await expect(b.getByRole('checkbox', { name: 'Start Tandem when I log in' })).toBeChecked();
    await expect(b.getByRole('radio', { name: 'Dark' })).toBeChecked();
  } finally {
    await shell.stop();
  }
});
