import { expect, test, type Browser, type Page } from '@playwright/test';
import { startRelay, startWebShell, tempDir, type RelayProcess, type WebShellProcess } from './support/processes.js';
import { checkScreen } from './support/screens.js';
import { addItem, createSeries, firstRun, notes, saved, titles } from './support/tandem-page.js';

async function pageFor(browser: Browser, shell: WebShellProcess): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(shell.url);
  return page;
}

const syncState = (page: Page) => page.getByTestId('sync-state');

async function seesItems(page: Page, expected: string[]): Promise<void> {
  await expect.poll(async () => (await titles(page)).slice().sort()).toEqual(expected.slice().sort());
}

test('two people share a 1:1 through the relay, live and across an outage and a restart', async ({ browser }) => {
  const relayDir = tempDir('relay');
  let relay: RelayProcess = await startRelay(relayDir);
  const dirA = tempDir('dana');
  const dirB = tempDir('sam');
  const shellA = await startWebShell(dirA, { relay: relay.url });
  let shellB = await startWebShell(dirB, { relay: relay.url });
  try {
    const a = await pageFor(browser, shellA);
    const b = await pageFor(browser, shellB);
    await firstRun(a, 'Dana Whitfield');
    await firstRun(b, 'Sam Okafor');

    await createSeries(a, 'Sam Okafor');
    await a.getByRole('button', { name: 'Create 1:1' }).click();
    await addItem(a, 'Career goals');
    await a.getByRole('button', { name: 'Invite' }).click();
    const code = await a.getByRole('textbox', { name: 'Invite code' }).inputValue();
    expect(code.length).toBeGreaterThan(40);
    await checkScreen(a, 'invite-dialog');
    await a.keyboard.press('Escape');

    await b.getByRole('button', { name: 'Join a 1:1' }).click();
    await b.getByRole('textbox', { name: 'Invite code or link' }).fill(code);
    await checkScreen(b, 'join-dialog');
    await b.getByRole('button', { name: 'Join' }).click();
    await expect(b.getByRole('heading', { level: 1, name: 'Dana Whitfield' })).toBeVisible();
    await seesItems(b, ['Career goals']);
    await expect(syncState(a)).toHaveText('Synced');
    await expect(syncState(b)).toHaveText('Synced');

    // Both add at the same time; both see both.
    await Promise.all([addItem(a, 'Launch retro'), addItem(b, 'Time off in March')]);
    await seesItems(a, ['Career goals', 'Launch retro', 'Time off in March']);
    await seesItems(b, ['Career goals', 'Launch retro', 'Time off in March']);

    // Dana types in the notes: Sam sees the text and Dana's caret with her name.
    await notes(a).click();
    await a.keyboard.type('Dana: great quarter.');
    await expect(notes(b)).toContainText('Dana: great quarter.');
    await expect(b.locator('.collaboration-carets__label', { hasText: 'Dana Whitfield' })).toBeVisible();
    await expect(b.getByRole('list', { name: 'Here now' }).getByRole('listitem', { name: /Dana Whitfield/ })).toBeVisible();
    await checkScreen(b, 'live-co-editing');

    // The relay goes away; both keep working and see that they are offline.
    await relay.stop();
    await expect(syncState(a)).toContainText('Offline');
    await expect(syncState(b)).toContainText('Offline');
    await addItem(a, 'Written on the plane');
    await addItem(b, 'Written at home');
    await expect(syncState(a)).toContainText('not yet sent');
    await checkScreen(a, 'offline');

    relay = await startRelay(relayDir, relay.port);
    const all = ['Career goals', 'Launch retro', 'Time off in March', 'Written on the plane', 'Written at home'];
    await seesItems(a, all);
    await seesItems(b, all);
    await expect(syncState(a)).toHaveText('Synced');
    await expect(syncState(b)).toHaveText('Synced');
    await saved(b);

    // Sam's app restarts with no relay in reach: everything is still there.
    await relay.stop();
    await shellB.stop();
    shellB = await startWebShell(dirB, { relay: relay.url });
    const b2 = await pageFor(browser, shellB);
    await b2
      .getByRole('link', { name: /^Dana Whitfield/ })
      .or(b2.getByRole('button', { name: /^Dana Whitfield/ }))
      .first()
      .click();
    await seesItems(b2, all);
    await expect(notes(b2)).toContainText('Dana: great quarter.');
    await expect(syncState(b2)).toContainText('Offline');
  } finally {
    await Promise.allSettled([shellA.stop(), shellB.stop(), relay.stop()]);
  }
});
