/**
 * A 1:1 in people's calendars: its meetings written as iCalendar (RFC 5545), and a repeating
 * event read back as a cadence. Both go through ical.js; the time zone definitions come from
 * vtimezone.ts.
 *
 * One 1:1 is one repeating event, UID `<series id>@tandem`, so importing a newer file updates the
 * calendar's copy instead of adding a second one:
 * - DTSTART is the cadence's first date in the cadence's time zone (TZID, with its VTIMEZONE), so a
 *   09:00 meeting stays at 09:00 local across DST changes; DURATION is the meeting's length; RRULE
 *   is the pattern (WEEKLY with INTERVAL 1, 2 or 4; MONTHLY with BYDAY=2TU, or -1TU for the last).
 * - A cancelled meeting of the cadence is an EXDATE; a moved one an event with the same UID and a
 *   RECURRENCE-ID naming the date it stood for. Meetings off the cadence (added ad hoc, or planned
 *   under an earlier cadence) are events of their own, UID `<meeting id>.<series id>@tandem`,
 *   marked cancelled when they were.
 * - A paused 1:1 repeats until now (UNTIL), so no future meeting stays in the calendar; an ended one
 *   until the last meeting held. One that never met before that is marked cancelled.
 * - SUMMARY is "1:1 Dana / Sam"; DESCRIPTION says how often it meets. Nothing written in the 1:1
 *   (agenda, notes, reasons for moves) ever goes into the file: calendars are often shared.
 * - SEQUENCE counts seconds since 2020, so each export supersedes the one before.
 */
import { TZDate, tzOffset } from '@date-fns/tz';
import { format } from 'date-fns';
import ICAL from 'ical.js';
import { IANA_ALIAS_MAP, WINDOWS_TO_IANA_MAP } from 'windows-iana';
import type * as Y from 'yjs';
import { TandemError } from '../errors.js';
import { CALENDAR_MAX_CHARS, CALENDAR_TOO_LARGE, Cadence, explainZodError } from '../schemas.js';
import { readArchived } from './archive.js';
import { describeCadence, nextOccurrence, timeOnDay } from './cadence.js';
import { listMeetings, perspective, readMeta, type MeetingStatus, type SeriesState } from './series-doc.js';
import { vtimezone } from './vtimezone.js';

export const PRODID = '-//Tandem//Tandem 1:1s//EN';

export interface CalendarMeeting {
  id: string;
  scheduledFor: string;
  status: MeetingStatus;
  /** The cadence date it stood for; null for a meeting added outside the cadence. */
  slot: string | null;
}

/** What the calendar file says of one 1:1: read from its document, nothing more. */
export interface SeriesCalendar {
  seriesId: string;
  summary: string;
  cadence: Cadence;
  state: SeriesState;
  meetings: CalendarMeeting[];
}

/**
 * The part of a 1:1 its calendar events are made from, as `userId` sees it ("1:1 Dana / Sam"):
 * its meetings from the series document and from the `archives` of its held years, which keep
 * the cadence date each moved or cancelled meeting stood for.
 */
export function seriesCalendar(
  doc: Y.Doc,
  seriesId: string,
  userId: string,
  myName: string,
  archives: readonly Y.Doc[] = [],
): SeriesCalendar {
  const meta = readMeta(doc);
  const me = meta.participants[userId]?.name || myName;
  const meetings = new Map<string, CalendarMeeting>();
  // Each meeting from the document holding it; one caught mid-move, in two, is taken once.
  for (const holder of [doc, ...archives]) for (const m of listMeetings(holder)) if (!meetings.has(m.id)) meetings.set(m.id, m);
  // A year whose archive document has not arrived yet is known by its index alone, which keeps each
  // meeting's slot, so a moved or cancelled meeting stands where its archive will put it. An entry
  // from before the index kept slots is taken to have met when it was scheduled.
  for (const a of readArchived(doc))
    if (!meetings.has(a.id))
      meetings.set(a.id, {
        id: a.id,
        scheduledFor: a.scheduledFor,
        status: a.status,
        slot: a.slot === undefined ? a.scheduledFor : a.slot,
      });
  return {
    seriesId,
    summary: `1:1 ${me} / ${perspective(meta, userId).partnerName}`,
    cadence: meta.cadence,
    state: meta.state,
    meetings: [...meetings.values()],
  };
}

