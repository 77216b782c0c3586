/**
 * The agenda is the document as it is typed: every keystroke in a title or context is stored and
 * synced before any blur, so a hard kill, a reload or the other person never misses one; the page
 * turns read-only the moment its core is gone; and the add form and rows say what they hold.
 */
import { expect, test, type Page } from '@playwright/test';
import { startPair } from './support/pair.js';
import { startWebShell, tempDir, type WebShellProcess } from './support/processes.js';
import { checkScreen } from './support/screens.js';
import { addItem, agenda, agendaTitles, createSeries, firstRun, notes, openSeries, saved, titles } from './support/tandem-page.js';

const SLOWLY = { delay: 25 };
const newItem = (page: Page) => page.getByRole('textbox', { name: 'New agenda item' });
const purposePicker = (page: Page) => page.getByRole('combobox', { name: 'Purpose' });
const contextPreview = (page: Page, title: string) =>
  agenda(page)
    .getByRole('listitem')
    .filter({ has: page.getByRole('textbox', { name: 'Item title' }) })
    .filter({ hasText: title });

async function newSeries(page: Page, shell: WebShellProcess): Promise<void> {
  await page.goto(shell.url);
  await firstRun(page, 'Dana Whitfield');
  await createSeries(page, 'Sam Okafor');
  await page.getByRole('button', { name: 'Create 1:1' }).click();
  await expect(newItem(page)).toBeVisible();
}

/** Whether the element shows all of its text (nothing cut or scrolled away). */
const showsAll = (page: Page, selector: string) =>
  page.locator(selector).evaluate((el) => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight + 1);

test('every character typed in the agenda is stored as it is typed: a hard kill and reloads lose none of it', async ({ page }) => {
  const dataDir = tempDir('agenda-kill');
  let shell = await startWebShell(dataDir);
  try {
    await newSeries(page, shell);

    // The picker starts and restarts without a purpose, and shows its longest label in full.
    await expect(purposePicker(page)).toHaveValue('');
    await purposePicker(page).selectOption({ label: 'Clearing the air' });
    const fit = await purposePicker(page).evaluate((select: HTMLSelectElement) => {
      const probe = document.createElement('span');
      const style = getComputedStyle(select);
      probe.style.font = style.font;
      probe.style.whiteSpace = 'pre';
      probe.textContent = select.selectedOptions[0]!.label;
      document.body.append(probe);
      const text = probe.getBoundingClientRect().width;
      probe.remove();
      // What is left for the label once the padding and the drop-down arrow have theirs.
      const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16;
      return { text, room };
    });
    expect(fit.text).toBeLessThanOrEqual(fit.room);
    await addItem(page, 'The tension in the design review');
    await expect(purposePicker(page)).toHaveValue('');
    const tag = agenda(page).getByRole('button', { name: 'Purpose of The tension in the design review: Clearing the air' });
    await expect(tag).toHaveText('Clearing the air');
    expect(await tag.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    // The next item, added without choosing, has no purpose: not the last one's, not a guessed one.
    await addItem(page, 'Conference budget');
    await expect(agenda(page).getByRole('button', { name: 'Purpose of Conference budget: No purpose' })).toHaveText('No purpose');

    // Who added the item, as initials with the full name for hover and screen readers.
    const row = agenda(page).getByRole('listitem').first();
    await expect(row.locator('.author')).toHaveText(/^DWAdded by Dana Whitfield$/);
    await expect(row.locator('.author')).toHaveAttribute('title', 'Added by Dana Whitfield');

    // Context typed slowly, never left: on disk as soon as "Saved" says so, then a hard kill.
    const context = 'Two reviewers disagreed on scope; I want us aligned.';
    await agenda(page).getByRole('button', { name: 'Add context to The tension in the design review' }).click();
    const contextField = page.getByRole('textbox', { name: 'Context for The tension in the design review' });
    await expect(contextField).toBeFocused();
    await contextField.pressSequentially(context, SLOWLY);
    await saved(page);
    await expect(contextField).toBeFocused();
    await shell.kill();

    shell = await startWebShell(dataDir);
    await page.goto(shell.url);
    await openSeries(page, 'Sam Okafor');
    await expect(contextPreview(page, 'The tension').locator('.agenda-item__context-preview')).toHaveText(context);

    // A title edit mid-way, then a reload.
    const title = agendaTitles(page).first();
    await title.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' and next steps', SLOWLY);
    await saved(page);
    await page.reload();
    await expect.poll(() => titles(page)).toEqual(['The tension in the design review and next steps', 'Conference budget']);

    // A context edit mid-way, then a reload.
    await agenda(page)
      .getByRole('button', { name: /^Context for The tension/ })
      .click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' By Friday.', SLOWLY);
    await saved(page);
    await page.reload();
    await expect(contextPreview(page, 'The tension').locator('.agenda-item__context-preview')).toHaveText(`${context} By Friday.`);

    // The half-typed new item is kept on this device across a reload, and gone once added.
    await newItem(page).pressSequentially('Half-typed thou', SLOWLY);
    await page.reload();
    await expect(newItem(page)).toHaveValue('Half-typed thou');
    await newItem(page).press('Enter');
    await expect.poll(() => titles(page)).toContain('Half-typed thou');
    await expect(newItem(page)).toHaveValue('');
    await saved(page);
    await page.reload();
    await expect.poll(() => titles(page)).toContain('Half-typed thou');
    await expect(newItem(page)).toHaveValue('');
    await checkScreen(page, 'agenda-live');
  } finally {
    await shell.stop();
  }
});

