/**
 * Calendar files from Outlook and Exchange name their time zones the Windows way ("W. Europe
 * Standard Time"), or by a display name ("(UTC+01:00) Amsterdam, Berlin, ..."), with or without
 * a VTIMEZONE. Imported, each becomes a cadence in an IANA zone whose meetings fall at the
 * instants the file gives them, on both sides of daylight-saving changes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { describe, expect, test } from 'vitest';
import { WINDOWS_TO_IANA_MAP } from 'windows-iana';
import { readCalendar, type CalendarCandidate } from '../../../../src/shared/domain/calendar.js';
import { cadenceDates } from '../../helpers/calendar.js';

const NOW = new Date('2026-01-25T12:00:00.000Z');
const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'outlook', name), 'utf8');
const W_EUROPE = fixture('weekly-w-europe.ics');
const EASTERN = fixture('biweekly-eastern-no-vtimezone.ics');
const DISPLAY_NAME = fixture('monthly-display-name.ics');

/** The one event of a file read as a cadence, for a 1:1 whose own zone is `own`. */
function readOne(ics: string, own = 'UTC'): CalendarCandidate {
  const { candidates, refused } = readCalendar(ics, { floatingTimeZone: own, now: NOW });
  expect(refused).toEqual([]);
  expect(candidates).toHaveLength(1);
  return candidates[0]!;
}

/** The dates of a file's repeating event up to `until`, as its own VTIMEZONE places them (exceptions aside). */
function fileDates(ics: string, until: Date): string[] {
  const master = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').find((v) => !v.hasProperty('recurrence-id'))!;
  const iterator = (master.getFirstPropertyValue('rrule') as ICAL.Recur).iterator(master.getFirstPropertyValue('dtstart') as ICAL.Time);
  const dates: string[] = [];
  for (let t = iterator.next(); t && t.toJSDate() <= until; t = iterator.next()) dates.push(t.toJSDate().toISOString());
  return dates;
}