const SEQUENCE_EPOCH = Date.UTC(2020, 0, 1);

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * The wall-clock time of an instant in a zone. One formatter per zone: a feed reads thousands of
 * meetings, and a TZDate costs a few hundred microseconds where this costs a few.
 */
function localTime(instant: Date, timeZone: string): LocalTime {
  let format = formats.get(timeZone);
  if (!format) {
    const numeric = 'numeric';
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: numeric,
      month: numeric,
      day: numeric,
      hour: numeric,
      minute: numeric,
    });
    formats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, Number(p.value)]));
  return { year: part.year!, month: part.month!, day: part.day!, hour: part.hour!, minute: part.minute! };
}

/**
 * The nominal local time of a cadence date: its day at the cadence's time. A meeting in the hour a
 * DST change skips is held an hour later, but the rule's instance is still named by the cadence's time.
 */
function instanceTime(instant: Date, cadence: Cadence): LocalTime {
  const [hour, minute] = cadence.time.split(':').map(Number) as [number, number];
  return { ...localTime(instant, cadence.timeZone), hour, minute };
}

function addTime(event: ICAL.Component, name: string, time: LocalTime, timeZone: string): void {
  event.addPropertyWithValue(name, ICAL.Time.fromData({ ...time, second: 0, isDate: false })).setParameter('tzid', timeZone);
}

const WEEK_INTERVAL = { weekly: 1, biweekly: 2, 'every-4-weeks': 4 } as const;
const DAY_CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;

function cadenceRule(cadence: Cadence, until: Date | null): ICAL.Recur {
  const end = until ? { until: ICAL.Time.fromJSDate(until, true) } : {};
  const day = DAY_CODES[cadence.weekday]!;
  if (cadence.pattern === 'monthly-nth-weekday')
    return new ICAL.Recur({ freq: 'MONTHLY', byday: [`${cadence.nth === 'last' ? -1 : (cadence.nth ?? 1)}${day}`], ...end });
  return new ICAL.Recur({ freq: 'WEEKLY', interval: WEEK_INTERVAL[cadence.pattern], byday: [day], ...end });
}

const dayKey = (t: Pick<LocalTime, 'year' | 'month' | 'day'>) => `${t.year}-${t.month}-${t.day}`;

/** The local dates the cadence's rule gives from its first meeting to the last of `meetings`. */
function ruleDates(cadence: Cadence, first: Date, meetings: readonly CalendarMeeting[]): Set<string> {
  const last = Math.max(0, ...meetings.map((m) => Math.max(Date.parse(m.scheduledFor), m.slot ? Date.parse(m.slot) : 0)));
  const dates = new Set<string>();
  const iterator = cadenceRule(cadence, null).iterator(ICAL.Time.fromData({ ...instanceTime(first, cadence), isDate: false }));
  // A day of margin: the rule's times are local, `last` is UTC.
  for (let t = iterator.next(); t && Date.UTC(t.year, t.month - 1, t.day) <= last + 86_400_000; t = iterator.next()) dates.add(dayKey(t));
  return dates;
}

/** The first meeting of the cadence: its first date on or after the day it starts. */
export const firstOccurrence = (cadence: Cadence): Date => nextOccurrence(cadence, new Date(0));

/** Until when an export repeats the cadence: always (null), now for a paused 1:1, the last meeting held for an ended one. */
function repeatsUntil(series: SeriesCalendar, now: Date): Date | null {
  if (series.state === 'active') return null;
  const held = series.meetings
    .filter((m) => m.status === 'held')
    .map((m) => Math.max(Date.parse(m.scheduledFor), m.slot ? Date.parse(m.slot) : 0));
  return series.state === 'ended' && held.length ? new Date(Math.max(...held)) : now;
}