test('a title says its limit while typing and when a paste passes it, and shows all of itself on hover and focus', async ({ page }) => {
  const shell = await startWebShell(tempDir('agenda-limit'));
  try {
    await newSeries(page, shell);
    await addItem(page, 'Short');
    const title = agendaTitles(page).first();
    await title.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText(' '.padEnd(455, 'long words '));
    await expect(page.getByText('460 of 500 characters')).toBeVisible();
    await page.keyboard.insertText('x'.repeat(5_000));
    await expect(page.getByRole('alert').filter({ hasText: 'Titles can be up to 500' })).toHaveText(
      'Titles can be up to 500 characters: the last 4,960 characters were left out.',
    );
    const full = await title.inputValue();
    expect(full).toHaveLength(500);
    await saved(page);
    await expect.poll(() => titles(page)).toEqual([full]);
    // Focused, the field grows to show the whole title; at rest it is one line with the title on hover.
    expect(await showsAll(page, '.agenda-item__title')).toBe(true);
    await checkScreen(page, 'agenda-long-title-focused');
    await newItem(page).focus();
    expect(await showsAll(page, '.agenda-item__title')).toBe(false);
    await expect(title).toHaveAttribute('title', full);

    await page.keyboard.insertText('y'.repeat(5_000));
    await expect(newItem(page)).toHaveValue('y'.repeat(500));
    await expect(page.getByRole('alert').filter({ hasText: 'Titles can be up to 500' })).toHaveText(
      'Titles can be up to 500 characters: the last 4,500 characters were left out.',
    );

    // A title is one line: a pasted line break becomes a space, Enter adds none; emptied and left, it comes back.
    await addItem(page, 'Two lines');
    const second = agendaTitles(page).nth(1);
    await second.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText(' and\nmore');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await titles(page))[1]).toBe('Two lines and more');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await expect.poll(async () => (await titles(page))[1]).toBe('');
    await newItem(page).focus();
    await expect.poll(async () => (await titles(page))[1]).toBe('Two lines and more');
  } finally {
    await shell.stop();
  }
});

test('the page turns read-only the moment its core is gone: nothing can be typed that would be lost', async ({ page }) => {
  const shell = await startWebShell(tempDir('agenda-lost'));
  try {
    await newSeries(page, shell);
    await addItem(page, 'Roadmap');
    await notes(page).click();
    await page.keyboard.type('Kept.');
    await saved(page);
    await shell.kill();
    await expect(page.getByRole('alert').filter({ hasText: 'Tandem is not running' })).toBeVisible();

    for (const control of [
      agendaTitles(page).first(),
      agenda(page).getByRole('checkbox', { name: 'Mark Roadmap discussed' }),
      agenda(page).getByRole('button', { name: 'Reorder Roadmap' }),
      agenda(page).getByRole('button', { name: 'Add context to Roadmap' }),
      agenda(page).getByRole('button', { name: /^Purpose of Roadmap/ }),
      agenda(page).getByRole('button', { name: 'More actions for Roadmap' }),
      newItem(page),
      purposePicker(page),
    ]) {
      await expect(control).toBeDisabled();
    }
    await expect(notes(page)).toHaveAttribute('contenteditable', 'false');
    await agendaTitles(page).first().click({ force: true });
    await page.keyboard.type('zz');
    await notes(page).click();
    await page.keyboard.type('zz');
    expect(await titles(page)).toEqual(['Roadmap']);
    await expect(notes(page)).toHaveText('Kept.');
    await checkScreen(page, 'agenda-read-only');
  } finally {
    await shell.stop();
  }
});

test('the other person sees every keystroke of a title and a context as it is typed, and keeps their caret', async ({ browser }) => {
  const pair = await startPair(browser);
  const { a, b } = pair;
  try {
    await addItem(a, 'Career goals');
    await expect.poll(() => titles(b)).toEqual(['Career goals']);

    const titleA = agendaTitles(a).first();
    await titleA.click();
    await a.keyboard.press('Control+End');
    let expected = 'Career goals';
    for (const ch of ' & growth') {
      await a.keyboard.type(ch);
      expected += ch;
      await expect.poll(() => titles(b)).toEqual([expected]);
    }
    await expect(titleA).toBeFocused();

    await agenda(a)
      .getByRole('button', { name: /^Add context to Career goals/ })
      .click();
    let context = '';
    for (const ch of 'Staff level?') {
      await a.keyboard.type(ch);
      context += ch;
      await expect(b.locator('.agenda-item__context-preview')).toHaveText(context);
    }
    await expect(a.getByRole('textbox', { name: /^Context for Career goals/ })).toBeFocused();

    // Sam's caret stays where Sam put it while Dana's keystrokes arrive elsewhere in the title.
    const titleB = agendaTitles(b).first();
    await titleB.click();
    await b.keyboard.press('Home');
    await titleA.click();
    await a.keyboard.press('Control+End');
    await a.keyboard.type(' now');
    await expect.poll(() => titles(b)).toEqual([`${expected} now`]);
    await b.keyboard.type('My ');
    await expect.poll(() => titles(a)).toEqual([`My ${expected} now`]);
    // And when Dana types before it, Sam's caret moves along with the text it was in.
    await titleA.click();
    await a.keyboard.press('Control+Home');
    await a.keyboard.type('Q3 ');
    await expect.poll(() => titles(b)).toEqual([`Q3 My ${expected} now`]);
    await b.keyboard.type('big ');
    await expect.poll(() => titles(a)).toEqual([`Q3 My big ${expected} now`]);
    await checkScreen(b, 'agenda-live-peer');
  } finally {
    await pair.stop();
  }
});
