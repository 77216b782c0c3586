import { expect, test, type Page } from '@playwright/test';
import { startPair } from './support/pair.js';
import { bytesOnDisk } from './support/recording-proxy.js';
import { checkScreen } from './support/screens.js';
import { addItem, agenda, agendaTitles, itemRow, notes, titles } from './support/tandem-page.js';

const walk = (page: Page) => page.getByRole('list', { name: 'Walk the agenda' });
const review = (page: Page) => page.getByRole('list', { name: 'Next steps from last time' });
const later = (page: Page) => page.getByRole('list', { name: 'For later meetings' });
const nudge = (page: Page) => page.getByText('No context yet');

test.use({ timezoneId: 'Europe/Berlin' });

test('a full 1:1 from the week before to the history, on both sides; the private note never leaves', async ({ browser }) => {
  test.setTimeout(240_000);
  // Weekly on Tuesdays at 10:00 from 4 March 2031; both people reach the relay through a recorder.
  const pair = await startPair(browser, { timezoneId: 'Europe/Berlin', firstMeeting: '2031-03-04T10:00', record: true });
  const { a, b, proxy } = pair;
  const PRIVATE = 'Sam seems tired, ask about workload';
  try {
    // During the week both add items with purposes and context. Sam is the report: his items come first.
    await addItem(a, 'Career goals', { purpose: 'Career', context: 'Where do you want to be in a year?' });
    await addItem(b, 'Time off in March', { purpose: 'Connection', context: 'Two weeks, dates flexible' });
    await addItem(a, 'Launch retro', { purpose: 'Feedback' });
    await addItem(b, 'Budget numbers', { purpose: 'Status/FYI', context: 'Q3 spend is in the sheet', async: true });
    await addItem(a, 'Mid-year review', { purpose: 'Career' });
    const week = ['Time off in March', 'Budget numbers', 'Career goals', 'Launch retro', 'Mid-year review'];
    await expect.poll(() => titles(b)).toEqual(week);
    await expect.poll(() => titles(a)).toEqual(week);

    // Dana is pointed to her own items without context; Sam sees no such note on her items.
    await expect(itemRow(a, 'Launch retro')).toContainText('No context yet');
    await expect(itemRow(a, 'Career goals')).not.toContainText('No context yet');
    await expect(nudge(b)).toHaveCount(0);
    await agenda(a).getByRole('button', { name: 'Add context to Launch retro' }).click();
    await a.getByRole('textbox', { name: 'Context for Launch retro' }).fill('What went well, what did not');
    await agenda(a).getByRole('button', { name: 'Context for Launch retro' }).click();
    await expect(itemRow(a, 'Launch retro')).not.toContainText('No context yet');

    // Either can still reorder: Dana moves her career item to the top, and Sam sees the same order.
    await agendaTitles(a).nth(2).focus();
    await a.keyboard.press('Alt+ArrowUp');
    await a.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => titles(b)).toEqual(['Career goals', 'Time off in March', 'Budget numbers', 'Launch retro', 'Mid-year review']);

    // The mid-year review is aimed at the meeting after next: it waits below the agenda on both sides.
    await agenda(a).getByRole('button', { name: 'More actions for Mid-year review' }).click();
    await a.getByRole('menuitem', { name: 'For the meeting on Tue 11 Mar, 10:00' }).click();
    for (const page of [a, b]) {
      await expect(later(page)).toContainText('Mid-year review');
      await expect(later(page)).toContainText('Tue 11 Mar, 10:00');
      await expect.poll(() => titles(page)).toEqual(['Career goals', 'Time off in March', 'Budget numbers', 'Launch retro']);
    }

    // The FYI is answered in writing by both and settled without meeting time.
    await agenda(a).getByRole('button', { name: 'Written replies to Budget numbers' }).click();
    await a.getByRole('textbox', { name: 'Reply to Budget numbers' }).fill('Is Q3 final?');
    await a.getByRole('button', { name: 'Reply', exact: true }).click();
    await agenda(b).getByRole('button', { name: 'Written replies to Budget numbers' }).click();
    await expect(b.getByRole('list', { name: 'Replies to Budget numbers' })).toContainText('Dana Whitfield: Is Q3 final?');
    await b.getByRole('textbox', { name: 'Reply to Budget numbers' }).fill('Final since Friday');
    await b.getByRole('button', { name: 'Reply', exact: true }).click();
    await expect(a.getByRole('list', { name: 'Replies to Budget numbers' })).toContainText('Sam Okafor: Final since Friday');
    await checkScreen(a, 'async-replies');
    await b.getByRole('button', { name: 'Settle Budget numbers' }).click();
    await expect(b.getByText('Settled “Budget numbers” without meeting time')).toBeVisible();
    for (const page of [a, b]) await expect.poll(() => titles(page)).toEqual(['Career goals', 'Time off in March', 'Launch retro']);

    // Dana starts the meeting; Sam sees it started, by her.
    await a.getByRole('button', { name: 'Start 1:1' }).click();
    await expect(b.getByRole('heading', { name: '1:1 in progress' })).toBeVisible();
    await expect(b.getByText('Started by Dana Whitfield')).toBeVisible();
    await expect(nudge(a)).toHaveCount(0);

    // Both check in, to the same prompt.
    const prompt = await a.locator('.meeting__prompt').textContent();
    await expect(b.locator('.meeting__prompt')).toHaveText(prompt!);
    await a.getByRole('textbox', { name: 'Your check-in' }).fill('Rested after the weekend');
    await b.getByRole('textbox', { name: 'Your check-in' }).fill('Busy but good');
    await expect(a.getByLabel("Sam Okafor's check-in")).toHaveText('Busy but good');
    await expect(b.getByLabel("Dana Whitfield's check-in")).toHaveText('Rested after the weekend');

    // Walking the agenda: the current item is the same on Sam's page; the settled FYI is marked so.
    await expect(walk(a).getByRole('listitem').filter({ hasText: 'Budget numbers' })).toContainText('settled async');
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
    await a.getByLabel('Due date', { exact: true }).fill('2031-03-20');
    await a.getByRole('button', { name: 'Add next step' }).click();
    await walk(a).getByRole('checkbox', { name: 'Launch retro discussed' }).check();

    // A next step from selected notes text.
    await notes(a).click();
    await a.keyboard.press('End');
    await a.keyboard.press('Shift+Home');
    await a.getByRole('button', { name: 'Make next step' }).click();
    const made = a.getByRole('list', { name: 'Next steps', exact: true });
    await expect(made.getByRole('listitem')).toHaveCount(2);
    await expect(made.getByRole('textbox', { name: 'Next step: Draft the promotion case' })).toBeVisible();

    // Sam rewrites a next step's text after it was made; Dana sees the new text.
    await b.getByRole('textbox', { name: 'Next step: Write the retro summary' }).fill('Write the retro summary for the team');
    await expect(a.getByRole('textbox', { name: 'Next step: Write the retro summary for the team' })).toBeVisible();

    // Ending: the summary points out the step without an owner or date, what was settled in writing and what was not reached.
    await a.getByRole('button', { name: 'End 1:1' }).click();
    const dialog = a.getByRole('dialog', { name: 'End this 1:1' });
    await expect(dialog.getByRole('alert')).toContainText('Draft the promotion case');
    await expect(dialog.getByRole('list', { name: 'Settled async' })).toHaveText('Budget numbers');
    await expect(dialog).toContainText('Time off in March');
    await checkScreen(a, 'end-of-meeting');
    await dialog.getByRole('button', { name: 'End meeting' }).click();

    // The next meeting, on both sides: the carried item (count 1), the item aimed at it, and both next steps to review.
    for (const page of [a, b]) {
      await expect(page.getByText('Next meeting Tue 11 Mar, 10:00')).toBeVisible();
      await expect(page.getByRole('button', { name: 'Start 1:1' })).toBeVisible();
      await expect(agenda(page).getByRole('listitem').filter({ hasText: 'carried ×1' })).toHaveCount(1);
      await expect(itemRow(page, 'Time off in March')).toContainText('carried ×1');
      await expect.poll(() => titles(page)).toEqual(['Time off in March', 'Mid-year review']);
      await expect(later(page)).toHaveCount(0);
      await expect(review(page).getByRole('listitem')).toHaveCount(2);
      await expect(review(page).getByRole('textbox', { name: 'Next step: Write the retro summary for the team' })).toBeVisible();
      await expect(review(page).getByRole('textbox', { name: 'Next step: Draft the promotion case' })).toBeVisible();
    }
    await checkScreen(b, 'next-meeting');

    // Protecting the slot: the next meeting is moved with a reason (moving is the default choice).
    const slot = a.getByRole('dialog');
    await a.getByRole('button', { name: 'Move or cancel' }).click();
    await expect(slot.getByRole('radio', { name: 'Move it to another time' })).toBeChecked();
    await slot.getByLabel('New date and time').fill('2031-03-12T15:00');
    await slot.getByRole('textbox', { name: 'Reason' }).fill('Offsite on Tuesday');
    await slot.getByRole('button', { name: 'Move meeting' }).click();
    await expect(b.getByText('Next meeting Wed 12 Mar, 15:00')).toBeVisible();

    // An extra meeting outside the cadence comes first; then it is skipped, its item carried on again.
    await a.getByRole('button', { name: 'Add a meeting' }).click();
    await slot.getByLabel('Date and time').fill('2031-03-07T14:00');
    await checkScreen(a, 'add-meeting');
    await slot.getByRole('button', { name: 'Add meeting' }).click();
    await expect(b.getByText('Next meeting Fri 7 Mar, 14:00')).toBeVisible();
    await a.getByRole('button', { name: 'Move or cancel' }).click();
    await slot.getByRole('radio', { name: 'Skip this meeting' }).check();
    await slot.getByRole('textbox', { name: 'Reason' }).fill('Sam is out sick');
    await slot.getByRole('button', { name: 'Skip meeting' }).click();
    await expect(b.getByText('Next meeting Wed 12 Mar, 15:00')).toBeVisible();
    await expect(itemRow(b, 'Time off in March')).toContainText('carried ×2');
    await expect.poll(() => titles(b)).toEqual(['Time off in March', 'Mid-year review']);

    // Sam's history shows all of it: the held meeting with its items and notes, the skip and the move.
    await b.getByRole('button', { name: 'History' }).click();
    const past = b.getByRole('dialog').getByRole('list', { name: 'Past meetings' });
    await expect(past.getByRole('heading')).toHaveText([
      'Wed 12 Mar, 15:00 · Upcoming',
      'Fri 7 Mar, 14:00 · Cancelled',
      'Tue 4 Mar, 10:00 · Held',
    ]);
    await expect(past.getByRole('listitem').first()).toContainText('Moved from Tue 11 Mar, 10:00 to Wed 12 Mar, 15:00: Offsite on Tuesday');
    await expect(past).toContainText('Cancelled: Sam is out sick (1 item carried forward)');
    const held = b.getByRole('list', { name: 'Items of Tue 4 Mar, 10:00' });
    await expect(held.getByRole('listitem')).toHaveText([
      'Career goals · discussed',
      'Budget numbers · settled async',
      'Launch retro · discussed',
      'Time off in March · not reached, carried on',
    ]);
    const checkIns = b.getByRole('list', { name: 'Check-ins of Tue 4 Mar, 10:00' });
    await expect(checkIns).toContainText('Dana Whitfield: Rested after the weekend');
    await expect(checkIns).toContainText('Sam Okafor: Busy but good');
    const steps = b.getByRole('list', { name: 'Next steps of Tue 4 Mar, 10:00' });
    await expect(steps).toContainText('Write the retro summary for the team · Sam Okafor, 2031-03-20');
    await expect(steps).toContainText('Draft the promotion case · No owner, no due date');
    await past.getByRole('button', { name: 'Show notes' }).last().click();
    await expect(past.getByRole('textbox', { name: 'Shared notes' })).toContainText('Draft the promotion case');
    await checkScreen(b, 'history-after-meeting');
    await b.keyboard.press('Escape');

    // Sam's list screen shows the step he owns among his open next steps.
    await b.getByRole('button', { name: 'Back to all 1:1s' }).click();
    await expect(b.getByRole('list', { name: 'Mine: open next steps' })).toContainText('Write the retro summary for the team');
    await checkScreen(b, 'open-next-steps');

    // Each meeting has its own private pane; Dana's note is kept on her device alone.
    await expect(a.getByRole('textbox', { name: 'Private notes' })).toHaveText('');
    expect(bytesOnDisk(pair.dirA).includes(PRIVATE)).toBe(true);
    expect(proxy!.bytes().includes('Draft the promotion case')).toBe(true);
    expect(proxy!.bytes().includes(PRIVATE)).toBe(false);
    expect(bytesOnDisk(pair.relayDir).includes(PRIVATE)).toBe(false);
  } finally {
    await pair.stop();
  }
});
