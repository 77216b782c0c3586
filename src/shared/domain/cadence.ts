/**
 * When a 1:1 meets: the dates of a cadence, and the validated read of the cadence a document holds.
 * All date arithmetic is date-fns on TZDate, so a weekly 10:00 stays 10:00 local across DST
 * changes and month ends are date-fns's business, not ours.
 */
import { TZDate } from '@date-fns/tz';
import {
  addMonths,
  addWeeks,
  differenceInCalendarWeeks,
  format,
  getDate,
  getDay,
  isAfter,
  lastDayOfMonth,
  nextDay,
  previousDay,
  startOfDay,
  startOfMonth,
  type Day,
} from 'date-fns';
import { z } from 'zod';
import { Cadence } from '../schemas.js';

const WEEKS_APART = { weekly: 1, biweekly: 2, 'every-4-weeks': 4 } as const;

/** The same day if it already is `weekday`, else the next one. */
const onOrNext = (day: TZDate, weekday: number): TZDate => (getDay(day) === weekday ? day : nextDay(day, weekday as Day));
const onOrPrevious = (day: TZDate, weekday: number): TZDate => (getDay(day) === weekday ? day : previousDay(day, weekday as Day));

function atTime(day: TZDate, time: string): TZDate {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  // Built from its fields rather than with date-fns's set(), which puts a time an hour late on the
  // day of a change that is not on the hour (03:59 on Chatham's spring day came out as 04:59).
  return new TZDate(day.getFullYear(), day.getMonth(), day.getDate(), hours, minutes, day.timeZone!);
}

/** When the cadence's meeting time falls on a local date, whether or not the cadence meets that day. */
export function timeOnDay(cadence: Cadence, year: number, month: number, day: number): Date {
  return new Date(atTime(new TZDate(year, month - 1, day, cadence.timeZone), cadence.time).getTime());
}

/** The local midnight of `startsOn` in the cadence's zone. */
function startDay(cadence: Cadence): TZDate {
  const [y, m, d] = cadence.startsOn.split('-').map(Number) as [number, number, number];
  return new TZDate(y, m - 1, d, cadence.timeZone);
}

/** The n-th (or last) `weekday` of the month `month` lies in, at the cadence's time. */
function nthWeekdayOf(month: TZDate, cadence: Cadence): TZDate {
  const nth = cadence.nth ?? 1;
  const day =
    nth === 'last'
      ? onOrPrevious(startOfDay(lastDayOfMonth(month)), cadence.weekday)
      : addWeeks(onOrNext(startOfMonth(month), cadence.weekday), nth - 1);
  return atTime(day, cadence.time);
}

/**
 * The first meeting of the cadence strictly after `after`. A local time that does not exist on
 * that day (the hour a DST change skips) becomes the same wall-clock time one hour later.
 */
export function nextOccurrence(cadence: Cadence, after: Date): Date {
  const start = startDay(cadence);
  const from = new TZDate(Math.max(after.getTime(), start.getTime() - 1), cadence.timeZone);
  if (cadence.pattern === 'monthly-nth-weekday') {
    for (let month = startOfMonth(from); ; month = addMonths(month, 1)) {
      const candidate = nthWeekdayOf(month, cadence);
      if (isAfter(candidate, from) && !isAfter(start, candidate)) return new Date(candidate.getTime());
    }
  }
  const weeks = WEEKS_APART[cadence.pattern];
  const first = onOrNext(start, cadence.weekday);
  // Jump close to `from` by whole periods, one period early so none is skipped, then step.
  const periods = Math.max(0, Math.floor(differenceInCalendarWeeks(from, first) / weeks) - 1);
  for (let k = periods; ; k++) {
    const candidate = atTime(addWeeks(first, k * weeks), cadence.time);
    if (isAfter(candidate, from)) return new Date(candidate.getTime());
  }
}

/** The next `count` meetings of the cadence after `after`, in order. */
export function occurrences(cadence: Cadence, after: Date, count: number): Date[] {
  const dates: Date[] = [];
  let last = after;
  for (let i = 0; i < count; i++) {
    last = nextOccurrence(cadence, last);
    dates.push(last);
  }
  return dates;
}

/** The time zone this device runs in: the default for new cadences. */
export const deviceTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** A cadence meeting on the weekday and at the local time of `date` in `timeZone`, from that day on. */
export function cadenceFrom(pattern: Cadence['pattern'], date: Date, timeZone: string, lengthMinutes = 30): Cadence {
  const local = new TZDate(date.getTime(), timeZone);
  // The 29th to 31st are a fifth weekday, which not every month has: they read as the last.
  const nth = Math.ceil(getDate(local) / 7);
  return {
    pattern,
    weekday: getDay(local),
    ...(pattern === 'monthly-nth-weekday' ? { nth: nth > 4 ? ('last' as const) : (nth as 1 | 2 | 3 | 4) } : {}),
    time: format(local, 'HH:mm'),
    lengthMinutes,
    timeZone,
    startsOn: format(local, 'yyyy-MM-dd'),
  };
}

/** The cadence strings documents held before cadences had a day and a time. */
const LegacyCadence = z.enum(['weekly', 'biweekly', 'monthly']);
const LEGACY_PATTERN = { weekly: 'weekly', biweekly: 'biweekly', monthly: 'monthly-nth-weekday' } as const;

/**
 * The cadence stored in a document. An older document holds only `weekly`, `biweekly` or
 * `monthly`: it reads as that pattern on the weekday and local time of `firstMeeting()` (its
 * first meeting, asked only then), in this device's time zone, 30 minutes long, until someone saves a cadence.
 * Anything unreadable reads as weekly the same way.
 */
export function readCadence(stored: unknown, firstMeeting: () => Date, timeZone?: string): Cadence {
  const full = Cadence.safeParse(stored);
  if (full.success) return full.data;
  const legacy = LegacyCadence.catch('weekly').parse(stored);
  // The device's zone only now: finding it builds a formatter, and a cadence is read very often.
  return cadenceFrom(LEGACY_PATTERN[legacy], firstMeeting(), timeZone ?? deviceTimeZone());
}

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const NTH_NAMES = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', last: 'last' } as const;
const EVERY = { weekly: 'Every week', biweekly: 'Every two weeks', 'every-4-weeks': 'Every four weeks' } as const;

/** "Every two weeks on Tuesday at 09:00 (Europe/Berlin), 30 minutes, from 2026-01-06": a cadence for people. */
export function describeCadence(cadence: Cadence): string {
  const day = DAY_NAMES[cadence.weekday]!;
  const when =
    cadence.pattern === 'monthly-nth-weekday'
      ? `Monthly on the ${NTH_NAMES[cadence.nth ?? 1]} ${day}`
      : `${EVERY[cadence.pattern]} on ${day}`;
  return `${when} at ${cadence.time} (${cadence.timeZone}), ${cadence.lengthMinutes} minutes, from ${cadence.startsOn}`;
}