interface Built {
  events: ICAL.Component[];
  /** The years its times fall in, for the time zone definition. */
  years: number[];
}

function seriesEvents(series: SeriesCalendar, now: Date): Built {
  const { cadence, seriesId } = series;
  const first = firstOccurrence(cadence);
  const until = repeatsUntil(series, now);
  const within = (at: Date) => until === null || at.getTime() <= until.getTime();
  const instances = ruleDates(cadence, first, series.meetings);
  // A date the exported rule gives, at the time the cadence meets that day (an instance is named
  // by its date in EXDATE and RECURRENCE-ID, so ical.js's own expansion decides which dates count).
  const [hour, minute] = cadence.time.split(':').map(Number) as [number, number];
  const isInstance = (at: Date) => {
    const day = localTime(at, cadence.timeZone);
    if (!instances.has(dayKey(day))) return false;
    // At the cadence's time it is the instance; otherwise only if the time is one a DST change skips that day.
    return (day.hour === hour && day.minute === minute) || timeOnDay(cadence, day.year, day.month, day.day).getTime() === at.getTime();
  };
  const years = [first.getUTCFullYear(), now.getUTCFullYear()];
  const description = `${describeCadence(cadence)}. The agenda and notes are in Tandem.`;
  const common = (event: ICAL.Component, uid: string) => {
    event.addPropertyWithValue('uid', uid);
    event.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(now, true));
    event.addPropertyWithValue('sequence', Math.max(0, Math.floor((now.getTime() - SEQUENCE_EPOCH) / 1000)));
    event.addPropertyWithValue('summary', series.summary);
  };
  const end = (event: ICAL.Component) => {
    event.addPropertyWithValue('duration', ICAL.Duration.fromSeconds(cadence.lengthMinutes * 60));
    event.addPropertyWithValue('description', description);
  };

  const master = new ICAL.Component('vevent');
  common(master, `${seriesId}@tandem`);
  addTime(master, 'dtstart', instanceTime(first, cadence), cadence.timeZone);
  end(master);
  master.addPropertyWithValue('rrule', cadenceRule(cadence, until));
  master.addPropertyWithValue('status', until && until < first ? 'CANCELLED' : 'CONFIRMED');
  const events = [master];

  for (const m of [...series.meetings].sort((a, b) => a.scheduledFor.localeCompare(b.scheduledFor) || a.id.localeCompare(b.id))) {
    const at = new Date(m.scheduledFor);
    const slot = m.slot ? new Date(m.slot) : null;
    if (slot && isInstance(slot)) {
      if (!within(slot)) continue;
      if (m.status === 'canceled' || m.status === 'moved') {
        addTime(master, 'exdate', instanceTime(slot, cadence), cadence.timeZone);
      } else if (at.getTime() !== slot.getTime()) {
        const moved = new ICAL.Component('vevent');
        common(moved, `${seriesId}@tandem`);
        addTime(moved, 'recurrence-id', instanceTime(slot, cadence), cadence.timeZone);
        addTime(moved, 'dtstart', localTime(at, cadence.timeZone), cadence.timeZone);
        end(moved);
        events.push(moved);
        years.push(at.getUTCFullYear());
      }
      continue;
    }
    // A meeting of an older cadence that only moved (status 'moved', the old way) has its own successor.
    if (m.status === 'moved' || !within(at)) continue;
    const single = new ICAL.Component('vevent');
    common(single, `${m.id}.${seriesId}@tandem`);
    addTime(single, 'dtstart', localTime(at, cadence.timeZone), cadence.timeZone);
    end(single);
    single.addPropertyWithValue('status', m.status === 'canceled' ? 'CANCELLED' : 'CONFIRMED');
    events.push(single);
    years.push(at.getUTCFullYear());
  }
  return { events, years };
}

