import { expect, test, type Page } from '@playwright/test';
import { startPair } from './support/pair.js';
import { checkScreen } from './support/screens.js';
import { notes } from './support/tandem-page.js';

/** Whether the page is at most as wide as the window: nothing spills out sideways. */
const noSidewaysScroll = (page: Page) =>
  expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth))
    .toBeLessThanOrEqual(0);

/** The notes' content as HTML, without the carets and the editor's own helper elements. */
const html = (page: Page) =>
  notes(page).evaluate((el) => {
    const copy = el.cloneNode(true) as Element;
    copy.querySelectorAll('.collaboration-carets__caret, .ProseMirror-separator, .ProseMirror-trailingBreak').forEach((e) => e.remove());
    return copy.innerHTML;
  });

test('a long URL in the notes wraps for both people, and a click opens it outside the app', async ({ browser }) => {
  const pair = await startPair(browser);
  const { a, b } = pair;
  try {
    const url = `https://example.com/${'quarterly-planning-document-'.repeat(4)}final?version=2&section=goals`;
    // The opened page is answered here: the test needs no network, only to see where the link led.
    await a.context().route('https://example.com/**', (route) => route.fulfill({ body: 'the linked page' }));
    expect(url.length).toBeGreaterThan(120);
    await notes(a).click();
    await a.keyboard.type(`Plan: ${url} and Supercalifragilisticexpialidocious${'x'.repeat(90)} `);
    const link = (page: Page) => notes(page).getByRole('link', { name: url });
    await expect(link(a)).toHaveAttribute('href', url);
    await expect(link(b)).toHaveAttribute('href', url);
    for (const width of [1280, 800]) {
      for (const page of [a, b]) {
        await page.setViewportSize({ width, height: 820 });
        await noSidewaysScroll(page);
      }
    }
    await checkScreen(b, 'notes-long-url');

    // The link opens in a page of its own, without a handle on the app, which stays where it was.
    const appUrl = a.url();
    const [opened] = await Promise.all([a.context().waitForEvent('page', { timeout: 10_000 }), link(a).click()]);
    await expect.poll(() => opened.url()).toBe(url);
    expect(await opened.evaluate(() => window.opener)).toBeNull();
    expect(a.url()).toBe(appUrl);
    await expect(notes(a)).toBeVisible();
  } finally {
    await pair.stop();
  }
});

test('undo then redo in the notes restores them exactly, for both people', async ({ browser }) => {
  const pair = await startPair(browser);
  const { a, b } = pair;
  try {
    await notes(a).click();
    await a.keyboard.type('First line');
    await a.keyboard.press('Enter');
    await a.keyboard.type('Second line');
    const written = '<p>First line</p><p>Second line</p>';
    await expect.poll(() => html(b)).toBe(written);

    await a.keyboard.press('ControlOrMeta+z');
    await expect.poll(() => html(a)).not.toBe(written);
    await expect.poll(() => html(b)).toBe(await html(a));
    await a.keyboard.press('ControlOrMeta+Shift+z');
    await expect.poll(() => html(a)).toBe(written);
    await expect.poll(() => html(b)).toBe(written);

    // Undo everything, then redo everything: still no blank line at the top on either side.
    for (let i = 0; i < 10; i++) await a.keyboard.press('ControlOrMeta+z');
    await expect.poll(() => notes(a).textContent()).toBe('');
    for (let i = 0; i < 10; i++) await a.keyboard.press('ControlOrMeta+Shift+z');
    await expect.poll(() => html(a)).toBe(written);
    await expect.poll(() => html(b)).toBe(written);

    // Sam's own undo takes back only what Sam typed.
    await notes(b).click();
    await b.keyboard.press('ControlOrMeta+End');
    await b.keyboard.type(' and more');
    await expect.poll(() => html(a)).toBe('<p>First line</p><p>Second line and more</p>');
    await b.keyboard.press('ControlOrMeta+z');
    await expect.poll(() => html(a)).toBe(written);
    await expect.poll(() => html(b)).toBe(written);
  } finally {
    await pair.stop();
  }
});
