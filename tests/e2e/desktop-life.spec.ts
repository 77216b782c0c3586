/**
 * Tandem in the tray, in the real desktop app: window security, the tray menu, quick add through
 * the global shortcut's handler, a reminder shown as a notification, and a deep link. Needs the
 * Electron binary (see desktop.spec.ts); main exposes its tray and windows to these tests only
 * when started with TANDEM_TEST_HOOKS=1.
 */
import { execFileSync } from 'node:child_process';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { electronBinary, electronSqliteBinding, root } from '../../scripts/electron-native.mjs';
import { tempDir } from './support/processes.js';
import { createSeries, firstRun, openSeries, titles } from './support/tandem-page.js';

const binary = electronBinary();

test.skip(
  !binary,
  'no Electron binary on this machine (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1); set ELECTRON_OVERRIDE_DIST_PATH to run it',
);

interface ShellHooks {
  desktop: {
    menuEntries(): Promise<{ kind: string; label?: string }[]>;
    openQuickAdd(): unknown;
    notices: Set<{ title: string; body: string }>;
  };
}

let app: ElectronApplication;
let page: Page;

const visibleWindows = () => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().filter((w) => w.isVisible()).length);
const quickAddPages = () => app.windows().filter((w) => w.url().endsWith('#/quick-add'));
/** The quick-add window, made hidden once the main window has painted, and hidden again after use. */
async function quickAddPage(): Promise<Page> {
  await expect.poll(() => quickAddPages().length).toBe(1);
  return quickAddPages()[0]!;
}
const openQuickAdd = () =>
  app.evaluate(() => void (globalThis as unknown as { tandemShell: ShellHooks }).tandemShell.desktop.openQuickAdd());

test.beforeAll(async () => {
  execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
  const env = { ...process.env, TANDEM_SQLITE_BINDING: await electronSqliteBinding(), TANDEM_TEST_HOOKS: '1' } as Record<string, string>;
  app = await electron.launch({ executablePath: binary!, args: [root, '--data-dir', tempDir('desktop-life')], env });
  page = await app.firstWindow();
  await firstRun(page, 'Dana Whitfield');
  await createSeries(page, 'Sam Lee');
  await page.getByRole('button', { name: 'Create 1:1' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sam Lee' })).toBeVisible();
});

test.afterAll(async () => {
  await app?.close();
});

test('every window, the quick-add window included, is our app:// page with the bridge and without Node', async () => {
  await openQuickAdd();
  await expect.poll(visibleWindows).toBe(2);
  for (const win of app.windows()) {
    await expect
      .poll(() =>
        win.evaluate(() => ({
          node: typeof (window as unknown as { require?: unknown }).require,
          process: typeof (window as unknown as { process?: unknown }).process,
          origin: location.origin,
          bridge: typeof (window as unknown as { tandem?: unknown }).tandem,
        })),
      )
      .toEqual({ node: 'undefined', process: 'undefined', origin: 'app://tandem', bridge: 'object' });
  }
  await (await quickAddPage()).keyboard.press('Escape');
  await expect.poll(visibleWindows).toBe(1);
});

test('the tray menu lists the next 1:1 and quick add, and the sync state', async () => {
  const labels = async () =>
    (await app.evaluate(() => (globalThis as unknown as { tandemShell: ShellHooks }).tandemShell.desktop.menuEntries())).map(
      (e) => e.label,
    );
  await expect
    .poll(labels)
    .toEqual(expect.arrayContaining([expect.stringMatching(/^Sam Lee — /), 'Quick add…', 'On this device only', 'Quit Tandem']));
});

test('the global shortcut shows quick add by the cursor; Enter stores the item in the 1:1 and puts the window away', async () => {
  await openQuickAdd();
  const quick = await quickAddPage();
  const line = quick.getByRole('combobox', { name: 'Quick add' });
  await expect(line).toBeFocused();
  await line.fill('@sam promotion timeline #career !async');
  await line.press('Enter');
  await expect.poll(visibleWindows).toBe(1);
  await openSeries(page, 'Sam Lee');
  await expect.poll(() => titles(page)).toContain('promotion timeline');
});

test('the quick-add window waits hidden; each show focuses an empty input; a crashed one is replaced by a new hidden one', async () => {
  const quick = await quickAddPage();
  expect(await visibleWindows()).toBe(1);
  const line = quick.getByRole('combobox', { name: 'Quick add' });
  await openQuickAdd();
  await expect(line).toBeFocused();
  await line.fill('half a thought');
  await line.press('Escape');
  await expect.poll(visibleWindows).toBe(1);
  await openQuickAdd();
  await expect(line).toBeFocused();
  await expect(line).toHaveValue('');
  await line.press('Escape');
  await expect.poll(visibleWindows).toBe(1);

  await app.evaluate(({ BrowserWindow }) =>
    BrowserWindow.getAllWindows()
      .find((w) => w.webContents.getURL().endsWith('#/quick-add'))!
      .webContents.forcefullyCrashRenderer(),
  );
  await expect.poll(() => quickAddPages().filter((p) => p !== quick).length).toBe(1);
  expect(await visibleWindows()).toBe(1);
  await openQuickAdd();
  await expect((await quickAddPage()).getByRole('combobox', { name: 'Quick add' })).toBeFocused();
  await (await quickAddPage()).keyboard.press('Escape');
  await expect.poll(visibleWindows).toBe(1);
});

test('a reminder is scheduled before the next meeting and shown as a notification', async () => {
  const supported = await app.evaluate(({ Notification }) => Notification.isSupported());
  test.skip(!supported, 'this desktop session has no notification service');
  const soon = new Date(Date.now() + 5 * 60_000).toISOString();
  await page.evaluate(
    (at) =>
      (window as unknown as { tandem: { createSeries(i: object): Promise<unknown> } }).tandem.createSeries({
        kind: 'peer',
        partnerName: 'Alex Kim',
        firstMeetingAt: at,
      }),
    soon,
  );
  // The reminders are checked at least every 30 s.
  await expect
    .poll(
      () =>
        app.evaluate(() =>
          [...(globalThis as unknown as { tandemShell: ShellHooks }).tandemShell.desktop.notices].map((n) => `${n.title} — ${n.body}`),
        ),
      { timeout: 45_000 },
    )
    .toContainEqual(expect.stringMatching(/^1:1 with Alex Kim in [45] min — nothing on the agenda yet$/));
});

test('a tandem:// link that is not an invite is refused with a sentence, nothing joined', async () => {
  await app.evaluate(({ app: electronApp, dialog }) => {
    const shown: string[] = [];
    Object.assign(globalThis, { shownErrors: shown });
    dialog.showErrorBox = (title: string) => void shown.push(title);
    electronApp.emit('second-instance', {}, ['tandem', 'tandem://join/not-an-invite']);
  });
  await expect
    .poll(() => app.evaluate(() => (globalThis as unknown as { shownErrors: string[] }).shownErrors))
    .toEqual(['Not a Tandem invite']);
});