/** An .ics file of these 1:1s (one for a single 1:1, all of them for the combined feed), named `name`. */
export function writeCalendar(series: readonly SeriesCalendar[], name: string, now: Date): string {
  const calendar = new ICAL.Component('vcalendar');
  calendar.addPropertyWithValue('version', '2.0');
  calendar.addPropertyWithValue('prodid', PRODID);
  calendar.addPropertyWithValue('calscale', 'GREGORIAN');
  calendar.addPropertyWithValue('method', 'PUBLISH');
  calendar.addPropertyWithValue('x-wr-calname', name);
  const years = new Map<string, number[]>();
  const events: ICAL.Component[] = [];
  for (const s of series) {
    const built = seriesEvents(s, now);
    events.push(...built.events);
    years.set(s.cadence.timeZone, [...(years.get(s.cadence.timeZone) ?? []), ...built.years]);
  }
  for (const [timeZone, list] of [...years].sort(([a], [b]) => a.localeCompare(b)))
    calendar.addSubcomponent(vtimezone(timeZone, Math.min(...list), Math.max(...list)));
  for (const event of events) calendar.addSubcomponent(event);
  return calendar.toString() + '\r\n';
}

/** A repeating event of a calendar file that can be a 1:1's cadence. */
export interface CalendarCandidate {
  summary: string;
  cadence: Cadence;
  /** What of the event the cadence does not keep (its end, its exceptions), for people. */
  notes: string[];
}

/** A repeating event that cannot be a cadence, and why. */
export interface CalendarRefusal {
  summary: string;
  reason: string;
}

export interface CalendarReading {
  candidates: CalendarCandidate[];
  refused: CalendarRefusal[];
}

export interface ReadOptions {
  /** The zone of a time given without one: the 1:1's own. */
  floatingTimeZone: string;
  now: Date;
}

class Refusal extends Error {}
const refuse = (reason: string): never => {
  throw new Refusal(reason);
};

const NTH_ORDINALS = { 1: 1, 2: 2, 3: 3, 4: 4, [-1]: 'last' } as const satisfies Record<number, Cadence['nth']>;

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Windows time zone names (Outlook, Exchange) and the IANA zone CLDR takes as each one's primary
 * zone (territory "001"): "W. Europe Standard Time" is Europe/Berlin. Keyed in lower case.
 */
const WINDOWS_ZONES = new Map(
  WINDOWS_TO_IANA_MAP.filter((z) => z.territory === '001').map((z) => [z.windowsName.toLowerCase(), z.iana[0]]),
);

/** The regions of IANA names named by a city (not the old links such as US/Eastern). */
const CITY_REGION = /^(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)\//;
let cityZones: Map<string, string> | undefined;

/** IANA zones by their city in lower case ("new york": America/New_York), every alias CLDR lists. */
function zonesByCity(): Map<string, string> {
  if (!cityZones) {
    cityZones = new Map();
    for (const { alias } of IANA_ALIAS_MAP)
      for (const name of alias) {
        const city = name
          .slice(name.lastIndexOf('/') + 1)
          .replace(/_/g, ' ')
          .toLowerCase();
        if (CITY_REGION.test(name) && !cityZones.has(city)) cityZones.set(city, name);
      }
  }
  return cityZones;
}

/** How far ahead the meetings are compared when a zone is taken from the file's own definition. */
const COMPARED_DAYS = 366;

/**
 * The meetings of a rule in its first year from `now` on (the first date, when it has ended), as
 * the file's own definition of their zone places them.
 */
function comingDates(rule: ICAL.Recur, start: ICAL.Time, now: Date): ICAL.Time[] {
  const from = Math.max(now.getTime(), start.toJSDate().getTime());
  const to = from + COMPARED_DAYS * 86_400_000;
  const dates: ICAL.Time[] = [];
  const iterator = rule.iterator(start);
  for (let t = iterator.next(), n = 0; t && n < MAX_DATES; t = iterator.next(), n++) {
    const at = t.toJSDate().getTime();
    if (at > to) break;
    if (at >= from) dates.push(t.clone());
  }
  return dates.length ? dates : [start];
}

