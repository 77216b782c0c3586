/**
 * The calendar file of a 1:1, read back through ical.js as a calendar would: its dates (with the
 * file's own VTIMEZONE, across DST changes), its moved and cancelled meetings, paused and ended
 * 1:1s; and repeating events read as cadences, or refused with a reason.
 */
import { tzOffset } from '@date-fns/tz';
import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
  firstOccurrence,
  readCalendar,
  seriesCalendar,
  writeCalendar,
  type SeriesCalendar,
} from '../../../../src/shared/domain/calendar.js';
import { archiveOldYears, parseArchiveDocId, withArchiveDocs } from '../../../../src/shared/domain/archive.js';
import { addAgendaItem, type CommandContext } from '../../../../src/shared/domain/commands.js';
import { writeCheckIn } from '../../../../src/shared/domain/meetings.js';
import {
  addAdHocMeeting,
  moveMeeting,
  planNextMeeting,
  setCadence,
  setSeriesState,
  skipMeeting,
} from '../../../../src/shared/domain/series-commands.js';
import { listMeetings, meetingsMap } from '../../../../src/shared/domain/series-doc.js';
import type { Cadence } from '../../../../src/shared/schemas.js';
import { Peer } from '../../helpers/archive-peers.js';
import { seedSeries } from '../../helpers/series-doc.js';
import { BERLIN_WEEKLY } from '../../helpers/cadence.js';
import { cadenceDates, calendarFile, occurrences } from '../../helpers/calendar.js';

const NOW = new Date('2026-01-01T12:00:00.000Z');
const READ = { floatingTimeZone: 'Europe/Berlin', now: NOW };

function calendarOf(cadence: Cadence, rest: Partial<SeriesCalendar> = {}, now = NOW): string {
  return writeCalendar([{ seriesId: 'series-1', summary: '1:1 Dana / Sam', cadence, state: 'active', meetings: [], ...rest }], 'Test', now);
}

const NEW_YORK_MONTHLY: Cadence = {
  pattern: 'monthly-nth-weekday',
  weekday: 2,
  nth: 2,
  time: '09:00',
  lengthMinutes: 45,
  timeZone: 'America/New_York',
  startsOn: '2026-01-01',
};

