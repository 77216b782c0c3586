/**
 * The calendar operations through a real core on a temp dir: exporting one 1:1 or the feed, reading
 * a file without changing anything, and importing a cadence (which re-plans the next meeting), or
 * refusing with the 1:1 left exactly as it was.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { archiveDocId, readArchived } from '../../../../../src/shared/domain/archive.js';
import { endMeeting } from '../../../../../src/shared/domain/meetings.js';
import { moveMeeting, setSeriesState, skipMeeting } from '../../../../../src/shared/domain/series-commands.js';
import { listMeetings, nextMeeting, readMeta } from '../../../../../src/shared/domain/series-doc.js';
import type { Cadence } from '../../../../../src/shared/schemas.js';
import { openCore } from '../../../helpers/core.js';
import { BERLIN_WEEKLY } from '../../../helpers/cadence.js';
import { calendarFile, occurrences, repeatingEvent } from '../../../helpers/calendar.js';
import { until } from '../../sync/sync-fixtures.js';

const NOW = new Date('2026-01-01T12:00:00.000Z');

async function withSeries() {
  const opened = await openCore({ clock: () => NOW });
  const { api } = opened;
  const sam = await api.createSeries({ kind: 'manager-report', myRole: 'manager', partnerName: 'Sam', cadence: BERLIN_WEEKLY });
  const alex = await api.createSeries({ kind: 'peer', partnerName: 'Alex', cadence: { ...BERLIN_WEEKLY, weekday: 3 } });
  const lee = await api.createSeries({ kind: 'peer', partnerName: 'Lee', cadence: { ...BERLIN_WEEKLY, weekday: 4 } });
  return { ...opened, sam, alex, lee };
}

const uids = (ics: string) =>
  new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((e) => String(e.getFirstPropertyValue('uid')));

const MONTHLY_TUESDAY_EVENT = repeatingEvent('FREQ=MONTHLY;BYDAY=2TU', 'Sam 1:1');
const MONTHLY_TUESDAY = calendarFile([MONTHLY_TUESDAY_EVENT]);

const stateOf = (core: { docs: { with<T>(id: string, fn: (doc: Y.Doc) => T): T } }, id: string) =>
  core.docs.with(id, (doc) => Buffer.from(Y.encodeStateVector(doc)).toString('hex'));

async function refusal(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('not refused');
}

describe('exportCalendar', () => {
  test('one 1:1: its file, named for it, with its events only', async () => {
    const { api, sam } = await withSeries();
    const file = await api.exportCalendar({ seriesId: sam.id });
    expect([file.fileName, file.series, file.skipped]).toEqual(['1-1 Dana - Sam.ics', 1, 0]);
    expect(uids(file.ics)).toEqual([`${sam.id}@tandem`]);
    expect(file.ics).toContain('SUMMARY:1:1 Dana / Sam');
    expect(file.ics).toContain('DTSTART;TZID=Europe/Berlin:20260105T090000');
  });

  test('the feed holds every 1:1 not ended; a paused one is there with no future meetings', async () => {
    const { core, api, sam, alex, lee } = await withSeries();
    const ctx = { now: NOW, userId: (await api.getProfile())!.id };
    core.docs.with(alex.id, (doc) => setSeriesState(doc, { state: 'ended' }, ctx));
    core.docs.with(lee.id, (doc) => setSeriesState(doc, { state: 'paused' }, ctx));
    const feed = await api.exportCalendar();
    expect([feed.fileName, feed.series]).toEqual(['tandem-1-1s.ics', 2]);
    expect(new Set(uids(feed.ics))).toEqual(new Set([`${sam.id}@tandem`, `${lee.id}@tandem`]));
    expect(feed.ics).toContain('X-WR-CALNAME:Tandem 1:1s');
    expect(feed.ics.match(/BEGIN:VTIMEZONE/g)).toHaveLength(1);
    expect(feed.ics).toContain('UNTIL=20260101T120000Z');
  });

  test('moved and cancelled meetings of a year moved into its archive document are still a changed and a left-out date', async () => {
    let now = new Date('2024-11-01T12:00:00.000Z');
    const { core, api } = await openCore({ clock: () => now });
    const weekly: Cadence = { ...BERLIN_WEEKLY, time: '10:00', startsOn: '2024-11-04' };
    const sam = await api.createSeries({ kind: 'manager-report', myRole: 'manager', partnerName: 'Sam', cadence: weekly });
    const userId = (await api.getProfile())!.id;
    const at = (iso: string) => ({ now: new Date(iso), userId });
    const next = (doc: Y.Doc) => nextMeeting(doc)!;
    const [moved, cancelled] = core.docs.with(sam.id, (doc) => {
      endMeeting(doc, { meetingId: next(doc).id }, at('2024-11-04T09:30:00.000Z'));
      const moved = next(doc).id;
      moveMeeting(doc, { meetingId: moved, to: '2024-11-12T13:00:00.000Z', reason: 'offsite' }, at('2024-11-08T12:00:00.000Z'));
      endMeeting(doc, { meetingId: moved }, at('2024-11-12T13:30:00.000Z'));
      const cancelled = next(doc).id;
      skipMeeting(doc, { meetingId: cancelled, reason: 'holiday' }, at('2024-11-15T12:00:00.000Z'));
      // Every other meeting is held, up to the first of 2025: the meetings of 2024 can then move.
      while (next(doc).scheduledFor < '2025-01-07') endMeeting(doc, { meetingId: next(doc).id }, at(next(doc).scheduledFor));
      return [moved, cancelled];
    });
    await until(() => core.docs.with(sam.id, (doc) => readArchived(doc).some((m) => m.id === moved)), 'the year 2024 moved');
    core.docs.with(sam.id, (doc) => expect(listMeetings(doc).map((m) => m.id)).not.toContain(cancelled));
    core.docs.with(archiveDocId(sam.id, 2024), (archive) =>
      expect(listMeetings(archive).filter((m) => m.id === moved || m.id === cancelled)).toHaveLength(2),
    );

    now = new Date('2025-01-10T12:00:00.000Z');
    const { ics } = await api.exportCalendar({ seriesId: sam.id });
    expect(ics).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20241111T100000');
    expect(ics).toContain('EXDATE;TZID=Europe/Berlin:20241118T100000');
    const shown = occurrences(ics, new Date('2024-12-03T00:00:00.000Z'));
    expect(shown.map((o) => `${o.local} ${o.uid === `${sam.id}@tandem` ? 'series' : 'single'}`)).toEqual([
      '2024-11-04T10:00:00 series',
      '2024-11-12T14:00:00 series',
      '2024-11-25T10:00:00 series',
      '2024-12-02T10:00:00 series',
    ]);
    await core.close();
  });

  test('an unknown 1:1 is refused', async () => {
    const { api } = await withSeries();
    expect(await refusal(() => api.exportCalendar({ seriesId: crypto.randomUUID() }))).toMatch(/^This 1:1 is not on this device/);
  });
});

describe('importing a cadence', () => {
  test('reading a file changes nothing; importing it sets the cadence and re-plans the next meeting', async () => {
    const { core, api, sam } = await withSeries();
    const before = stateOf(core, sam.id);
    const reading = await api.readCalendarFile({ seriesId: sam.id, ics: MONTHLY_TUESDAY });
    expect(stateOf(core, sam.id)).toBe(before);
    const cadence: Cadence = {
      pattern: 'monthly-nth-weekday',
      weekday: 2,
      nth: 2,
      time: '10:00',
      lengthMinutes: 45,
      timeZone: 'America/New_York',
      startsOn: '2026-01-13',
    };
    expect(reading).toEqual({ candidates: [{ summary: 'Sam 1:1', cadence, notes: [] }], refused: [] });

    expect(await api.importCalendarCadence({ seriesId: sam.id, ics: MONTHLY_TUESDAY })).toEqual({
      status: 'applied',
      candidate: reading.candidates[0],
    });
    core.docs.with(sam.id, (doc) => {
      expect(readMeta(doc).cadence).toEqual(cadence);
      expect(nextMeeting(doc)!.scheduledFor).toBe('2026-01-13T15:00:00.000Z');
    });
    // The exported file is the imported event again.
    const { ics } = await api.exportCalendar({ seriesId: sam.id });
    expect((await api.readCalendarFile({ seriesId: sam.id, ics })).candidates.map((c) => c.cadence)).toEqual([cadence]);
  });

  test('an Outlook file in "W. Europe Standard Time" sets a Europe/Berlin cadence; the next meeting is at 09:30 in Berlin', async () => {
    const { core, api, sam } = await withSeries();
    const ics = readFileSync(join(import.meta.dirname, '../../../shared/domain/outlook/weekly-w-europe.ics'), 'utf8');
    const applied = await api.importCalendarCadence({ seriesId: sam.id, ics });
    expect(applied.status === 'applied' && applied.candidate.summary).toBe('Mira / Jonas 1:1');
    core.docs.with(sam.id, (doc) => {
      expect(readMeta(doc).cadence).toMatchObject({ pattern: 'weekly', weekday: 2, time: '09:30', timeZone: 'Europe/Berlin' });
      expect(nextMeeting(doc)!.scheduledFor).toBe('2026-02-03T08:30:00.000Z');
    });
  });

  test('several repeating events: the candidates come back to choose from, then `pick` takes one', async () => {
    const { core, api, sam } = await withSeries();
    const file = calendarFile([
      repeatingEvent('FREQ=DAILY', 'Standup', '20260105T093000'),
      repeatingEvent('FREQ=WEEKLY;INTERVAL=2', 'Sam', '20260106T140000'),
      MONTHLY_TUESDAY_EVENT,
    ]);
    const before = stateOf(core, sam.id);
    const choice = await api.importCalendarCadence({ seriesId: sam.id, ics: file });
    expect(choice.status).toBe('choose');
    if (choice.status !== 'choose') return;
    expect(choice.candidates.map((c) => [c.summary, c.cadence.pattern])).toEqual([
      ['Sam', 'biweekly'],
      ['Sam 1:1', 'monthly-nth-weekday'],
    ]);
    expect(choice.refused).toEqual([{ summary: 'Standup', reason: 'it repeats daily' }]);
    expect(stateOf(core, sam.id)).toBe(before);

    expect(await refusal(() => api.importCalendarCadence({ seriesId: sam.id, ics: file, pick: 2 }))).toBe(
      'That file has 2 events to choose from; there is no number 3.',
    );
    const applied = await api.importCalendarCadence({ seriesId: sam.id, ics: file, pick: 0 });
    expect(applied.status).toBe('applied');
    core.docs.with(sam.id, (doc) => expect(readMeta(doc).cadence.pattern).toBe('biweekly'));
  });

  test('refusals change nothing: a rule Tandem cannot keep, a malformed file, a file too large, an ended 1:1', async () => {
    const { core, api, sam, alex } = await withSeries();
    const ctx = { now: NOW, userId: (await api.getProfile())!.id };
    core.docs.with(alex.id, (doc) => setSeriesState(doc, { state: 'ended' }, ctx));
    const before = [stateOf(core, sam.id), stateOf(core, alex.id)];
    const cases: [() => Promise<unknown>, RegExp][] = [
      [
        () =>
          api.importCalendarCadence({
            seriesId: sam.id,
            ics: calendarFile([repeatingEvent('FREQ=WEEKLY;BYDAY=MO,TH', 'Twice', '20260105T100000')]),
          }),
        /several days/,
      ],
      [() => api.importCalendarCadence({ seriesId: sam.id, ics: 'BEGIN:VCALENDAR\r\nnonsense\r\n' }), /^That is not a calendar/],
      [
        () => api.importCalendarCadence({ seriesId: sam.id, ics: MONTHLY_TUESDAY + ' '.repeat(1_000_000) }),
        /^That calendar file is larger than 1 MB/,
      ],
      [
        () => api.readCalendarFile({ seriesId: sam.id, ics: MONTHLY_TUESDAY + ' '.repeat(1_000_000) }),
        /^That calendar file is larger than 1 MB/,
      ],
      [() => api.importCalendarCadence({ seriesId: alex.id, ics: MONTHLY_TUESDAY }), /^This 1:1 has ended/],
      [() => api.importCalendarCadence({ seriesId: 'not-an-id', ics: MONTHLY_TUESDAY } as never), /./],
    ];
    for (const [call, message] of cases) expect(await refusal(call)).toMatch(message);
    expect([stateOf(core, sam.id), stateOf(core, alex.id)]).toEqual(before);
  });
});
