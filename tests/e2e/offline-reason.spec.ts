/** Offline, the 1:1 says why, when the next attempt is, and connects at once on "Retry now". */
import { connect, createServer, type Server } from 'node:net';
import { expect, test } from '@playwright/test';
import { startRelay, startWebShell, tempDir } from './support/processes.js';
import { createSeries, firstRun } from './support/tandem-page.js';

/** A loopback port nothing listens on (yet). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts forwarding `port` to the relay at once: unlike starting a relay process, no delay. */
async function forward(port: number, to: number): Promise<Server> {
  const server = createServer((socket) => {
    const upstream = connect(to, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

test('a shared 1:1 whose relay refuses connections says so, counts down, and retries now on request', async ({ page }) => {
  const relay = await startRelay(tempDir('offline-reason-relay'));
  const port = await freePort();
  const shell = await startWebShell(tempDir('offline-reason'), { relay: `ws://127.0.0.1:${port}` });
  let forwarding: Server | undefined;
  try {
    await page.goto(shell.url);
    await firstRun(page, 'Dana Whitfield');
    await createSeries(page, 'Sam Okafor');
    await page.getByRole('button', { name: 'Create 1:1' }).click();
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await expect(page.getByRole('textbox', { name: 'Invite code' })).toBeVisible();
    await page.keyboard.press('Escape');

    await expect(page.getByTestId('sync-state')).toHaveText(/^Offline/);
    const why = page.getByTestId('sync-reason');
    await expect(why).toContainText('The relay refused the connection: it may not be running.');
    // Wait for a long pause before the next attempt, so only "Retry now" can connect in time.
    await expect(why).toContainText(/Next try in 5 s\./, { timeout: 20_000 });
    forwarding = await forward(port, relay.port);
    await page.getByRole('button', { name: 'Retry now' }).click();
    await expect(page.getByTestId('sync-state')).toHaveText('Synced', { timeout: 2_000 });
    await expect(why).toHaveCount(0);
  } finally {
    await shell.stop();
    forwarding?.close();
    await relay.stop();
  }
});
