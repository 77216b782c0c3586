/**
 * The desktop app itself: Electron with the core in a utility process and the renderer talking to
 * it through the preload bridge. Needs the Electron binary, which cannot be downloaded on every
 * machine (ours install with ELECTRON_SKIP_BINARY_DOWNLOAD=1); set ELECTRON_OVERRIDE_DIST_PATH to
 * an Electron 41 build to run it there.
 */
import { execFileSync } from 'node:child_process';
import { _electron as electron, expect, test } from '@playwright/test';
import { electronBinary, electronSqliteBinding, root } from '../../scripts/electron-native.mjs';
import { tempDir } from './support/processes.js';
import { firstRun } from './support/tandem-page.js';

const binary = electronBinary();

test.skip(
  !binary,
  'no Electron binary on this machine (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1); set ELECTRON_OVERRIDE_DIST_PATH to run it',
);

test('the desktop app starts, exposes only the contract to the page, and keeps a 1:1 across restarts', async () => {
  execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
  const env = { ...process.env, TANDEM_SQLITE_BINDING: await electronSqliteBinding() } as Record<string, string>;
  const dataDir = tempDir('desktop');
  const launch = () => electron.launch({ executablePath: binary!, args: [root, '--data-dir', dataDir], env });

  let app = await launch();
  let page = await app.firstWindow();
  await firstRun(page, 'Dana Whitfield');
  const exposed = await page.evaluate(() => ({
    tandem: Object.keys((window as unknown as { tandem: object }).tandem).sort(),
    node: typeof (window as unknown as { require?: unknown }).require,
    process: typeof (window as unknown as { process?: unknown }).process,
    origin: location.origin,
  }));
  expect(exposed.node).toBe('undefined');
  expect(exposed.process).toBe('undefined');
  expect(exposed.origin).toBe('app://tandem');
  expect(exposed.tandem).toContain('openSeries');
  expect(exposed.tandem).not.toContain('close');
  await app.close();

  app = await launch();
  page = await app.firstWindow();
  await expect(page.getByRole('button', { name: 'New 1:1' })).toBeVisible();
  await app.close();
});
