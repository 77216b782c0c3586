/**
 * 1:1 health between two people through a real relay: a seeded history (written into the shared
 * 1:1 by a scripted peer) shows the expected flags, figures and charts in both themes, the
 * overview puts the troubled 1:1 first, acting on the nudge adds the question and clears the
 * flag live on the other person's page, nudges wait while a meeting is held, and the health
 * report downloads when asked for.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import * as Y from 'yjs';
import { addAgendaItem, addMeeting } from '../../src/shared/domain/commands.js';
import { endMeeting, markDiscussed } from '../../src/shared/domain/meetings.js';
import { skipMeeting } from '../../src/shared/domain/series-commands.js';
import { readMeta } from '../../src/shared/domain/series-doc.js';
import { inviteCode, startPair } from './support/pair.js';
import { joinAsPeer } from './support/scripted-peer.js';
import { checkScreen } from './support/screens.js';
import { createSeries, titles } from './support/tandem-page.js';

const DAY = 86_400_000;

/** Four held meetings of status items all written by the manager, the first 120 days ago, then two cancelled in a row. */
function seedHistory(doc: Y.Doc): void {
  const meta = readMeta(doc);
  const managerId = Object.keys(meta.participants).find((id) => meta.participants[id]!.role === 'manager')!;
  const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY);
  for (const [k, daysAgo] of [120, 35, 28, 21].entries()) {
    const meetingId = addMeeting(doc, { scheduledFor: at(daysAgo).toISOString() }, { now: at(daysAgo + 2), userId: managerId });
    for (const n of [1, 2]) {
      const itemId = addAgendaItem(
        doc,
        { title: `Status ${k}.${n}`, context: 'Figures attached', purpose: 'status', meetingId },
        { now: at(daysAgo + 1), userId: managerId },
      );
      markDiscussed(doc, { meetingId, itemId, discussed: true }, { now: at(daysAgo), userId: managerId });
    }
    endMeeting(doc, { meetingId }, { now: at(daysAgo), userId: managerId });
  }
  for (const daysAgo of [14, 7]) {
    const meetingId = addMeeting(doc, { scheduledFor: at(daysAgo).toISOString() }, { now: at(daysAgo + 1), userId: managerId });
    skipMeeting(doc, { meetingId, reason: 'Busy' }, { now: at(daysAgo + 1), userId: managerId });
  }
}