function refusal(ics: string): string {
  try {
    readCalendar(ics, { floatingTimeZone: 'UTC', now: NOW });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('not refused');
}

describe('Windows zone names', () => {
  test('a weekly Outlook 1:1 in "W. Europe Standard Time", with a cancelled and a moved date, is 09:30 in Berlin across the March and October changes', () => {
    const { summary, cadence, notes } = readOne(W_EUROPE);
    expect(summary).toBe('Mira / Jonas 1:1');
    expect(cadence).toEqual({
      pattern: 'weekly',
      weekday: 2,
      time: '09:30',
      lengthMinutes: 30,
      timeZone: 'Europe/Berlin',
      startsOn: '2026-02-03',
    });
    expect(notes).toEqual([
      'Its time zone "W. Europe Standard Time" is taken as Europe/Berlin.',
      'Its moved or cancelled dates are not taken: only the cadence is.',
    ]);

    const until = new Date('2026-12-31T00:00:00.000Z');
    const planned = cadenceDates(cadence, until);
    expect(planned).toEqual(fileDates(W_EUROPE, until));
    expect(planned).toHaveLength(48);
    // Summer time starts on 29 March and ends on 25 October: 09:30 local is 08:30, then 07:30, then 08:30 UTC.
    for (const at of ['2026-03-24T08:30:00.000Z', '2026-03-31T07:30:00.000Z', '2026-10-20T07:30:00.000Z', '2026-10-27T08:30:00.000Z'])
      expect(planned).toContain(at);
  });

  test('a quoted "Eastern Standard Time" with no VTIMEZONE (Exchange) is America/New_York: 10:00 local on both sides of DST', () => {
    const { cadence } = readOne(EASTERN, 'Europe/Berlin');
    expect(cadence).toEqual({
      pattern: 'biweekly',
      weekday: 2,
      time: '10:00',
      lengthMinutes: 45,
      timeZone: 'America/New_York',
      startsOn: '2026-02-24',
    });
    const planned = cadenceDates(cadence, new Date('2026-12-31T00:00:00.000Z'));
    // The US changes on 8 March and 1 November: 15:00 UTC in winter, 14:00 in summer.
    expect(planned.slice(0, 3)).toEqual(['2026-02-24T15:00:00.000Z', '2026-03-10T14:00:00.000Z', '2026-03-24T14:00:00.000Z']);
    expect(planned.filter((at) => at >= '2026-10-20' && at < '2026-11-20')).toEqual([
      '2026-10-20T14:00:00.000Z',
      '2026-11-03T15:00:00.000Z',
      '2026-11-17T15:00:00.000Z',
    ]);
  });

  test('every Windows zone CLDR lists is read as its primary IANA zone', () => {
    const primaries = WINDOWS_TO_IANA_MAP.filter((z) => z.territory === '001');
    expect(primaries.length).toBeGreaterThan(130);
    for (const { windowsName, iana } of primaries) {
      const ics = EASTERN.replaceAll('"Eastern Standard Time"', `"${windowsName}"`);
      // "UTC" is an IANA name as well, and read as one.
      expect([windowsName, readOne(ics).cadence.timeZone]).toEqual([windowsName, windowsName === 'UTC' ? 'UTC' : iana[0]]);
    }
  });
});

describe("names Tandem does not know: the file's own VTIMEZONE", () => {
  test('a display name "(UTC+01:00) Amsterdam, Berlin, ..." is the first zone it names, unless the 1:1\'s own zone keeps the same time', () => {
    const monthly = readOne(DISPLAY_NAME);
    expect(monthly.summary).toBe('Skip-level Anouk / Lars');
    expect(monthly.cadence).toEqual({
      pattern: 'monthly-nth-weekday',
      weekday: 5,
      nth: 'last',
      time: '16:00',
      lengthMinutes: 60,
      timeZone: 'Europe/Amsterdam',
      startsOn: '2026-01-30',
    });
    expect(monthly.notes).toEqual([
      'Its time zone "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna" is taken as Europe/Amsterdam.',
    ]);
    expect(readOne(DISPLAY_NAME, 'Europe/Rome').cadence.timeZone).toBe('Europe/Rome');
    expect(readOne(DISPLAY_NAME, 'America/New_York').cadence.timeZone).toBe('Europe/Amsterdam');

    const until = new Date('2027-12-31T00:00:00.000Z');
    const planned = cadenceDates(monthly.cadence, until);
    expect(planned).toEqual(fileDates(DISPLAY_NAME, until));
    // The last Friday of March 2026 comes two days before summer time; April's is in it.
    expect(planned.slice(1, 4)).toEqual(['2026-02-27T15:00:00.000Z', '2026-03-27T15:00:00.000Z', '2026-04-24T14:00:00.000Z']);
  });

  test('an older display name with slashes, and a "Customized Time Zone", are placed by their rules', () => {
    const old = DISPLAY_NAME.replaceAll(
      /\(UTC\+01:00\) Amsterdam\\?, Berlin\\?, Bern\\?, Rome\\?, Stockholm\\?, Vienna/g,
      '(GMT+01.00) Vienna / Berlin / Bern / Rome / Stockholm / Amsterdam',
    );
    expect(readOne(old).cadence.timeZone).toBe('Europe/Vienna');
    const customized = DISPLAY_NAME.replaceAll(
      /\(UTC\+01:00\) Amsterdam\\?, Berlin\\?, Bern\\?, Rome\\?, Stockholm\\?, Vienna/g,
      'Customized Time Zone',
    );
    // No city named: the first of CLDR's zones that keeps these times.
    expect(readOne(customized).cadence.timeZone).toBe('Europe/Berlin');
    expect(readOne(customized, 'Europe/Paris').cadence.timeZone).toBe('Europe/Paris');
    // One starting next winter is compared over its first year, not at its first date alone (in winter, Casablanca too is at +01:00).
    expect(readOne(customized.replaceAll('\r\n ', '').replaceAll('20260130T', '20271126T')).cadence).toMatchObject({
      timeZone: 'Europe/Berlin',
      startsOn: '2027-11-26',
    });
  });

  test('a zone defined by rules no known zone follows is refused, saying so; a name neither known nor defined likewise', () => {
    // Summer time from the first Sunday of May to the first of September: no zone does that.
    const invented = DISPLAY_NAME.replace('BYDAY=-1SU;BYMONTH=10', 'BYDAY=1SU;BYMONTH=9').replace(
      'BYDAY=-1SU;BYMONTH=3',
      'BYDAY=1SU;BYMONTH=5',
    );
    expect(refusal(invented)).toBe(
      '"Skip-level Anouk / Lars" cannot be a cadence: its time zone "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna" is defined in the file by rules no time zone Tandem knows follows.',
    );
    expect(refusal(EASTERN.replaceAll('Eastern Standard Time', 'Eastern Lunar Time'))).toMatch(
      /^"Priya <> Tom: every other week" cannot be a cadence: its time zone "Eastern Lunar Time" is not one Tandem knows .* and the file does not define it\.$/,
    );
  });
});
