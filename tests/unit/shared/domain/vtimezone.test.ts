/**
 * The VTIMEZONE written for an IANA zone, read by ical.js, gives the same UTC instant for every
 * local time as the runtime's own time zone data, around every change and in between, including
 * the years after the scan that only the yearly rules cover.
 */
import { tzOffset, tzScan } from '@date-fns/tz';
import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, test } from 'vitest';
import { vtimezone } from '../../../../src/shared/domain/vtimezone.js';

const HOUR = 3_600_000;

/** The zone as a reader sees it: written, parsed back, and built by ical.js from the text. */
function readBack(timeZone: string, fromYear: number, toYear: number): { zone: ICAL.Timezone; text: string } {
  const calendar = new ICAL.Component('vcalendar');
  calendar.addSubcomponent(vtimezone(timeZone, fromYear, toYear));
  const text = calendar.toString();
  return { zone: new ICAL.Timezone(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vtimezone')!), text };
}

/**
 * The instant ical.js gives the local time at which `instant` falls in `timeZone`, or null when
 * that local time is given twice (a fall-back change), which no reader can tell apart.
 */
function icalInstant(zone: ICAL.Timezone, timeZone: string, instant: number): number | null {
  const offset = tzOffset(timeZone, new Date(instant));
  const local = new Date(instant + offset * 60_000);
  const others = [-6, 6].map((h) => tzOffset(timeZone, new Date(instant + h * HOUR))).filter((o) => o !== offset);
  if (others.some((o) => tzOffset(timeZone, new Date(local.getTime() - o * 60_000)) === o)) return null;
  const time = ICAL.Time.fromData(
    {
      year: local.getUTCFullYear(),
      month: local.getUTCMonth() + 1,
      day: local.getUTCDate(),
      hour: local.getUTCHours(),
      minute: local.getUTCMinutes(),
      second: 0,
    },
    zone,
  );
  return time.toUnixTime() * 1000;
}

/** Instants that test a zone: each side of each of its changes (some fall on the half hour), and a day around them. */
function probes(timeZone: string, from: number, to: number): number[] {
  const changes = tzScan(timeZone, { start: new Date(from), end: new Date(to) }).map((c) => c.date.getTime());
  return changes.flatMap((at) => [-25, -2, -1.25, -1, -0.75, -0.5, -0.25, 0, 0.25, 1, 2, 25].map((h) => at + h * HOUR));
}

const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'America/St_Johns',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/Sao_Paulo',
  'Asia/Tehran',
  'Africa/Casablanca',
  'Europe/Dublin',
  'Asia/Kolkata',
  'UTC',
];

describe('VTIMEZONE from the runtime time zone data', () => {
  test.each(ZONES)('%s: every local time around each change from 2015 to 2035 is the instant the runtime says', (timeZone) => {
    const { zone } = readBack(timeZone, 2015, 2027);
    const instants = probes(timeZone, Date.UTC(2015, 0, 1), Date.UTC(2036, 0, 1));
    for (const instant of instants) {
      const read = icalInstant(zone, timeZone, instant);
      if (read !== null)
        expect(new Date(read).toISOString(), `${timeZone} ${new Date(instant).toISOString()}`).toBe(new Date(instant).toISOString());
    }
  });

  test('a zone that keeps one yearly rule is written as that rule, and stays right decades after the scan', () => {
    const { zone, text } = readBack('Europe/Berlin', 2026, 2026);
    expect(text.match(/RRULE:[^\r]*/g)).toEqual(['RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU']);
    for (const instant of probes('Europe/Berlin', Date.UTC(2060, 0, 1), Date.UTC(2061, 0, 1)))
      expect([instant, icalInstant(zone, 'Europe/Berlin', instant) ?? instant].map((t) => new Date(t).toISOString())).toEqual([
        new Date(instant).toISOString(),
        new Date(instant).toISOString(),
      ]);
  });

  test('changes on the half hour are written at their minute: Lord Howe moves its clocks at 02:00 local both ways', () => {
    const { text } = readBack('Australia/Lord_Howe', 2026, 2026);
    expect(text).toMatch(
      /BEGIN:DAYLIGHT\r\nDTSTART:2026100\dT020000\r\nTZOFFSETFROM:\+1030\r\nTZOFFSETTO:\+1100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU\r\n/,
    );
    expect(text).toMatch(
      /BEGIN:STANDARD\r\nDTSTART:2026040\dT020000\r\nTZOFFSETFROM:\+1100\r\nTZOFFSETTO:\+1030\r\nRRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU\r\n/,
    );
  });

  test('a zone without changes is one offset', () => {
    const { text } = readBack('Asia/Tokyo', 2026, 2026);
    expect(text).toContain('BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\nEND:STANDARD');
    expect(text.match(/BEGIN:(STANDARD|DAYLIGHT)/g)).toHaveLength(1);
  });

  test('any zone the runtime knows, at any minute of the years written', () => {
    const zones = Intl.supportedValuesOf('timeZone');
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(2020, 0, 1) / 60_000, max: Date.UTC(2034, 0, 1) / 60_000 }),
        (timeZone, minute) => {
          const { zone } = readBack(timeZone, 2020, 2026);
          const instant = minute * 60_000;
          const read = icalInstant(zone, timeZone, instant);
          if (read !== null) expect(new Date(read).toISOString()).toBe(new Date(instant).toISOString());
        },
      ),
      { numRuns: 40 },
    );
  });
});
