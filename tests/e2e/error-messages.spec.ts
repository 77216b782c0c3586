/** Every error a person sees is a sentence about what they did, shown verbatim where they did it. */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { damageTable } from '../unit/helpers/damage.js';
import { startWebShell, tempDir } from './support/processes.js';
import { createSeries, firstRun } from './support/tandem-page.js';

test('bad input in Settings, Join and Invite is answered with a sentence about the action', async ({ page }) => {
  const shell = await startWebShell(tempDir('errors'));
  try {
    await page.goto(shell.url);
    await firstRun(page, 'Dana Whitfield');

    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('textbox', { name: 'Relay address' }).fill('http://relay.example.com');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('dialog')).toContainText("That doesn't look like a relay address: it should start with ws:// or wss://.");
    await expect(page.getByRole('dialog')).not.toContainText('setRelay');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Join a 1:1' }).click();
    const code = page.getByRole('textbox', { name: 'Invite code or link' });
    await code.fill('hello there');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(page.getByRole('dialog')).toContainText(
      "That doesn't look like a Tandem invite: ask for a new one and paste all of it (it has characters an invite never has).",
    );
    await code.fill('x'.repeat(5000));
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(page.getByRole('dialog')).toContainText(
      'That is too long to be a Tandem invite: paste only the code or link you were sent.',
    );
    await expect(page.getByRole('dialog')).not.toContainText('acceptInvite');
    await page.keyboard.press('Escape');

    await createSeries(page, 'Sam Okafor');
    await page.getByRole('button', { name: 'Create 1:1' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Sam Okafor' })).toBeVisible();
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await page.getByRole('textbox', { name: 'Relay address' }).fill('ws://relay:99999');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('dialog')).toContainText(
      'That relay address has no valid host and port: write it as ws://host or ws://host:port, with a port from 1 to 65535.',
    );
  } finally {
    await shell.stop();
  }
});

test('a damaged database still shows the list, then a banner naming the file and what to do', async ({ page }) => {
  const dataDir = tempDir('damaged');
  let shell = await startWebShell(dataDir);
  try {
    await page.goto(shell.url);
    await firstRun(page, 'Dana Whitfield');
    await createSeries(page, 'Sam Okafor');
    await page.getByRole('button', { name: 'Create 1:1' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Sam Okafor' })).toBeVisible();
    await expect(page.locator('.storage-damaged')).toHaveCount(0);
  } finally {
    await shell.stop();
  }
  damageTable(join(dataDir, 'tandem.db'), 'agenda_items');
  shell = await startWebShell(dataDir);
  try {
    await page.goto(shell.url);
    await expect(
      page
        .getByRole('link', { name: /^Sam Okafor/ })
        .or(page.getByRole('button', { name: /^Sam Okafor/ }))
        .first(),
    ).toBeVisible();
    const banner = page.getByRole('alert').filter({ hasText: 'is damaged (SQLite quick_check' });
    await expect(banner).toContainText(join(dataDir, 'tandem.db'));
    await expect(banner).toContainText('restore it from a backup');
  } finally {
    await shell.stop();
  }
});