describe('export: dates in the 1:1 time zone', () => {
  test('a weekly 09:00 Europe/Berlin 1:1 stays at 09:00 local across the March and October changes', () => {
    const until = new Date('2026-12-31T00:00:00Z');
    const shown = occurrences(calendarOf(BERLIN_WEEKLY), until);
    expect(shown).toHaveLength(52);
    expect(new Set(shown.map((o) => o.local.slice(11)))).toEqual(new Set(['09:00:00']));
    expect(shown.map((o) => o.at)).toEqual(cadenceDates(BERLIN_WEEKLY, until));
    const around = (day: string) => shown.find((o) => o.local.startsWith(day))!.at;
    expect([around('2026-03-23'), around('2026-03-30')]).toEqual(['2026-03-23T08:00:00.000Z', '2026-03-30T07:00:00.000Z']);
    expect([around('2026-10-19'), around('2026-10-26')]).toEqual(['2026-10-19T07:00:00.000Z', '2026-10-26T08:00:00.000Z']);
  });

  test('an America/New_York 1:1 on the second Tuesday of each month, at 09:00 local on both sides of DST', () => {
    const until = new Date('2027-12-31T00:00:00Z');
    const shown = occurrences(calendarOf(NEW_YORK_MONTHLY), until);
    expect(shown).toHaveLength(24);
    for (const o of shown) {
      const day = Number(o.local.slice(8, 10));
      expect([new Date(o.local.slice(0, 10)).getUTCDay(), Math.ceil(day / 7), o.local.slice(11)]).toEqual([2, 2, '09:00:00']);
    }
    expect(shown.map((o) => o.at)).toEqual(cadenceDates(NEW_YORK_MONTHLY, until));
    expect(shown.find((o) => o.local.startsWith('2026-03-10'))!.at).toBe('2026-03-10T13:00:00.000Z');
    expect(shown.find((o) => o.local.startsWith('2026-02-10'))!.at).toBe('2026-02-10T14:00:00.000Z');
  });

  test.each([
    ['weekly', {}, 'FREQ=WEEKLY;BYDAY=MO'],
    ['biweekly', {}, 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO'],
    ['every-4-weeks', {}, 'FREQ=WEEKLY;INTERVAL=4;BYDAY=MO'],
    ['monthly-nth-weekday', { nth: 1 }, 'FREQ=MONTHLY;BYDAY=1MO'],
    ['monthly-nth-weekday', { nth: 4 }, 'FREQ=MONTHLY;BYDAY=4MO'],
    ['monthly-nth-weekday', { nth: 'last' }, 'FREQ=MONTHLY;BYDAY=-1MO'],
  ] as const)('%s %o is RRULE %s, and its dates are the cadence dates', (pattern, extra, rule) => {
    const cadence: Cadence = { ...BERLIN_WEEKLY, pattern, ...extra };
    const ics = calendarOf(cadence);
    expect(ics).toContain(`\r\nRRULE:${rule}\r\n`);
    expect(ics).toMatch(/\r\nDTSTART;TZID=Europe\/Berlin:2026\d{4}T090000\r\nDURATION:PT30M\r\n/);
    const until = new Date('2027-06-30T00:00:00Z');
    expect(occurrences(ics, until).map((o) => o.at)).toEqual(cadenceDates(cadence, until));
  });

  test('the file carries one VTIMEZONE per zone, whose rules ical.js expands (no zone known by name only)', () => {
    const ics = writeCalendar(
      [
        { seriesId: 'a', summary: '1:1 Dana / Sam', cadence: BERLIN_WEEKLY, state: 'active', meetings: [] },
        { seriesId: 'b', summary: '1:1 Dana / Kim', cadence: { ...BERLIN_WEEKLY, weekday: 3 }, state: 'active', meetings: [] },
        { seriesId: 'c', summary: '1:1 Dana / Lee', cadence: NEW_YORK_MONTHLY, state: 'active', meetings: [] },
      ],
      'Tandem 1:1s',
      NOW,
    );
    const calendar = new ICAL.Component(ICAL.parse(ics));
    expect(calendar.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid'))).toEqual([
      'America/New_York',
      'Europe/Berlin',
    ]);
    expect(ics).toContain('RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU');
    expect(ics).toContain('RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU');
    expect(new Set(calendar.getAllSubcomponents('vevent').map((e) => e.getFirstPropertyValue('uid')))).toEqual(
      new Set(['a@tandem', 'b@tandem', 'c@tandem']),
    );
  });
});

/** Whether the cadence's local time on the day of `at` names exactly one instant in its zone. */
function unique(at: string, cadence: Cadence): boolean {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: cadence.timeZone }).format(new Date(at));
  const local = Date.parse(`${day}T${cadence.time}:00Z`);
  const offsets = new Set([-1, 1].map((d) => tzOffset(cadence.timeZone, new Date(local + d * 86_400_000))));
  return [...offsets].filter((offset) => tzOffset(cadence.timeZone, new Date(local - offset * 60_000)) === offset).length === 1;
}

const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'America/St_Johns',
  'America/Sao_Paulo',
  'Pacific/Chatham',
  'Asia/Tehran',
  'UTC',
];

