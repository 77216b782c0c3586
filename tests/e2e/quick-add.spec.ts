/**
 * Quick-add through the #/quick-add route (the desktop app's quick-add window): its input has
 * focus before the app's screens or zod load, what is typed before React mounts stays, the line goes to the right 1:1 with its purpose and
 * async flag, shows live in the 1:1 open in another page, is stored while the relay is down, and
 * is there after a restart.
 */
import { expect, test, type Page } from '@playwright/test';
import { inviteCode, pageFor } from './support/pair.js';
import { startRelay, startWebShell, tempDir } from './support/processes.js';
import { checkScreen } from './support/screens.js';
import { agenda, createSeries, firstRun, openSeries, titles } from './support/tandem-page.js';

const quickAddUrl = (shellUrl: string) => `${shellUrl}#/quick-add`;
const line = (page: Page) => page.getByRole('combobox', { name: 'Quick add' });

async function newSeriesWith(page: Page, partner: string): Promise<void> {
  await createSeries(page, partner);
  await page.getByRole('button', { name: 'Create 1:1' }).click();
  await expect(page.getByRole('heading', { level: 1, name: partner })).toBeVisible();
  await page.goto(page.url().replace(/#.*$/, '#/'));
}

/**
 * The route's input has focus before the page loads any of the app's screens or zod (which checks
 * what the core sends, loaded with the connection on the first call).
 */
async function expectFocusedBeforeTheApp(page: Page): Promise<void> {
  const scripts = await page.evaluate(() => (window as { scriptsAtFocus?: string[] }).scriptsAtFocus ?? []);
  expect(scripts.length).toBeGreaterThan(0);
  for (const url of scripts) {
    expect(url).not.toMatch(/\/(App|SeriesView)-[\w-]+\.js$/);
    const body = await (await page.request.get(url)).text();
    expect(body.includes('ZodError'), `${url} holds zod`).toBe(false);
  }
}

test('a quick-added line lands in the right 1:1 with purpose and flag, live in the open 1:1, offline, and after a restart', async ({
  browser,
}) => {
  const relay = await startRelay(tempDir('relay'));
  const dataDir = tempDir('dana');
  let shell = await startWebShell(dataDir, { relay: relay.url });
  try {
    const main = await pageFor(browser, shell);
    await firstRun(main, 'Dana Whitfield');
    await newSeriesWith(main, 'Samira Okafor');
    await newSeriesWith(main, 'Sam Lee');
    await openSeries(main, 'Sam Lee');
    // Invited, the 1:1 is shared through the relay, so stopping the relay takes it offline.
    await inviteCode(main);
    await expect(main.getByTestId('sync-state')).toHaveText(/synced/i);

    // Opened straight at the route, as the desktop window is.
    const quick = await (await browser.newContext()).newPage();
    const requested: string[] = [];
    quick.on('request', (r) => requested.push(r.url()));
    await quick.addInitScript(() => {
      document.addEventListener(
        'focusin',
        () => {
          const scripts = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.js'));
          (window as { scriptsAtFocus?: string[] }).scriptsAtFocus ??= scripts.map((e) => e.name);
        },
        true,
      );
    });
    await quick.goto(quickAddUrl(shell.url));
    await expect(line(quick)).toBeFocused();
    await expectFocusedBeforeTheApp(quick);
    await line(quick).fill('@sam');
    await expect(quick.getByRole('option', { selected: true })).toHaveText('Sam Lee');
    // Nor does it fetch them afterwards, not even as a preload.
    expect(requested.filter((url) => /\/(App|SeriesView)-[\w-]+\.js$/.test(url))).toEqual([]);
    await line(quick).press('Tab');
    await expect(line(quick)).toHaveValue('@samlee ');
    await line(quick).pressSequentially('promotion timeline #car');
    await line(quick).press('Tab');
    await line(quick).pressSequentially('!async');
    await expect(quick.getByTestId('quick-add-preview')).toHaveText('To Sam Lee · the next meeting · Career · async');
    await checkScreen(quick, 'quick-add');
    await line(quick).press('Enter');
    await expect(quick.getByRole('status')).toHaveText('Added to your 1:1 with Sam Lee.');
    await expect(line(quick)).toHaveValue('');

    await expect.poll(() => titles(main)).toEqual(['promotion timeline']);
    await expect(agenda(main).getByRole('button', { name: 'Purpose of promotion timeline: Career' })).toBeVisible();
    await expect(agenda(main).getByRole('button', { name: 'Async: promotion timeline' })).toHaveAttribute('aria-pressed', 'true');

    // A line that cannot be saved says why and keeps what was typed.
    await line(quick).fill('@sam budget #carrer');
    await line(quick).press('Enter');
    await expect(quick.getByRole('alert')).toHaveText(/#carrer is not a purpose: did you mean #career\?/);
    await expect(line(quick)).toHaveValue('@sam budget #carrer');

    await relay.stop();
    await expect(main.getByTestId('sync-state')).toHaveText(/offline/i);
    await line(quick).fill('budget for the offsite #fyi');
    // Without @name the line goes to the 1:1 used last.
    await expect(quick.getByTestId('quick-add-preview')).toHaveText('To Sam Lee · the next meeting · Status/FYI');
    await line(quick).press('Enter');
    await expect(quick.getByRole('status')).toHaveText('Added to your 1:1 with Sam Lee.');
    await expect.poll(() => titles(main)).toEqual(['promotion timeline', 'budget for the offsite']);

    await line(quick).fill('@samira hiring plan');
    await line(quick).press('Enter');
    await expect(quick.getByRole('status')).toHaveText('Added to your 1:1 with Samira Okafor.');

    await shell.stop();
    shell = await startWebShell(dataDir, { relay: relay.url });
    const after = await pageFor(browser, shell);
    await openSeries(after, 'Sam Lee');
    await expect.poll(() => titles(after)).toEqual(['promotion timeline', 'budget for the offsite']);
    await expect(agenda(after).getByRole('button', { name: 'Purpose of budget for the offsite: Status/FYI' })).toBeVisible();
    await after.goto(after.url().replace(/#.*$/, '#/'));
    await openSeries(after, 'Samira Okafor');
    await expect.poll(() => titles(after)).toEqual(['hiring plan']);
  } finally {
    await Promise.allSettled([shell.stop(), relay.stop()]);
  }
});

/** Holds back the page's script matching `chunk` until the returned function is called. */
async function holdScript(page: Page, chunk: string): Promise<() => void> {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(new RegExp(`/assets/${chunk}-[\\w-]+\\.js$`), async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

test('keys typed before the route has loaded stay in the line, with the caret where it was', async ({ browser }) => {
  const shell = await startWebShell(tempDir('dana'));
  try {
    const main = await pageFor(browser, shell);
    await firstRun(main, 'Dana Whitfield');
    await newSeriesWith(main, 'Sam Lee');

    const quick = await (await browser.newContext()).newPage();
    // The route's component is held back until the keys are in, as on a machine too busy to load it.
    const release = await holdScript(quick, 'QuickAdd');
    await quick.goto(quickAddUrl(shell.url), { waitUntil: 'commit' });
    await expect(quick.getByRole('textbox', { name: 'Quick add' })).toBeFocused();
    await quick.keyboard.type('@sam world');
    for (let i = 0; i < 'world'.length; i++) await quick.keyboard.press('ArrowLeft');
    release();

    await expect(quick.getByRole('option', { name: 'Sam Lee' })).toBeVisible();
    await expect(line(quick)).toBeFocused();
    await quick.keyboard.type('hello ');
    await expect(line(quick)).toHaveValue('@sam hello world');
  } finally {
    await shell.stop();
  }
});

test('Enter pressed before the 1:1s have arrived, even before the route has loaded, saves the line once they have', async ({ browser }) => {
  const shell = await startWebShell(tempDir('dana'));
  try {
    const main = await pageFor(browser, shell);
    await firstRun(main, 'Dana Whitfield');
    await newSeriesWith(main, 'Sam Lee');

    // Before React: the early input takes the line and the Enter.
    const early = await (await browser.newContext()).newPage();
    const releaseRoute = await holdScript(early, 'QuickAdd');
    await early.goto(quickAddUrl(shell.url), { waitUntil: 'commit' });
    await expect(early.getByRole('textbox', { name: 'Quick add' })).toBeFocused();
    await early.keyboard.type('@sam typed early');
    await early.keyboard.press('Enter');
    releaseRoute();
    await expect(early.getByRole('status')).toHaveText('Added to your 1:1 with Sam Lee.');
    await expect(line(early)).toHaveValue('');

    // React mounted, the connection (and so the 1:1s) still on its way.
    const waiting = await (await browser.newContext()).newPage();
    const releaseClient = await holdScript(waiting, 'browser-client');
    await waiting.goto(quickAddUrl(shell.url));
    await expect(line(waiting)).toBeFocused();
    await line(waiting).pressSequentially('@sam typed while loading');
    await line(waiting).press('Enter');
    await expect(waiting.getByRole('status')).toHaveText('Adding once your 1:1s have loaded…');
    releaseClient();
    await expect(waiting.getByRole('status')).toHaveText('Added to your 1:1 with Sam Lee.');

    await openSeries(main, 'Sam Lee');
    await expect.poll(() => titles(main)).toEqual(['typed early', 'typed while loading']);
  } finally {
    await shell.stop();
  }
});
