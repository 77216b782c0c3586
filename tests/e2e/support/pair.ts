/** Two people, each with their own web shell and data dir, sharing one 1:1 through a real relay. */
import { expect, type Browser, type Page } from '@playwright/test';
import { startRelay, startWebShell, tempDir, type RelayProcess, type WebShellProcess } from './processes.js';
import { createSeries, firstRun } from './tandem-page.js';

export interface Pair {
  a: Page;
  b: Page;
  relay: RelayProcess;
  shellA: WebShellProcess;
  shellB: WebShellProcess;
  stop(): Promise<void>;
}

export async function pageFor(browser: Browser, shell: WebShellProcess): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(shell.url);
  return page;
}

/** Makes an invite in the 1:1 open on `page` and returns its code, with the dialog closed again. */
export async function inviteCode(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Invite' }).click();
  const code = await page.getByRole('textbox', { name: 'Invite code' }).inputValue();
  await page.keyboard.press('Escape');
  return code;
}

/** Dana creates a 1:1 with Sam and invites him; Sam joins; both have it open. */
export async function startPair(browser: Browser): Promise<Pair> {
  const relay = await startRelay(tempDir('relay'));
  const shellA = await startWebShell(tempDir('dana'), { relay: relay.url });
  const shellB = await startWebShell(tempDir('sam'), { relay: relay.url });
  const stop = async () => void (await Promise.allSettled([shellA.stop(), shellB.stop(), relay.stop()]));
  try {
    const a = await pageFor(browser, shellA);
    const b = await pageFor(browser, shellB);
    await firstRun(a, 'Dana Whitfield');
    await firstRun(b, 'Sam Okafor');
    await createSeries(a, 'Sam Okafor');
    await a.getByRole('button', { name: 'Create 1:1' }).click();
    const code = await inviteCode(a);
    await b.getByRole('button', { name: 'Join a 1:1' }).click();
    await b.getByRole('textbox', { name: 'Invite code or link' }).fill(code);
    await b.getByRole('button', { name: 'Join' }).click();
    await expect(b.getByRole('heading', { level: 1, name: 'Dana Whitfield' })).toBeVisible();
    return { a, b, relay, shellA, shellB, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
