import { expect, test, type Locator, type Page } from '@playwright/test';
import { WebSocket } from 'ws';
import { startWebShell, tempDir } from './support/processes.js';
import { checkScreen } from './support/screens.js';
import { addItem, agenda, createSeries, firstRun, notes, openSeries, saved, titles } from './support/tandem-page.js';

test('a new user sets up a 1:1, builds its agenda and notes, and finds everything after a restart', async ({ page }) => {
  const dataDir = tempDir('foundation');
  let shell = await startWebShell(dataDir);
  try {
    await page.goto(shell.url);
    await expect(page.getByRole('textbox', { name: 'Your name' })).toBeVisible();
    await checkScreen(page, 'first-run');
    await firstRun(page, 'Dana Whitfield');
    await checkScreen(page, 'list-empty');

    await createSeries(page, 'Sam Okafor');
    await checkScreen(page, 'new-series-dialog');
    await page.getByRole('button', { name: 'Create 1:1' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Sam Okafor' })).toBeVisible();

    await addItem(page, 'Career goals for next quarter');
    await addItem(page, 'Feedback on the launch review');
    await addItem(page, 'Vacation plans');
    expect(await titles(page)).toEqual(['Career goals for next quarter', 'Feedback on the launch review', 'Vacation plans']);

    // Keyboard drag: pick the item up by its handle, move it up one place, drop it.
    const handle = page.getByRole('button', { name: 'Reorder Vacation plans' });
    await handle.focus();
    await page.keyboard.press('Space');
    await expect(handle).toHaveAttribute('aria-pressed', 'true');
    // Drop only once the drag has registered the new position, as a person sees it before dropping.
    // An arrow pressed before the list has measured its rows moves nothing ("over position 3 of 3"),
    // as a person would see; they press it again, and so does this test.
    const announced = page.locator('[id^="DndLiveRegion"]');
    await expect(async () => {
      if (!(await announced.textContent())?.includes('position 2 of 3')) await page.keyboard.press('ArrowUp');
      await expect(announced).toContainText('Vacation plans is over position 2 of 3', { timeout: 1000 });
    }).toPass();
    await page.keyboard.press('Space');
    await expect.poll(() => titles(page)).toEqual(['Career goals for next quarter', 'Vacation plans', 'Feedback on the launch review']);
    // The shortcut without dragging: Alt+Up on the focused item.
    await handle.focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => titles(page)).toEqual(['Vacation plans', 'Career goals for next quarter', 'Feedback on the launch review']);

    // Mouse drag: the last item by its handle onto the first place, and back again.
    await dragOnto(page, 'Feedback on the launch review', 'Vacation plans', 1);
    await expect.poll(() => titles(page)).toEqual(['Feedback on the launch review', 'Vacation plans', 'Career goals for next quarter']);
    await dragOnto(page, 'Feedback on the launch review', 'Career goals for next quarter', 3);
    await expect.poll(() => titles(page)).toEqual(['Vacation plans', 'Career goals for next quarter', 'Feedback on the launch review']);

    await agenda(page).getByRole('checkbox', { name: 'Mark Feedback on the launch review discussed' }).check();

    await notes(page).click();
    await page.keyboard.type('Sam wants to lead the next launch.');
    await expect(notes(page)).toContainText('Sam wants to lead the next launch.');
    await saved(page);
    await checkScreen(page, 'series-view');

    await shell.stop();
    await expect(page.getByRole('alert').filter({ hasText: 'Tandem is not running' })).toBeVisible();
    await checkScreen(page, 'connection-lost');
    shell = await startWebShell(dataDir);
    await page.goto(shell.url);
    await expect(page.getByText('Sam Okafor').first()).toBeVisible();
    await checkScreen(page, 'list');
    await openSeries(page, 'Sam Okafor');
    await expect.poll(() => titles(page)).toEqual(['Vacation plans', 'Career goals for next quarter', 'Feedback on the launch review']);
    await expect(agenda(page).getByRole('checkbox', { name: 'Mark Feedback on the launch review discussed' })).toBeChecked();
    await expect(agenda(page).getByRole('checkbox', { name: 'Mark Vacation plans discussed' })).not.toBeChecked();
    await expect(notes(page)).toContainText('Sam wants to lead the next launch.');

    // The dark theme follows the system setting and must stay as legible.
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await checkScreen(page, 'series-view-dark');
  } finally {
    await shell.stop();
  }
});

test('the web shell opens only with its session token, keeps it across restarts, and replaces it on demand', async ({ page, request }) => {
  const dataDir = tempDir('token');
  let shell = await startWebShell(dataDir);
  try {
    const bare = await request.get(`${shell.origin}/`);
    expect(bare.status()).toBe(401);
    expect(await bare.text()).toContain('open the address Tandem printed when it started');
    expect((await request.get(`${shell.origin}/?token=wrong`)).status()).toBe(401);
    expect(await upgradeStatus(`${shell.origin.replace('http', 'ws')}/rpc`)).toBe(401);

    await page.goto(shell.url);
    await firstRun(page, 'Dana Whitfield');
    expect(await page.context().cookies()).toEqual([]);

    // Restarted on the same data, at the same address: the page left open reloads into Tandem.
    const port = new URL(shell.url).port;
    await shell.stop();
    shell = await startWebShell(dataDir, { port });
    expect(shell.url).toBe(page.url().split('#')[0]);
    await page.reload();
    await expect(page.getByRole('button', { name: 'New 1:1' })).toBeVisible();

    // A new token: the old address gets the sentence saying what to do, the new one works.
    const old = shell.url;
    await shell.stop();
    shell = await startWebShell(dataDir, { port, newToken: true });
    expect(shell.token).not.toBe(new URL(old).searchParams.get('token'));
    await page.reload();
    await expect(page.getByText('open the address Tandem printed when it started')).toBeVisible();
    await page.goto(shell.url);
    await expect(page.getByRole('button', { name: 'New 1:1' })).toBeVisible();
  } finally {
    await shell.stop();
  }
});

/** Where an element is once it has stopped moving (rows slide into place after a reorder). */
async function settledBox(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  let last = '';
  for (;;) {
    const box = await locator.boundingBox();
    if (!box) throw new Error('element is not on screen');
    if (JSON.stringify(box) === last) return box;
    last = JSON.stringify(box);
    await locator.page().waitForTimeout(100);
  }
}

/**
 * Drags an item by its handle with the mouse, in small steps as a hand would, onto the place of
 * the item at `position` (1-based), and drops it once the drag has registered that place.
 */
async function dragOnto(page: Page, title: string, target: string, position: number): Promise<void> {
  const from = await settledBox(page.getByRole('button', { name: `Reorder ${title}` }));
  const to = await settledBox(page.getByRole('button', { name: `Reorder ${target}` }));
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2 + 6, { steps: 3 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await expect(page.locator('[id^="DndLiveRegion"]')).toContainText(`${title} is over position ${position} of`);
  await page.mouse.up();
}

/** The HTTP status a WebSocket upgrade gets (101 when accepted). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', (error) => reject(error));
  });
}
