/**
 * A VTIMEZONE for an IANA time zone, written from the time zone data of the runtime (Intl, through
 * @date-fns/tz), so a calendar that reads the file's own definition (ical.js, Outlook) puts each
 * meeting at the same instant as one that knows the zone by name (Google, Apple).
 *
 * The offsets are scanned over the years the file needs and a few beyond. Where the last years'
 * changes follow one yearly rule (the n-th or last weekday of a month, at one local time), that
 * rule is written as an RRULE, so the definition stays right after the scanned years; earlier and
 * irregular changes are written one by one. The first component starts in 1970 with the offset of
 * the start of the scan: ical.js takes a time before every component of a zone to be UTC.
 */
import { tzOffset, tzScan } from '@date-fns/tz';
import ICAL from 'ical.js';

/** How many years after the last one the file needs are scanned for the yearly rule. */
const SCAN_AHEAD_YEARS = 8;
/** Years in a row a rule must hold before it is trusted to go on. */
const RULE_MIN_YEARS = 3;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface Transition {
  /** The instant of the change (UTC milliseconds). */
  at: number;
  /** Offsets before and after, in minutes east of UTC. */
  from: number;
  to: number;
}

/** A yearly change: in `month`, on the `which`-th (-1: last) `weekday`, at local `time` (before the change). */
interface YearlyRule {
  month: number;
  weekday: number;
  which: number;
  time: string;
  from: number;
  to: number;
}

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;

/** The local wall-clock time just before a change, as a Date whose UTC fields are that time. */
const wallBefore = (t: Transition) => new Date(t.at + t.from * MINUTE);

const hhmmss = (wall: Date) => wall.toISOString().slice(11, 19);

const daysInMonth = (wall: Date) => new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth() + 1, 0)).getUTCDate();

/** The rules a change fits: its weekday's ordinal in the month (1 to 4), and "last" when it is the last. */
function rulesOf(t: Transition): YearlyRule[] {
  const wall = wallBefore(t);
  const base = { month: wall.getUTCMonth() + 1, weekday: wall.getUTCDay(), time: hhmmss(wall), from: t.from, to: t.to };
  const day = wall.getUTCDate();
  const rules: YearlyRule[] = [];
  if (day <= 28) rules.push({ ...base, which: Math.ceil(day / 7) });
  if (day + 7 > daysInMonth(wall)) rules.push({ ...base, which: -1 });
  return rules;
}

const fits = (t: Transition, rule: YearlyRule) =>
  rulesOf(t).some(
    (r) =>
      r.month === rule.month &&
      r.weekday === rule.weekday &&
      r.which === rule.which &&
      r.time === rule.time &&
      r.from === rule.from &&
      r.to === rule.to,
  );

/**
 * The changes from `start` to `end`, each to the minute: tzScan finds the hour a change falls in
 * (a few zones change on the half hour), and the minute is found by halving that hour.
 */
function transitions(timeZone: string, start: Date, end: Date): Transition[] {
  return tzScan(timeZone, { start, end }).map((change) => {
    let before = change.date.getTime() - HOUR;
    let after = change.date.getTime();
    const from = tzOffset(timeZone, new Date(before));
    while (after - before > MINUTE) {
      const mid = before + Math.floor((after - before) / 2 / MINUTE) * MINUTE;
      if (tzOffset(timeZone, new Date(mid)) === from) before = mid;
      else after = mid;
    }
    return { at: after, from, to: change.offset };
  });
}

/**
 * How many of the last changes in `list` (one direction of a zone's changes, oldest first) follow
 * one yearly rule, year after year, and that rule; zero when the last change is not in `lastYear`.
 */
function yearlyTail(list: Transition[], lastYear: number): { count: number; rule: YearlyRule | null } {
  const last = list.at(-1);
  if (!last || wallBefore(last).getUTCFullYear() < lastYear) return { count: 0, rule: null };
  let best = { count: 0, rule: null as YearlyRule | null };
  for (const rule of rulesOf(last)) {
    let count = 1;
    for (let i = list.length - 2; i >= 0; i--) {
      const year = wallBefore(list[i]!).getUTCFullYear();
      if (year !== wallBefore(list[i + 1]!).getUTCFullYear() - 1 || !fits(list[i]!, rule)) break;
      count++;
    }
    if (count > best.count) best = { count, rule };
  }
  return best;
}

const offset = (minutes: number) => ICAL.UtcOffset.fromSeconds(minutes * 60);

function localTime(wall: Date): ICAL.Time {
  return ICAL.Time.fromData({
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
    isDate: false,
  });
}

function observance(wall: Date, from: number, to: number, rule?: YearlyRule): ICAL.Component {
  // A change to a larger offset is daylight saving time; a zone that moves its standard offset
  // reads as such too, which costs nothing: readers use the offsets, not the names.
  const c = new ICAL.Component(to > from ? 'daylight' : 'standard');
  c.addPropertyWithValue('dtstart', localTime(wall));
  c.addPropertyWithValue('tzoffsetfrom', offset(from));
  c.addPropertyWithValue('tzoffsetto', offset(to));
  if (rule)
    c.addPropertyWithValue(
      'rrule',
      new ICAL.Recur({ freq: 'YEARLY', bymonth: [rule.month], byday: [`${rule.which}${WEEKDAYS[rule.weekday]}`] }),
    );
  return c;
}

/** The VTIMEZONE of `timeZone`, right for every time from the start of `fromYear` on. */
export function vtimezone(timeZone: string, fromYear: number, toYear: number): ICAL.Component {
  const start = new Date(Date.UTC(fromYear, 0, 1));
  const lastYear = toYear + SCAN_AHEAD_YEARS;
  const changes = transitions(timeZone, start, new Date(Date.UTC(lastYear + 1, 0, 1)));
  const zone = new ICAL.Component('vtimezone');
  zone.addPropertyWithValue('tzid', timeZone);
  const first = tzOffset(timeZone, start);
  zone.addSubcomponent(observance(new Date(0), first, first));
  for (const direction of [changes.filter((t) => t.to > t.from), changes.filter((t) => t.to < t.from)]) {
    const tail = yearlyTail(direction, lastYear);
    const ruled = tail.count >= RULE_MIN_YEARS ? tail.count : 0;
    const explicit = direction.slice(0, direction.length - ruled);
    for (const t of explicit) zone.addSubcomponent(observance(wallBefore(t), t.from, t.to));
    if (ruled) {
      const t = direction[direction.length - ruled]!;
      zone.addSubcomponent(observance(wallBefore(t), t.from, t.to, tail.rule!));
    }
  }
  return zone;
}