const anyCadence: fc.Arbitrary<Cadence> = fc
  .record({
    pattern: fc.constantFrom<Cadence['pattern']>('weekly', 'biweekly', 'every-4-weeks', 'monthly-nth-weekday'),
    weekday: fc.integer({ min: 0, max: 6 }),
    nth: fc.constantFrom<NonNullable<Cadence['nth']>>(1, 2, 3, 4, 'last'),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.constantFrom(0, 15, 30, 45, 59),
    lengthMinutes: fc.integer({ min: 5, max: 480 }),
    timeZone: fc.constantFrom(...ZONES),
    startsOn: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2032-12-31T00:00:00Z'), noInvalidDate: true }),
  })
  .map(({ nth, hour, minute, startsOn, ...c }) => ({
    ...c,
    ...(c.pattern === 'monthly-nth-weekday' ? { nth } : {}),
    time: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`,
    startsOn: startsOn.toISOString().slice(0, 10),
  }));

describe('round trip', () => {
  test('any cadence exported then imported is the same cadence, starting on its first date', () => {
    fc.assert(
      fc.property(anyCadence, (cadence) => {
        const first = firstOccurrence(cadence);
        const ics = calendarOf(cadence, {}, first);
        const { candidates, refused } = readCalendar(ics, { floatingTimeZone: 'UTC', now: first });
        expect(refused).toEqual([]);
        const startsOn = new Intl.DateTimeFormat('en-CA', { timeZone: cadence.timeZone }).format(first);
        expect(candidates.map((c) => c.cadence)).toEqual([{ ...cadence, startsOn }]);
        expect(candidates[0]!.notes).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  test('any exported cadence expands in ical.js to the instants Tandem plans, DST changes included', () => {
    fc.assert(
      fc.property(anyCadence, (cadence) => {
        const first = firstOccurrence(cadence);
        const until = new Date(first.getTime() + 400 * 86_400_000);
        const planned = cadenceDates(cadence, until);
        const shown = occurrences(calendarOf(cadence, {}, first), until).map((o) => o.at);
        expect(shown).toHaveLength(planned.length);
        shown.forEach((at, i) => {
          // RFC 5545 (and date-fns) read a local time a DST change skips with the offset before
          // it, and one it gives twice as the first; ical.js does neither. Only those meetings
          // may differ, by the change itself.
          if (unique(planned[i]!, cadence)) expect(at).toBe(planned[i]);
          else expect(Math.abs(Date.parse(at) - Date.parse(planned[i]!))).toBeLessThanOrEqual(3_600_000);
        });
      }),
      { numRuns: 60 },
    );
  });
});

const CTX: CommandContext = { now: new Date('2030-01-01T00:00:00.000Z'), userId: 'me' };
const at = (iso: string, userId = 'me'): CommandContext => ({ now: new Date(iso), userId });

const WEEKLY_UTC: Cadence = { pattern: 'weekly', weekday: 1, time: '10:00', lengthMinutes: 30, timeZone: 'UTC', startsOn: '2030-01-07' };
const markHeld = (doc: Y.Doc, meetingId: string) => (meetingsMap(doc).get(meetingId) as Y.Map<unknown>).set('status', 'held');

/** Dana and Sam, weekly on Mondays 10:00 UTC from 2030-01-07, its first meeting held and the next one planned. */
function plannedSeries(): Y.Doc {
  const doc = seedSeries(new Y.Doc(), 'manager-report', CTX);
  for (const m of listMeetings(doc)) markHeld(doc, m.id);
  planNextMeeting(doc, {}, at('2030-01-08T00:00:00.000Z'));
  return doc;
}

const scheduledOn = (doc: Y.Doc, day: string) => listMeetings(doc).find((m) => m.scheduledFor.startsWith(day))!.id;

describe('export: moved, cancelled and extra meetings', () => {
  test('a moved meeting overrides its date (RECURRENCE-ID), a cancelled one is an EXDATE, an ad hoc one is an event of its own', () => {
    const doc = plannedSeries();
    const moved = scheduledOn(doc, '2030-01-14');
    moveMeeting(doc, { meetingId: moved, to: '2030-01-15T14:00:00.000Z', reason: 'offsite' }, at('2030-01-10T00:00:00Z'));
    markHeld(doc, moved);
    planNextMeeting(doc, {}, at('2030-01-16T00:00:00Z'));
    skipMeeting(doc, { meetingId: scheduledOn(doc, '2030-01-21'), reason: 'holiday' }, at('2030-01-16T00:00:00Z'));
    const adHoc = addAdHocMeeting(doc, { scheduledFor: '2030-01-23T16:00:00.000Z' }, at('2030-01-16T00:00:00Z'));
    const ics = writeCalendar([seriesCalendar(doc, 'series-1', 'me', 'Dana')], 'Test', new Date('2030-01-16T00:00:00Z'));

    expect(ics).toContain('EXDATE;TZID=UTC:20300121T100000');
    expect(ics).toContain('RECURRENCE-ID;TZID=UTC:20300114T100000');
    const shown = occurrences(ics, new Date('2030-02-05T00:00:00Z'));
    expect(shown.map((o) => `${o.at.slice(0, 16)} ${o.uid === 'series-1@tandem' ? 'series' : o.uid}`)).toEqual([
      '2030-01-07T10:00 series',
      '2030-01-15T14:00 series',
      `2030-01-23T16:00 ${adHoc}.series-1@tandem`,
      '2030-01-28T10:00 series',
      '2030-02-04T10:00 series',
    ]);
  });

  test('a cancelled ad hoc meeting stays in the file as cancelled, so a calendar that had it drops it', () => {
    const doc = plannedSeries();
    const adHoc = addAdHocMeeting(doc, { scheduledFor: '2030-01-23T16:00:00.000Z' }, CTX);
    skipMeeting(doc, { meetingId: adHoc, reason: 'not needed' }, at('2030-01-20T00:00:00Z'));
    const shown = occurrences(
      writeCalendar([seriesCalendar(doc, 'series-1', 'me', 'Dana')], 'Test', NOW),
      new Date('2030-02-01T00:00:00Z'),
    );
    expect(shown.filter((o) => o.uid !== 'series-1@tandem')).toEqual([
      { uid: `${adHoc}.series-1@tandem`, at: '2030-01-23T16:00:00.000Z', local: '2030-01-23T16:00:00', status: 'CANCELLED' },
    ]);
  });

  test('meetings of an earlier cadence stay where they were; the series repeats the new cadence from its start', () => {
    const doc = plannedSeries();
    const thursdays: Cadence = {
      pattern: 'biweekly',
      weekday: 4,
      time: '15:00',
      lengthMinutes: 60,
      timeZone: 'Europe/Berlin',
      startsOn: '2030-02-01',
    };
    setCadence(doc, { cadence: thursdays }, at('2030-01-10T00:00:00Z'));
    expect(listMeetings(doc).map((m) => m.scheduledFor)).toEqual(['2030-01-07T10:00:00.000Z', '2030-02-07T14:00:00.000Z']);
    const shown = occurrences(
      writeCalendar([seriesCalendar(doc, 'series-1', 'me', 'Dana')], 'Test', NOW),
      new Date('2030-02-22T00:00:00Z'),
    );
    expect(shown.map((o) => `${o.local} ${o.uid === 'series-1@tandem' ? 'series' : 'single'}`)).toEqual([
      '2030-01-07T11:00:00 single',
      '2030-02-07T15:00:00 series',
      '2030-02-21T15:00:00 series',
    ]);
  });

  test.each([
    ['another time of the same day', { weekday: 1, time: '15:00' }, ['2029-12-31T15:00', '2030-01-07T15:00', '2030-01-14T15:00']],
    ['the same time of another day', { weekday: 2, time: '10:00' }, ['2030-01-01T10:00', '2030-01-08T10:00', '2030-01-15T10:00']],
  ])(
    'a meeting held before a cadence that reaches back past it (%s) is its own event, not one of the new rule',
    (_name, change, series) => {
      const doc = plannedSeries();
      // An imported event can start long before: the new rule covers the week of the meeting held under the old one.
      setCadence(doc, { cadence: { ...WEEKLY_UTC, ...change, startsOn: '2029-12-31' } }, at('2030-01-10T00:00:00Z'));
      const shown = occurrences(
        writeCalendar([seriesCalendar(doc, 'series-1', 'me', 'Dana')], 'Test', NOW),
        new Date('2030-01-16T00:00:00Z'),
      );
      expect(shown.map((o) => `${o.at.slice(0, 16)} ${o.uid === 'series-1@tandem' ? 'series' : 'single'}`)).toEqual(
        [...series.map((at) => `${at} series`), '2030-01-07T10:00 single'].sort(),
      );
    },
  );

  test('a paused 1:1 repeats until now: nothing after it, neither a moved meeting nor an ad hoc one', () => {
    const doc = plannedSeries();
    const now = new Date('2030-01-10T12:00:00Z');
    moveMeeting(
      doc,
      { meetingId: scheduledOn(doc, '2030-01-14'), to: '2030-01-15T14:00:00.000Z', reason: 'offsite' },
      at(now.toISOString()),
    );
    addAdHocMeeting(doc, { scheduledFor: '2030-01-23T16:00:00.000Z' }, at(now.toISOString()));
    setSeriesState(doc, { state: 'paused' }, at(now.toISOString()));
    const ics = writeCalendar([seriesCalendar(doc, 'series-1', 'me', 'Dana')], 'Test', now);
    expect(ics).toContain('RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20300110T120000Z');
    // ical.js ignores an override of a date past UNTIL; other calendars show it as a meeting.
    expect(ics).not.toContain('RECURRENCE-ID');
    expect(occurrences(ics, new Date('2031-01-01T00:00:00Z')).map((o) => o.at.slice(0, 10))).toEqual(['2030-01-07']);
  });

  test('an ended 1:1 repeats until its last meeting held; one that never met before it ended is cancelled', () => {
    const doc = plannedSeries();
    setSeriesState(doc, { state: 'ended' }, at('2030-03-01T00:00:00Z'));
    const ics = writeCalendar([seriesCalendar(doc, 'series-1', 'me', 'Dana')], 'Test', new Date('2030-03-01T00:00:00Z'));
    expect(ics).toContain('UNTIL=20300107T100000Z');
    expect(occurrences(ics, new Date('2031-01-01T00:00:00Z')).map((o) => o.at)).toEqual(['2030-01-07T10:00:00.000Z']);

    const never = seedSeries(new Y.Doc(), 'peer', CTX);
    setSeriesState(never, { state: 'ended' }, CTX);
    const master = new ICAL.Component(
      ICAL.parse(writeCalendar([seriesCalendar(never, 's', 'me', 'Dana')], 'Test', CTX.now)),
    ).getFirstSubcomponent('vevent')!;
    expect(master.getFirstPropertyValue('status')).toBe('CANCELLED');
  });

  test('the same 1:1 exported again keeps its UIDs and raises SEQUENCE, so a calendar updates its copy', () => {
    const doc = plannedSeries();
    const moved = scheduledOn(doc, '2030-01-14');
    moveMeeting(doc, { meetingId: moved, to: '2030-01-15T14:00:00.000Z', reason: 'offsite' }, CTX);
    addAdHocMeeting(doc, { scheduledFor: '2030-01-23T16:00:00.000Z' }, CTX);
    const read = (now: string) => {
      const events = new ICAL.Component(
        ICAL.parse(writeCalendar([seriesCalendar(doc, 'series-1', 'me', 'Dana')], 'Test', new Date(now))),
      ).getAllSubcomponents('vevent');
      return { uids: events.map((e) => e.getFirstPropertyValue('uid')), sequence: Number(events[0]!.getFirstPropertyValue('sequence')) };
    };
    const before = read('2030-01-10T00:00:00Z');
    const after = read('2030-01-11T00:00:00Z');
    expect(after.uids).toEqual(before.uids);
    expect(after.sequence).toBeGreaterThan(before.sequence);
  });

  test('nothing written in the 1:1 reaches the file: summary and description only say who and when', () => {
    const doc = plannedSeries();
    const next = scheduledOn(doc, '2030-01-14');
    addAgendaItem(doc, { title: 'Salary-zebra', context: 'Context-okapi' }, CTX);
    writeCheckIn(doc, { meetingId: next, value: 'Checkin-lemur' }, CTX);
    moveMeeting(doc, { meetingId: next, to: '2030-01-15T14:00:00.000Z', reason: 'Reason-ibex' }, CTX);
    const ics = writeCalendar([seriesCalendar(doc, 'series-1', 'me', 'Dana')], 'Test', NOW);
    for (const word of ['zebra', 'okapi', 'lemur', 'ibex']) expect(ics).not.toContain(word);
    const master = new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!;
    expect(master.getFirstPropertyValue('summary')).toBe('1:1 Dana / Sam');
    expect(master.getFirstPropertyValue('description')).toBe(
      'Every week on Monday at 10:00 (UTC), 30 minutes, from 2030-01-07. The agenda and notes are in Tandem.',
    );
  });
});

/** Europe/Berlin as calendar apps describe it in their files. */
const BERLIN_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];
const fileWith = (...events: string[][]) => calendarFile(events, [BERLIN_VTIMEZONE]);

const event = (
  rule: string | null,
  start = 'DTSTART;TZID=Europe/Berlin:20260113T093000',
  end = 'DTEND;TZID=Europe/Berlin:20260113T101500',
  summary = 'Alex / Kim 1:1',
) => [start, end, ...(rule ? [`RRULE:${rule}`] : []), `SUMMARY:${summary}`];

const cadenceOf = (ics: string) => readCalendar(ics, READ).candidates.map((c) => c.cadence);
const BERLIN_TUESDAYS = { weekday: 2, time: '09:30', lengthMinutes: 45, timeZone: 'Europe/Berlin', startsOn: '2026-01-13' } as const;

describe('export: years held in archive documents', () => {
  const DAY = 24 * 60 * 60 * 1000;
  type Change = 'skip' | number;

  /**
   * 2030 of the weekly 1:1, each meeting held unless `changes` (by its week) skips it or moves it
   * that many days later (at 14:00), with ad hoc meetings on `adHocDays` (days into February), up
   * to the first meeting of 2031, held: the year 2030 can then move to its archive.
   */
  function yearToArchive(changes: Map<number, Change>, adHocDays: number[] = []): Y.Doc {
    const doc = plannedSeries();
    for (const day of adHocDays) addAdHocMeeting(doc, { scheduledFor: new Date(Date.UTC(2030, 1, 1 + day, 16)).toISOString() }, CTX);
    for (let week = 1; ; week++) {
      const next = listMeetings(doc).find((m) => m.status === 'scheduled')!;
      if (next.scheduledFor >= '2031') {
        markHeld(doc, next.id);
        return doc;
      }
      const ctx = at(new Date(Date.parse(next.scheduledFor) - DAY).toISOString());
      const change = changes.get(week);
      if (change === 'skip') skipMeeting(doc, { meetingId: next.id, reason: 'holiday' }, ctx);
      else {
        if (change !== undefined) {
          const to = new Date(Date.parse(next.scheduledFor) + change * DAY + 4 * 60 * 60 * 1000).toISOString();
          moveMeeting(doc, { meetingId: next.id, to, reason: 'offsite' }, ctx);
        }
        markHeld(doc, next.id);
      }
      planNextMeeting(doc, {}, ctx);
    }
  }

  /** The calendar of a 1:1 on a device holding these archive documents, as the core reads it. */
  function calendarWith(live: Y.Doc, archives: Map<number, Y.Doc>): SeriesCalendar {
    const yearOf = (docId: string) => parseArchiveDocId(docId)!.year;
    const source = {
      exists: (id: string) => archives.has(yearOf(id)),
      acquire: (id: string) => archives.get(yearOf(id))!,
      release: () => {},
    };
    return withArchiveDocs(source, 'series-1', live, (docs) => seriesCalendar(live, 'series-1', 'me', 'Dana', docs));
  }

  const meetingsOf = (calendar: SeriesCalendar) =>
    calendar.meetings
      .map(({ id, scheduledFor, status, slot }) => ({ id, scheduledFor, status, slot }))
      .sort((a, b) => a.id.localeCompare(b.id));

  /** Archives 2030 on one Tandem; another device receives its series document, with or before the archive. */
  function moveTheYear(doc: Y.Doc) {
    const mover = new Peer(Y.encodeStateAsUpdate(doc));
    expect(archiveOldYears(mover.live, {}, at('2031-01-08T00:00:00Z'))).toEqual([2030]);
    const device = new Peer(Y.encodeStateAsUpdate(mover.live));
    expect(listMeetings(device.live).some((m) => m.scheduledFor < '2031')).toBe(false);
    const archiveArrives = () => Y.applyUpdate(device.archive(2030), Y.encodeStateAsUpdate(mover.archive(2030)));
    return { mover, device, archiveArrives };
  }

  test('a moved meeting of a year whose archive has not arrived shows once, at its new date, as it does once the archive arrives', () => {
    const { mover, device, archiveArrives } = moveTheYear(yearToArchive(new Map([[1, 1]])));
    const shown = (calendar: SeriesCalendar) =>
      occurrences(writeCalendar([calendar], 'Test', new Date('2031-01-10T00:00:00Z')), new Date('2030-02-01T00:00:00Z')).map(
        (o) => `${o.at.slice(0, 16)} ${o.uid === 'series-1@tandem' ? 'series' : 'single'}`,
      );
    const expected = ['2030-01-07T10:00 series', '2030-01-15T14:00 series', '2030-01-21T10:00 series', '2030-01-28T10:00 series'];
    expect(shown(calendarWith(mover.live, mover.archives))).toEqual(expected);
    expect(shown(calendarWith(device.live, new Map()))).toEqual(expected);
    archiveArrives();
    expect(shown(calendarWith(device.live, device.archives))).toEqual(expected);
  });

  test('a device sees the same meetings whether the archive of a moved year arrives before or after the series document', () => {
    const change: fc.Arbitrary<Change> = fc.oneof(fc.constant<Change>('skip'), fc.integer({ min: 1, max: 5 }));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 52 }), change), { maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 3 }),
        fc.boolean(),
        (changes, adHocDays, archiveFirst) => {
          const { mover, device, archiveArrives } = moveTheYear(yearToArchive(new Map(changes), adHocDays));
          const expected = meetingsOf(calendarWith(mover.live, mover.archives));
          if (archiveFirst) archiveArrives();
          expect(meetingsOf(calendarWith(device.live, device.archives))).toEqual(expected);
          archiveArrives();
          expect(meetingsOf(calendarWith(device.live, device.archives))).toEqual(expected);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('import: the rules a cadence keeps', () => {
  test.each([
    ['FREQ=WEEKLY', { pattern: 'weekly' }],
    ['FREQ=WEEKLY;INTERVAL=1;BYDAY=TU', { pattern: 'weekly' }],
    ['FREQ=WEEKLY;WKST=MO;INTERVAL=2;BYDAY=TU', { pattern: 'biweekly' }],
    ['FREQ=WEEKLY;INTERVAL=4', { pattern: 'every-4-weeks' }],
    ['FREQ=MONTHLY;BYDAY=2TU', { pattern: 'monthly-nth-weekday', nth: 2 }],
    ['FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2', { pattern: 'monthly-nth-weekday', nth: 2 }],
  ] as const)('RRULE:%s', (rule, expected) => {
    expect(cadenceOf(fileWith(event(rule)))).toEqual([{ ...BERLIN_TUESDAYS, ...expected }]);
  });

  test('the last weekday of the month (BYDAY=-1FR), with DURATION instead of DTEND', () => {
    const file = fileWith(event('FREQ=MONTHLY;BYDAY=-1FR', 'DTSTART;TZID=Europe/Berlin:20260130T160000', 'DURATION:PT1H'));
    expect(cadenceOf(file)).toEqual([
      {
        pattern: 'monthly-nth-weekday',
        weekday: 5,
        nth: 'last',
        time: '16:00',
        lengthMinutes: 60,
        timeZone: 'Europe/Berlin',
        startsOn: '2026-01-30',
      },
    ]);
  });

  test('a start that does not fit the rule starts the cadence on the first date that does', () => {
    // A Sunday start with WKST=MO: the Tuesday of that week lies before it, so the first is nine days later.
    const file = fileWith(event('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;WKST=MO', 'DTSTART;TZID=Europe/Berlin:20260111T093000', 'DURATION:PT45M'));
    expect(cadenceOf(file)).toEqual([{ ...BERLIN_TUESDAYS, pattern: 'biweekly', startsOn: '2026-01-20' }]);
  });

  test('time zones: UTC times, floating times (in the 1:1 zone), and TZIDs with a vendor prefix', () => {
    expect(cadenceOf(fileWith(event('FREQ=WEEKLY', 'DTSTART:20260113T083000Z', 'DTEND:20260113T091500Z')))).toEqual([
      { ...BERLIN_TUESDAYS, pattern: 'weekly', time: '08:30', timeZone: 'UTC' },
    ]);
    expect(cadenceOf(fileWith(event('FREQ=WEEKLY', 'DTSTART:20260113T093000', 'DTEND:20260113T101500')))).toEqual([
      { ...BERLIN_TUESDAYS, pattern: 'weekly' },
    ]);
    const prefixed = event('FREQ=WEEKLY', 'DTSTART;TZID=/mozilla.org/20070129_1/America/New_York:20260113T093000', 'DURATION:PT45M');
    expect(cadenceOf(fileWith(prefixed))).toEqual([{ ...BERLIN_TUESDAYS, pattern: 'weekly', timeZone: 'America/New_York' }]);
  });

  test('what the cadence does not keep is said: no end time, an end date to come, moved or cancelled dates', () => {
    const file = fileWith([
      ...event('FREQ=WEEKLY;UNTIL=20261231T000000Z', 'DTSTART;TZID=Europe/Berlin:20260113T093000', 'X-NOTHING:1'),
      'EXDATE;TZID=Europe/Berlin:20260120T093000',
    ]);
    expect(readCalendar(file, READ).candidates[0]!.notes).toEqual([
      'It gives no end time: the meetings last 30 minutes.',
      'It ends on 2026-12-29; the cadence goes on until the 1:1 is paused or ended.',
      'Its moved or cancelled dates are not taken: only the cadence is.',
    ]);
  });

  test('several repeating events are all offered, in file order; one-off events are not', () => {
    const file = fileWith(
      event('FREQ=WEEKLY', undefined, undefined, 'Team sync'),
      event(null),
      event('FREQ=MONTHLY;BYDAY=1MO', 'DTSTART;TZID=Europe/Berlin:20260105T110000', 'DURATION:PT30M', 'Skip-level'),
    );
    expect(readCalendar(file, READ).candidates.map((c) => [c.summary, c.cadence.pattern])).toEqual([
      ['Team sync', 'weekly'],
      ['Skip-level', 'monthly-nth-weekday'],
    ]);
  });
});

describe('import: what is refused, and why', () => {
  const refusal = (ics: string) => {
    try {
      readCalendar(ics, READ);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('not refused');
  };

  test.each([
    ['daily', event('FREQ=DAILY'), /repeats daily/],
    ['several days a week', event('FREQ=WEEKLY;BYDAY=TU,TH'), /several days \(TU, TH\)/],
    ['every three weeks', event('FREQ=WEEKLY;INTERVAL=3'), /every 3 weeks; a cadence is every 1, 2 or 4 weeks/],
    ['a date of the month', event('FREQ=MONTHLY;BYMONTHDAY=13'), /rule uses BYMONTHDAY/],
    ['a date of the month without BYMONTHDAY', event('FREQ=MONTHLY'), /a date of the month/],
    ['the fifth Tuesday', event('FREQ=MONTHLY;BYDAY=5TU'), /weekday number 5/],
    ['every other month', event('FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU'), /every 2 months/],
    ['yearly', event('FREQ=YEARLY'), /repeats yearly/],
    ['all day', event('FREQ=WEEKLY', 'DTSTART;VALUE=DATE:20260113', 'DTEND;VALUE=DATE:20260114'), /lasts all day/],
    [
      'a time zone neither known nor defined in the file',
      event('FREQ=WEEKLY', 'DTSTART;TZID=Lunar Standard Time:20260113T093000'),
      /time zone "Lunar Standard Time" is not one Tandem knows \(a name such as Europe\/Berlin or W. Europe Standard Time\) and the file does not define it/,
    ],
    ['longer than 8 hours', event('FREQ=WEEKLY', undefined, 'DURATION:PT9H'), /lasts 540 minutes/],
    ['ended already', event('FREQ=WEEKLY;COUNT=3', 'DTSTART;TZID=Europe/Berlin:20251007T093000', 'DURATION:PT30M'), /ended on 2025-10-21/],
  ])('%s', (_name, lines, message) => {
    expect(refusal(fileWith(lines))).toMatch(new RegExp(`^"Alex / Kim 1:1" cannot be a cadence: it.* ${message.source}`));
  });

  test('no repeating event, no calendar, a malformed file, a file too large', () => {
    expect(refusal(fileWith(event(null)))).toBe(
      'That calendar file holds no repeating event: choose an event that repeats, such as a weekly 1:1.',
    );
    expect(refusal('BEGIN:VCARD\r\nVERSION:4.0\r\nEND:VCARD\r\n')).toBe('That is not a calendar (.ics) file: it holds no VCALENDAR.');
    expect(refusal('BEGIN:VCALENDAR\r\nthis is no line\r\n')).toMatch(/^That is not a calendar \(\.ics\) file Tandem can read: /);
    expect(refusal('hello')).toMatch(/^That is not a calendar \(\.ics\) file Tandem can read: /);
    expect(refusal(fileWith(event('FREQ=WEEKLY', undefined, undefined, 'x'.repeat(1_000_001))))).toBe(
      'That calendar file is larger than 1 MB: export only the event you need.',
    );
  });

  test('when every repeating event is refused, the first reason is given and the others counted', () => {
    expect(refusal(fileWith(event('FREQ=DAILY'), event('FREQ=YEARLY'), event('FREQ=HOURLY')))).toBe(
      '"Alex / Kim 1:1" cannot be a cadence: it repeats daily. Nor can the 2 other repeating events in the file.',
    );
  });

  test('a refused event beside a good one is listed with its reason', () => {
    const reading = readCalendar(fileWith(event('FREQ=DAILY', undefined, undefined, 'Standup'), event('FREQ=WEEKLY')), READ);
    expect(reading.candidates.map((c) => c.summary)).toEqual(['Alex / Kim 1:1']);
    expect(reading.refused).toEqual([{ summary: 'Standup', reason: 'it repeats daily' }]);
  });
});
