import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import ICAL from 'ical.js';
import { TandemCore } from '../../src/core/tandem-core.js';
import { BERLIN_WEEKLY } from '../unit/helpers/cadence.js';
import { startWebShell, tempDir } from './support/processes.js';
import { checkScreen } from './support/screens.js';
import { openSeries } from './support/tandem-page.js';

/** A data dir where Dana meets Sam every week, Mondays 09:00 in Berlin. */
async function weeklyWithSam(dataDir: string): Promise<string> {
  const core = await TandemCore.open({ dataDir });
  try {
    const api = core.connect();
    await api.setProfile({ name: 'Dana' });
    return (await api.createSeries({ partnerName: 'Sam', kind: 'manager-report', myRole: 'manager', cadence: BERLIN_WEEKLY })).id;
  } finally {
    await core.close();
  }
}

/** Clicks `button` and reads the file the page downloads. */
async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
}

const rules = (ics: string) =>
  new ICAL.Component(ICAL.parse(ics))
    .getAllSubcomponents('vevent')
    .map((e) => [e.getFirstPropertyValue('uid'), String(e.getFirstPropertyValue('rrule'))]);

const OUTLOOK_STYLE = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Test//EN',
  'BEGIN:VEVENT',
  'UID:sam-monthly@example.com',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;TZID=America/New_York:20260113T100000',
  'DTEND;TZID=America/New_York:20260113T104500',
  'RRULE:FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2',
  'SUMMARY:Sam monthly',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:standup@example.com',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;TZID=America/New_York:20260105T093000',
  'DURATION:PT15M',
  'RRULE:FREQ=DAILY',
  'SUMMARY:Standup',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

test('a 1:1 exported to a calendar file, its cadence imported from another, and the feed of all', async ({ page }) => {
  const dataDir = tempDir('calendar');
  const seriesId = await weeklyWithSam(dataDir);
  const shell = await startWebShell(dataDir);
  try {
    await page.goto(shell.url);
    await openSeries(page, 'Sam');
    await page.getByRole('button', { name: '1:1 settings' }).click();
    const settings = page.getByRole('dialog', { name: '1:1 settings' });

    const exported = await download(page, () => settings.getByRole('button', { name: 'Export to calendar (.ics)' }).click());
    expect(exported.name).toBe('1-1 Dana - Sam.ics');
    expect(rules(exported.text)).toEqual([[`${seriesId}@tandem`, 'FREQ=WEEKLY;BYDAY=MO']]);
    expect(exported.text).toContain('DTSTART;TZID=Europe/Berlin:20260105T090000');
    await expect(settings.getByRole('status')).toHaveText('Saved 1-1 Dana - Sam.ics.');

    await settings
      .getByLabel('Import cadence from .ics')
      .setInputFiles({ name: 'sam.ics', mimeType: 'text/calendar', buffer: Buffer.from(OUTLOOK_STYLE) });
    const preview = settings.getByRole('group', { name: 'Cadence from the file' });
    await expect(preview).toContainText(
      'From “Sam monthly”: Monthly on the second Tuesday at 10:00 (America/New_York), 45 minutes, from 2026-01-13',
    );
    await expect(preview).toContainText('Not usable: “Standup” (it repeats daily).');
    await checkScreen(page, 'calendar-import');
    await preview.getByRole('button', { name: 'Use this cadence' }).click();
    await expect(settings.getByRole('status')).toHaveText(
      'Cadence set: Monthly on the second Tuesday at 10:00 (America/New_York), 45 minutes, from 2026-01-13.',
    );
    // The form shows the imported cadence, so saving it keeps it.
    await expect(settings.getByRole('combobox', { name: 'How often' })).toHaveValue('monthly-nth-weekday');
    await settings.getByRole('button', { name: 'Save' }).click();
    await expect(settings).toHaveCount(0);

    await page.getByRole('button', { name: '1:1 settings' }).click();
    const again = await download(page, () => settings.getByRole('button', { name: 'Export to calendar (.ics)' }).click());
    expect(rules(again.text)).toEqual([[`${seriesId}@tandem`, 'FREQ=MONTHLY;BYDAY=2TU']]);
    // Saving the form starts the cadence from the next regular meeting: the same dates.
    expect(again.text).toMatch(/\r\nDTSTART;TZID=America\/New_York:\d{8}T100000\r\nDURATION:PT45M\r\n/);
    await page.keyboard.press('Escape');

    await page.goto(shell.url);
    const feed = await download(page, () => page.getByRole('button', { name: 'Calendar feed (.ics)' }).click());
    expect(feed.name).toBe('tandem-1-1s.ics');
    expect(rules(feed.text)).toEqual([[`${seriesId}@tandem`, 'FREQ=MONTHLY;BYDAY=2TU']]);
  } finally {
    await shell.stop();
  }
});