/**
 * The IANA zone that puts every one of `dates` at the offset the file's own VTIMEZONE gives it:
 * the 1:1's own zone when it does, else a zone named by a city in the TZID ("(UTC+01:00)
 * Amsterdam, Berlin, ..."), else CLDR's primary zone of a Windows zone; null when none does.
 */
function zoneFollowing(tzid: string, dates: ICAL.Time[], own: string): string | null {
  const cities = zonesByCity();
  const named = tzid.split(/[,;()&/]+/).flatMap((part) => cities.get(part.trim().toLowerCase()) ?? []);
  for (const zone of new Set([own, ...named, ...WINDOWS_ZONES.values()]))
    if (dates.every((t) => tzOffset(zone, t.toJSDate()) * 60 === t.utcOffset())) return zone;
  return null;
}

/**
 * The IANA zone of a start time: its TZID, or the zone named at the end of it (some calendars
 * prefix their own path: "/mozilla.org/20070129_1/Europe/Berlin"), or CLDR's zone for a Windows
 * name (Outlook: "W. Europe Standard Time"); for a name neither, the zone that follows the
 * file's own definition of it (VTIMEZONE) at the rule's coming dates. UTC for a time in UTC; for
 * a "floating" time (no zone), the 1:1's own zone.
 */
function zoneOf(property: ICAL.Property, start: ICAL.Time, rule: ICAL.Recur, options: ReadOptions): string {
  if (start.zone === ICAL.Timezone.utcTimezone) return 'UTC';
  const tzid = property.getFirstParameter('tzid');
  if (!tzid) return options.floatingTimeZone;
  const parts = tzid.split('/').filter(Boolean);
  for (let k = Math.min(3, parts.length); k >= 1; k--) {
    const name = parts.slice(-k).join('/');
    if (isTimeZone(name)) return name;
  }
  const windows = WINDOWS_ZONES.get(tzid.trim().toLowerCase());
  if (windows) return windows;
  // ical.js gives a time the zone the file defines under its TZID, and a floating one otherwise.
  if (!start.zone?.component)
    return refuse(
      `its time zone "${tzid}" is not one Tandem knows (a name such as Europe/Berlin or W. Europe Standard Time) and the file does not define it`,
    );
  return (
    zoneFollowing(tzid, comingDates(rule, start, options.now), options.floatingTimeZone) ??
    refuse(`its time zone "${tzid}" is defined in the file by rules no time zone Tandem knows follows`)
  );
}

const FREQUENCY_WORDS: Record<string, string> = {
  SECONDLY: 'every few seconds',
  MINUTELY: 'every few minutes',
  HOURLY: 'every few hours',
  DAILY: 'daily',
  YEARLY: 'yearly',
};

/** The pattern, weekday and n-th of a repeat rule Tandem can keep as a cadence. */
function patternOf(rule: ICAL.Recur, startWeekday: number): Pick<Cadence, 'pattern' | 'weekday' | 'nth'> {
  const { BYDAY: byday, BYSETPOS: bysetpos, ...others } = rule.parts;
  const extra = Object.keys(others).filter((k) => others[k as keyof typeof others]?.length);
  if (FREQUENCY_WORDS[rule.freq]) refuse(`it repeats ${FREQUENCY_WORDS[rule.freq]}`);
  if (extra.length) refuse(`its rule uses ${extra.join(', ')}`);
  if ((byday?.length ?? 0) > 1) refuse(`it repeats on several days (${byday!.join(', ')}); a 1:1 meets on one`);
  const day = byday?.[0] ? /^([+-]?\d{1,2})?(SU|MO|TU|WE|TH|FR|SA)$/.exec(byday[0]) : null;
  if (byday?.[0] && !day) refuse(`its day "${byday[0]}" cannot be read`);
  const weekday = day ? DAY_CODES.indexOf(day[2] as (typeof DAY_CODES)[number]) : startWeekday;
  if (rule.freq === 'WEEKLY') {
    if (bysetpos?.length || day?.[1]) refuse('its weekly rule picks days by position');
    const pattern = ({ 1: 'weekly', 2: 'biweekly', 4: 'every-4-weeks' } as const)[rule.interval];
    if (!pattern) return refuse(`it repeats every ${rule.interval} weeks; a cadence is every 1, 2 or 4 weeks`);
    return { pattern, weekday };
  }
  if (rule.freq !== 'MONTHLY') return refuse(`its frequency "${rule.freq}" is unknown`);
  if (rule.interval !== 1) refuse(`it repeats every ${rule.interval} months; a monthly cadence meets every month`);
  if (!day) return refuse('it repeats on a date of the month; a monthly cadence meets on a weekday, such as the second Tuesday');
  if ((bysetpos?.length ?? 0) > 1 || (day[1] && bysetpos?.length)) refuse('its monthly rule picks several days');
  const position = Number(day[1] ?? bysetpos?.[0] ?? NaN);
  const nth = NTH_ORDINALS[position as keyof typeof NTH_ORDINALS];
  if (!nth)
    return refuse(
      day[1] || bysetpos?.length
        ? `it repeats on the weekday number ${position} of the month; a cadence uses the 1st to 4th or the last`
        : 'it repeats on every such weekday of the month',
    );
  return { pattern: 'monthly-nth-weekday', weekday, nth };
}

