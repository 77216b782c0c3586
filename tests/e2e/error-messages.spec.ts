/** Every error a person sees is a sentence about what they did, shown verbatim where they did it. */
import { expect, test } from '@playwright/test';
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
