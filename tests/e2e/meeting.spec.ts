import { expect, test, type Browser, type Page } from '@playwright/test';
import { startRelay, startWebShell, tempDir } from './support/processes.js';
import { bytesOnDisk, recordingProxy } from './support/recording-proxy.js';
import { checkScreen } from './support/screens.js';
import { addItem, createSeries, firstRun, notes, titles } from './support/tandem-page.js';

async function pageFor(browser: Browser, url: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  return page;
}

const walk = (page: Page) => page.getByRole('list', { name: 'Walk the agenda' });
const review = (page: Page) => page.getByRole('list', { name: 'Next steps from last time' });
test('a full 1:1: check-in, agenda walk, notes, next steps, end with carry-over; the private note never leaves', async ({ browser }) => {
  const relayDir = tempDir('relay');
  const relay = await startRelay(relayDir);
  // Both people reach the relay through a recorder: every byte either sends or receives is kept.
  const proxy = await recordingProxy(relay.port);
  const dirA = tempDir('dana');
  const shellA = await startWebShell(dirA, { relay: proxy.url });
  const shellB = await startWebShell(tempDir('sam'), { relay: proxy.url });
  const PRIVATE = 'Sam seems tired, ask about workload';
  try {
    const a = await pageFor(browser, shellA.url);
    const b = await pageFor(browser, shellB.url);
    await firstRun(a, 'Dana Whitfield');
    await firstRun(b, 'Sam Okafor');
    await createSeries(a, 'Sam Okafor');
    await a.getByRole('button', { name: 'Create 1:1' }).click();
    await a.getByRole('button', { name: 'Invite' }).click();
    const code = await a.getByRole('textbox', { name: 'Invite code' }).inputValue();
    await a.keyboard.press('Escape');
    await b.getByRole('button', { name: 'Join a 1:1' }).click();
    await b.getByRole('textbox', { name: 'Invite code or link' }).fill(code);
    await b.getByRole('button', { name: 'Join' }).click();
    await expect(b.getByRole('heading', { level: 1, name: 'Dana Whitfield' })).toBeVisible();

    // During the week both add items.
    await addItem(a, 'Career goals');
    await addItem(b, 'Time off in March');
    await addItem(a, 'Launch retro');
    await expect.poll(async () => (await titles(b)).length).toBe(3);

    // Dana starts the meeting; Sam sees it started, by her.
    await a.getByRole('button', { name: 'Start 1:1' }).click();
    await expect(b.getByRole('heading', { name: '1:1 in progress' })).toBeVisible();
    await expect(b.getByText('Started by Dana Whitfield')).toBeVisible();

    // Both check in, to the same prompt.
    const prompt = await a.locator('.meeting__prompt').textContent();
    await expect(b.locator('.meeting__prompt')).toHaveText(prompt!);
    await a.getByRole('textbox', { name: 'Your check-in' }).fill('Rested after the weekend');
    await b.getByRole('textbox', { name: 'Your check-in' }).fill('Busy but good');
    await expect(a.getByLabel("Sam Okafor's check-in")).toHaveText('Busy but good');
    await expect(b.getByLabel("Dana Whitfield's check-in")).toHaveText('Rested after the weekend');

    // Walking the agenda: the current item is the same on Sam's page.
    await a.getByRole('button', { name: 'Discuss Career goals' }).click();
    await expect(walk(b).locator('[aria-current="step"]')).toContainText('Career goals');
    await walk(a).getByRole('checkbox', { name: 'Career goals discussed' }).check();
    await a.getByRole('button', { name: 'Discuss Launch retro' }).click();
    await expect(walk(b).locator('[aria-current="step"]')).toContainText('Launch retro');
    await checkScreen(b, 'meeting-in-progress');

    // Shared notes reach Sam; the private note stays with Dana.
    await notes(a).click();
    // Typed as one edit each (like a paste), so each text travels whole in one update and a leak
    // could be found in the bytes; the shared one is the control that such a search finds it.
    await a.keyboard.insertText('Draft the promotion case');
    await expect(notes(b)).toContainText('Draft the promotion case');
    await a.getByRole('textbox', { name: 'Private notes' }).click();
    await a.keyboard.insertText(PRIVATE);
    await expect(a.getByRole('textbox', { name: 'Private notes' })).toContainText(PRIVATE);

    // A next step from an item, with an owner and a date.
    await a.getByRole('button', { name: 'Next step from Launch retro' }).click();
    await a.getByRole('textbox', { name: 'Next step', exact: true }).fill('Write the retro summary');
    await a.getByRole('combobox', { name: 'Owner', exact: true }).selectOption({ label: 'Sam Okafor' });
    await a.getByLabel('Due date', { exact: true }).fill('2030-01-20');
    await a.getByRole('button', { name: 'Add next step' }).click();
    await walk(a).getByRole('checkbox', { name: 'Launch retro discussed' }).check();

    // A next step from selected notes text.
    await notes(a).click();
    await a.keyboard.press('End');
    await a.keyboard.press('Shift+Home');
    await a.getByRole('button', { name: 'Make next step' }).click();
    const made = a.getByRole('list', { name: 'Next steps', exact: true });
    await expect(made.getByRole('listitem')).toHaveCount(2);
    await expect(made).toContainText('Draft the promotion case');

    // Ending: the summary points out the step without an owner or date, and what was not reached.
    await a.getByRole('button', { name: 'End 1:1' }).click();
    const dialog = a.getByRole('dialog', { name: 'End this 1:1' });
    await expect(dialog.getByRole('alert')).toContainText('Draft the promotion case');
    await expect(dialog).toContainText('Time off in March');
    await checkScreen(a, 'end-of-meeting');
    await dialog.getByRole('button', { name: 'End meeting' }).click();

    // The next meeting, on both sides: the carried item (count 1) and both next steps to review.
    for (const page of [a, b]) {
      await expect(page.getByRole('button', { name: 'Start 1:1' })).toBeVisible();
      await expect(page.getByRole('list', { name: 'Agenda' }).getByRole('listitem').filter({ hasText: 'carried ×1' })).toHaveCount(1);
      await expect.poll(() => titles(page)).toEqual(['Time off in March']);
      await expect(review(page).getByRole('listitem')).toHaveCount(2);
      await expect(review(page)).toContainText('Write the retro summary');
      await expect(review(page)).toContainText('Draft the promotion case');
    }
    await checkScreen(b, 'next-meeting');

    // Sam's list screen shows the step he owns among his open next steps.
    await b.getByRole('button', { name: 'Back to all 1:1s' }).click();
    await expect(b.getByRole('list', { name: 'Mine: open next steps' })).toContainText('Write the retro summary');
    await checkScreen(b, 'open-next-steps');

    // Each meeting has its own private pane; Dana's note is kept on her device alone.
    await expect(a.getByRole('textbox', { name: 'Private notes' })).toHaveText('');
    expect(bytesOnDisk(dirA).includes(PRIVATE)).toBe(true);
    expect(proxy.bytes().includes('Draft the promotion case')).toBe(true);
    expect(proxy.bytes().includes(PRIVATE)).toBe(false);
    expect(bytesOnDisk(relayDir).includes(PRIVATE)).toBe(false);
  } finally {
    await Promise.allSettled([shellA.stop(), shellB.stop(), proxy.close(), relay.stop()]);
  }
});
