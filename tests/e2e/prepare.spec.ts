import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import * as Y from 'yjs';
import { TandemCore } from '../../src/core/tandem-core.js';
import { currentMeeting, endMeeting } from '../../src/shared/domain/meetings.js';
import { meetingNotes } from '../../src/shared/domain/series-doc.js';
import { startWebShell, tempDir } from './support/processes.js';
import { checkScreen } from './support/screens.js';
import { openSeries, titles } from './support/tandem-page.js';

const DAY = 24 * 3600 * 1000;

/** A data dir where Dana met Sam last month, with notes from that meeting, as if written then. */
async function lastMonthsMeeting(dataDir: string): Promise<{ meetingId: string; date: string }> {
  const core = await TandemCore.open({ dataDir });
  try {
    const api = core.connect();
    const me = await api.setProfile({ name: 'Dana' });
    const date = new Date(Date.now() - 30 * DAY);
    date.setUTCHours(10, 0, 0, 0);
    const { id } = await api.createSeries({
      partnerName: 'Sam',
      kind: 'manager-report',
      myRole: 'manager',
      firstMeetingAt: date.toISOString(),
    });
    const meetingId = core.docs.with(id, (doc) => {
      const meeting = currentMeeting(doc)!.id;
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('Sam wants to lead the zeppelin migration next quarter.')]);
      meetingNotes(doc, meeting).insert(1, [paragraph]);
      endMeeting(doc, { meetingId: meeting }, { now: new Date(date.getTime() + 3600_000), userId: me.id });
      return meeting;
    });
    return { meetingId, date: date.toISOString() };
  } finally {
    await core.close();
  }
}

test("prepare and find: a question from the library, a template, last month's notes found with Ctrl+K, and the 1:1 exported", async ({
  page,
}) => {
  const dataDir = tempDir('prepare');
  const past = await lastMonthsMeeting(dataDir);
  const shell = await startWebShell(dataDir);
  try {
    await page.goto(shell.url);
    await openSeries(page, 'Sam');

    // A question from the library, found by a word of its note, added with its purpose.
    await page.getByRole('button', { name: 'Questions and templates' }).click();
    const library = page.getByRole('dialog', { name: 'Questions and templates' });
    await library.getByRole('searchbox', { name: 'Search questions' }).fill('crunch');
    const question = 'What drained you this week, and what would have helped?';
    await expect(library.getByRole('list', { name: 'Questions' }).getByRole('listitem')).toHaveCount(1);
    await checkScreen(page, 'question-library');
    await library.getByRole('button', { name: `Add to agenda: ${question}` }).click();
    // The page behind a dialog is hidden from assistive technology: read the agenda once it closes.
    await page.keyboard.press('Escape');
    await expect.poll(() => titles(page)).toEqual([question]);

    // A template adds its items after it, and applying it again adds nothing.
    const applyCareer = async () => {
      await page.getByRole('button', { name: 'Questions and templates' }).click();
      await library.getByRole('button', { name: 'Apply template: Career conversation' }).click();
    };
    await applyCareer();
    await expect(page.getByText('Career conversation: 4 items added to the next meeting.')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect
      .poll(() => titles(page))
      .toEqual([
        question,
        'Where would you like to be in two years?',
        'What energises you in your current work, and what drains you?',
        'One skill to grow this quarter',
        'Opportunities to look out for',
      ]);
    await applyCareer();
    await expect(page.getByText('Career conversation: already on the agenda.')).toBeVisible();
    await page.keyboard.press('Escape');
    expect(await titles(page)).toHaveLength(5);

    // Ctrl+K, a word from last month's notes, Enter: that meeting opens at its notes.
    await page.keyboard.press('Control+k');
    const search = page.getByRole('dialog', { name: 'Search all 1:1s' });
    await search.getByRole('searchbox', { name: 'Search' }).fill('zeppel');
    const results = search.getByRole('list', { name: 'Results' });
    await expect(results.getByRole('link')).toHaveCount(1);
    await expect(results.getByRole('link')).toContainText('Shared notes');
    await expect(results.locator('mark')).toHaveText('zeppelin');
    await checkScreen(page, 'search');
    await search.getByRole('searchbox', { name: 'Search' }).press('Enter');
    await expect(page).toHaveURL(new RegExp(`#/series/[0-9a-f-]{36}/meetings/${past.meetingId}/notes$`));
    const found = page.getByRole('region', { name: 'Shared notes' });
    await expect(found).toHaveAttribute('aria-current', 'location');
    await expect(found).toContainText('Sam wants to lead the zeppelin migration next quarter.');
    await expect(found).toBeFocused();
    await checkScreen(page, 'search-result-meeting');
    await page.keyboard.press('Escape');
    await expect(page).toHaveURL(/#\/series\/[0-9a-f-]{36}$/);

    // Export the 1:1 and read the files.
    const out = join(tempDir('export'), 'notes');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Export to Markdown' });
    await dialog.getByRole('textbox', { name: 'Folder' }).fill(out);
    await dialog.getByRole('button', { name: 'Export' }).click();
    await expect(dialog.getByRole('status')).toHaveText(`Exported 2 meetings to ${out}.`);
    await checkScreen(page, 'export');
    const [folder] = readdirSync(out);
    const files = readdirSync(join(out, folder!)).sort();
    expect(files).toEqual([expect.stringMatching(new RegExp(`^${past.date.slice(0, 10)}-held-`)), expect.stringMatching(/-scheduled-/)]);
    const held = readFileSync(join(out, folder!, files[0]!), 'utf8');
    expect(held).toMatch(/^---\ntitle: "1:1 with Sam"\n/);
    expect(held).toContain('status: "held"');
    expect(held).toContain('Sam wants to lead the zeppelin migration next quarter.');
    const next = readFileSync(join(out, folder!, files[1]!), 'utf8');
    expect(next).toContain(`- ${question} (Connection, open)`);
    expect(next).toContain('- Where would you like to be in two years? (Career, open)');
  } finally {
    await shell.stop();
  }
});
