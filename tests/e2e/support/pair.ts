/** Two people, each with their own web shell and data dir, sharing one 1:1 through a real relay. */
import { expect, type Browser, type Page } from '@playwright/test';
import { startRelay, startWebShell, tempDir, type RelayProcess, type WebShellProcess } from './processes.js';
import { recordingProxy, type RecordingProxy } from './recording-proxy.js';
import { createSeries, firstRun } from './tandem-page.js';

export interface PairOptions {
  /** The time zone both browsers are in (default: the machine's). */
  timezoneId?: string;
  /** The new 1:1's first meeting, as typed in its form (`2031-03-04T10:00`); default: the form's. */
  firstMeeting?: string;
  /** Both people reach the relay through a recorder that keeps every byte either way. */
  record?: boolean;
}

export interface Pair {
  a: Page;
  b: Page;
  relay: RelayProcess;
  relayDir: string;
  /** Dana's data dir. */
  dirA: string;
  /** The recorder between both people and the relay, with `record`. */
  proxy: RecordingProxy | null;
  shellA: WebShellProcess;
  shellB: WebShellProcess;
  stop(): Promise<void>;
}

export async function pageFor(browser: Browser, shell: WebShellProcess, timezoneId?: string): Promise<Page> {
  const page = await (await browser.newContext({ timezoneId })).newPage();
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

/** Dana creates a manager–report 1:1 with Sam (she is the manager) and invites him; Sam joins; both have it open. */
export async function startPair(browser: Browser, options: PairOptions = {}): Promise<Pair> {
  const relayDir = tempDir('relay');
  const relay = await startRelay(relayDir);
  const proxy = options.record ? await recordingProxy(relay.port) : null;
  const relayUrl = proxy?.url ?? relay.url;
  const dirA = tempDir('dana');
  const shellA = await startWebShell(dirA, { relay: relayUrl });
  const shellB = await startWebShell(tempDir('sam'), { relay: relayUrl });
  const stop = async () => void (await Promise.allSettled([shellA.stop(), shellB.stop(), proxy?.close(), relay.stop()]));
  try {
    const a = await pageFor(browser, shellA, options.timezoneId);
    const b = await pageFor(browser, shellB, options.timezoneId);
    await firstRun(a, 'Dana Whitfield');
    await firstRun(b, 'Sam Okafor');
    await createSeries(a, 'Sam Okafor');
    if (options.firstMeeting) await a.getByLabel('First meeting').fill(options.firstMeeting);
    await a.getByRole('button', { name: 'Create 1:1' }).click();
    const code = await inviteCode(a);
    await b.getByRole('button', { name: 'Join a 1:1' }).click();
    await b.getByRole('textbox', { name: 'Invite code or link' }).fill(code);
    await b.getByRole('button', { name: 'Join' }).click();
    await expect(b.getByRole('heading', { level: 1, name: 'Dana Whitfield' })).toBeVisible();
    return { a, b, relay, relayDir, dirA, proxy, shellA, shellB, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