const dateOf = (t: ICAL.Time) => `${String(t.year).padStart(4, '0')}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;
const dayInZone = (at: Date, timeZone: string) => format(new TZDate(at.getTime(), timeZone), 'yyyy-MM-dd');
/** How many of its dates must be the cadence's for an event to be taken as it. */
const CHECKED_DATES = 12;
/** How far a finite rule is followed to find its end. */
const MAX_DATES = 5000;

function readEvent(vevent: ICAL.Component, hasExceptions: boolean, options: ReadOptions): CalendarCandidate {
  const rules = vevent.getAllProperties('rrule');
  if (rules.length > 1) refuse('it has several repeat rules');
  const rule = rules[0]!.getFirstValue() as ICAL.Recur;
  const startProperty = vevent.getFirstProperty('dtstart') ?? refuse('it has no start (DTSTART)');
  const start = startProperty.getFirstValue() as ICAL.Time;
  if (start.isDate) refuse('it lasts all day; a 1:1 has a time of day');
  const { pattern, weekday, nth } = patternOf(rule, start.dayOfWeek() - 1);
  const timeZone = zoneOf(startProperty, start, rule, options);
  const notes: string[] = [];
  const tzid = startProperty.getFirstParameter('tzid');
  // A name that is not the zone's own (a Windows or display name) is said, so nobody wonders where Europe/Berlin came from.
  if (tzid && !tzid.endsWith(timeZone)) notes.push(`Its time zone "${tzid}" is taken as ${timeZone}.`);

  const event = new ICAL.Event(vevent);
  let lengthMinutes = 30;
  if (vevent.hasProperty('duration') || vevent.hasProperty('dtend')) lengthMinutes = Math.round(event.duration.toSeconds() / 60);
  else notes.push('It gives no end time: the meetings last 30 minutes.');

  // The first date the rule gives: RFC 5545 counts DTSTART as one even when it does not fit the
  // rule, which a cadence cannot keep, so such a DTSTART is left out.
  const fitsRule = (t: ICAL.Time) =>
    t.dayOfWeek() - 1 === weekday &&
    (pattern !== 'monthly-nth-weekday' ||
      (nth === 'last' ? t.day + 7 > ICAL.Time.daysInMonth(t.month, t.year) : Math.ceil(t.day / 7) === nth));
  // A finite rule is followed to its end (to say when that is), an endless one far enough to check it.
  const wanted = rule.isFinite() ? MAX_DATES : CHECKED_DATES;
  const iterator = rule.iterator(start);
  const dates: string[] = [];
  for (let t = iterator.next(); t && dates.length < wanted; t = iterator.next()) if (fitsRule(t)) dates.push(dateOf(t));
  if (!dates.length) refuse('its rule gives no date');
  if (lengthMinutes < 5 || lengthMinutes > 480) refuse(`it lasts ${lengthMinutes} minutes; a 1:1 lasts from 5 minutes to 8 hours`);

  const parsed = Cadence.safeParse({
    pattern,
    weekday,
    ...(nth ? { nth } : {}),
    time: `${String(start.hour).padStart(2, '0')}:${String(start.minute).padStart(2, '0')}`,
    lengthMinutes,
    timeZone,
    startsOn: dates[0],
  });
  if (!parsed.success) return refuse(explainZodError(parsed.error).replace(/\.$/, '').toLowerCase());
  const cadence = parsed.data;

  const expected: string[] = [];
  let after = new Date(firstOccurrence(cadence).getTime() - 1);
  for (let i = 0; i < Math.min(CHECKED_DATES, dates.length); i++) {
    after = nextOccurrence(cadence, after);
    expected.push(dayInZone(after, timeZone));
  }
  if (expected.join() !== dates.slice(0, expected.length).join()) refuse('Tandem cannot repeat its dates exactly');

  if (rule.isFinite()) {
    const last = dates.at(-1)!;
    if (last < dayInZone(options.now, timeZone)) refuse(`it ended on ${last}`);
    notes.push(`It ends on ${last}; the cadence goes on until the 1:1 is paused or ended.`);
  }
  if (hasExceptions) notes.push('Its moved or cancelled dates are not taken: only the cadence is.');
  return { summary: '', cadence, notes };
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim().slice(0, 200) : '');

/**
 * The repeating events of a calendar file that can be a cadence, and those that cannot, with why.
 * Throws a TandemError for a file too large or not a calendar, or one with no repeating event
 * Tandem can keep (saying why not). A floating time (no zone) is read in `floatingTimeZone`.
 */
export function readCalendar(ics: string, options: ReadOptions): CalendarReading {
  if (ics.length > CALENDAR_MAX_CHARS) throw new TandemError('invalid-input', CALENDAR_TOO_LARGE);
  let roots: ICAL.Component[];
  try {
    const parsed: unknown[] = ICAL.parse(ics.replace(/^\uFEFF/, ''));
    roots = (Array.isArray(parsed[0]) ? parsed : [parsed]).map((jcal) => new ICAL.Component(jcal as unknown[]));
  } catch (error) {
    throw new TandemError(
      'invalid-input',
      `That is not a calendar (.ics) file Tandem can read: ${error instanceof Error ? error.message : String(error)}.`,
    );
  }
  if (!roots.length || roots.some((r) => r.name !== 'vcalendar'))
    throw new TandemError('invalid-input', 'That is not a calendar (.ics) file: it holds no VCALENDAR.');

  const events = roots.flatMap((r) => r.getAllSubcomponents('vevent'));
  const exceptions = new Set(events.filter((e) => e.hasProperty('recurrence-id')).map((e) => text(e.getFirstPropertyValue('uid'))));
  const reading: CalendarReading = { candidates: [], refused: [] };
  for (const event of events) {
    if (!event.hasProperty('rrule') || event.hasProperty('recurrence-id')) continue;
    const summary = text(event.getFirstPropertyValue('summary')) || 'An event without a title';
    try {
      const hasExceptions =
        event.hasProperty('exdate') || event.hasProperty('rdate') || exceptions.has(text(event.getFirstPropertyValue('uid')));
      reading.candidates.push({ ...readEvent(event, hasExceptions, options), summary });
    } catch (error) {
      const reason =
        error instanceof Refusal ? error.message : `its dates cannot be read (${error instanceof Error ? error.message : String(error)})`;
      reading.refused.push({ summary, reason });
    }
  }
  if (reading.candidates.length) return reading;
  const [first, ...more] = reading.refused;
  if (!first)
    throw new TandemError(
      'invalid-input',
      'That calendar file holds no repeating event: choose an event that repeats, such as a weekly 1:1.',
    );
  throw new TandemError(
    'invalid-input',
    `"${first.summary}" cannot be a cadence: ${first.reason}.${more.length ? ` Nor can the ${more.length} other repeating event${more.length === 1 ? '' : 's'} in the file.` : ''}`,
  );
}