test('a seeded history shows its flags and charts; the nudge adds a career question and clears the flag on both pages', async ({
  browser,
}) => {
  const pair = await startPair(browser);
  try {
    const { a: dana, b: sam } = pair;
    const peer = await joinAsPeer(await inviteCode(dana));
    seedHistory(peer.doc);

    // Dana: the nudge at the top of the agenda is the heaviest flag.
    const nudge = dana.getByRole('complementary', { name: '2 meetings in a row were cancelled' });
    await expect(nudge).toBeVisible();
    await expect(nudge).toContainText('Move the meeting instead of cancelling it');

    // Sam, in the dark theme, opens the health panel.
    await sam.emulateMedia({ colorScheme: 'dark' });
    await sam.getByRole('button', { name: 'Health' }).click();
    const panel = sam.getByRole('dialog', { name: '1:1 health' });
    const flags = panel.getByRole('list', { name: 'What needs attention' }).getByRole('heading');
    await expect(flags).toHaveText([
      '2 meetings in a row were cancelled',
      'No career conversation since this 1:1 began',
      'The manager wrote 100 % of the recent agenda',
      '100 % of what you discussed lately was status',
    ]);
    await expect(panel.getByRole('img', { name: /^Meetings per month: last 12 months: 4 held, 0 moved, 2 cancelled$/ })).toBeVisible();
    await expect(panel.getByRole('img', { name: /^Purposes discussed per month: .*8 status/ })).toBeVisible();
    await expect(
      panel.getByRole('img', { name: /^Who wrote the agenda: items in the last 4 held meetings: Dana Whitfield 8, Sam Okafor 0$/ }),
    ).toBeVisible();
    await expect(panel.getByRole('table', { name: 'Meetings per month' })).toBeAttached();
    await expect.poll(() => sam.locator('html').getAttribute('data-theme')).toBe('dark');
    await checkScreen(sam, 'health-panel-dark');

    // Sam exports the panel's report: a download of this 1:1's flags and figures.
    const [report] = await Promise.all([
      sam.waitForEvent('download'),
      panel.getByRole('group', { name: 'Export health report' }).getByRole('button', { name: 'Markdown' }).click(),
    ]);
    expect(report.suggestedFilename()).toMatch(/^tandem-health-dana-whitfield-\d{4}-\d{2}-\d{2}\.md$/);
    const markdown = readFileSync((await report.path())!, 'utf8');
    expect(markdown).toContain('## Dana Whitfield');
    expect(markdown).toContain('- **2 meetings in a row were cancelled.**');

    // Dana puts the cancellations aside for now; the career nudge comes next and adds its question.
    await nudge.getByRole('button', { name: /^Not now/ }).click();
    const career = dana.getByRole('complementary', { name: 'No career conversation since this 1:1 began' });
    await expect(career).toBeVisible();
    const question = (await career.locator('.nudge__question').innerText()).replace(/^“|”$/g, '');
    await checkScreen(dana, 'health-nudge');
    await career.getByRole('button', { name: 'Add this question' }).click();
    await expect.poll(() => titles(dana)).toContain(question);
    await expect(career).toBeHidden();

    // Live on Sam's page: the question arrives and the career flag is gone from his open panel.
    await expect(flags).toHaveText([
      '2 meetings in a row were cancelled',
      'The manager wrote 100 % of the recent agenda',
      '100 % of what you discussed lately was status',
    ]);
    await sam.keyboard.press('Escape');
    await expect.poll(() => titles(sam)).toContain(question);

    // The dismissal is remembered on Dana's device across a reload, and only there.
    await dana.reload();
    await expect(dana.getByRole('complementary', { name: 'The manager wrote 100 % of the recent agenda' })).toBeVisible();
    await expect(sam.getByRole('complementary', { name: '2 meetings in a row were cancelled' })).toBeVisible();

    // Nudges are for preparing: they wait while the meeting is held, on both pages, and are back once it ends.
    await dana.getByRole('button', { name: 'Start 1:1' }).click();
    for (const page of [dana, sam]) await expect(page.locator('.nudge')).toHaveCount(0);
    await dana.getByRole('button', { name: 'End 1:1' }).click();
    await dana.getByRole('dialog', { name: 'End this 1:1' }).getByRole('button', { name: 'End meeting' }).click();
    await expect(dana.getByRole('complementary', { name: 'The manager wrote 100 % of the recent agenda' })).toBeVisible();
    await expect(sam.getByRole('complementary', { name: '2 meetings in a row were cancelled' })).toBeVisible();

    // The overview: the troubled 1:1 first, a new one all clear.
    await dana.getByRole('button', { name: 'Back to all 1:1s' }).click();
    await createSeries(dana, 'Alex Kim');
    await dana.getByRole('button', { name: 'Create 1:1' }).click();
    await dana.getByRole('button', { name: 'Back to all 1:1s' }).click();
    await dana.getByRole('link', { name: '1:1 health' }).click();
    const overview = dana.getByRole('list', { name: '1:1s, the one needing attention most first' });
    await expect(overview.getByRole('heading', { level: 2 })).toHaveText(['Sam Okafor', 'Alex Kim']);
    await expect(overview.getByRole('listitem').last()).toContainText('All clear');
    await checkScreen(dana, 'health-overview');
    const [all] = await Promise.all([
      dana.waitForEvent('download'),
      dana.getByRole('group', { name: 'Export health report' }).getByRole('button', { name: 'JSON' }).click(),
    ]);
    const exported = JSON.parse(readFileSync((await all.path())!, 'utf8')) as { oneOnOnes: { title: string }[] };
    expect(exported.oneOnOnes.map((e) => e.title)).toEqual(['Sam Okafor', 'Alex Kim']);
    peer.close();
  } finally {
    await pair.stop();
  }
});
