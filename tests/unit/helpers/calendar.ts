/**
 * Calendar files as calendar apps write them, reading them as a calendar app would (ical.js, with
 * the file's own time zones), and the dates a cadence plans, for the calendar tests to compare.
 */
import ICAL from 'ical.js';
import { firstOccurrence } from '../../../src/shared/domain/calendar.js';
import { nextOccurrence } from '../../../src/shared/domain/cadence.js';
import type { Cadence } from '../../../src/shared/schemas.js';

/**
 * A calendar file as a calendar app writes one (CRLF line ends): these time zones (VTIMEZONE lines),
 * then these events (VEVENT property lines), each given its own UID and a DTSTAMP.
 */
export const calendarFile = (events: string[][], zones: string[][] = []): string =>
  [
    'BEGIN:VCALENDAR',
    'PRODID:-//Google Inc//Google Calendar 70.9054//EN',
    'VERSION:2.0',
    ...zones.flat(),
    ...events.flatMap((lines, i) => ['BEGIN:VEVENT', `UID:event-${i}@example.com`, 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT']),
    'END:VCALENDAR',
    '',
  ].join('\r\n');

/** The lines of a repeating 45-minute event in New York starting at `start` (local time). */
export const repeatingEvent = (rule: string, summary: string, start = '20260113T100000'): string[] => [
  `DTSTART;TZID=America/New_York:${start}`,
  'DURATION:PT45M',
  `RRULE:${rule}`,
  `SUMMARY:${summary}`,
];

export interface Occurrence {
  uid: string;
  /** The instant, as UTC ISO. */
  at: string;
  /** The local time in the event's zone. */
  local: string;
  status: string;
}

/** Every meeting a calendar shows up to `until`, expanded by ical.js with the file's own time zones. */
export function occurrences(ics: string, until: Date): Occurrence[] {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vevents = calendar.getAllSubcomponents('vevent');
  const masters = new Map<string, ICAL.Event>();
  for (const v of vevents) if (!v.hasProperty('recurrence-id')) masters.set(String(v.getFirstPropertyValue('uid')), new ICAL.Event(v));
  for (const v of vevents) if (v.hasProperty('recurrence-id')) masters.get(String(v.getFirstPropertyValue('uid')))!.relateException(v);
  const out: Occurrence[] = [];
  for (const [uid, event] of masters) {
    const status = String(event.component.getFirstPropertyValue('status') ?? 'CONFIRMED');
    if (!event.isRecurring()) {
      out.push({ uid, at: event.startDate.toJSDate().toISOString(), local: event.startDate.toString(), status });
      continue;
    }
    const iterator = event.iterator();
    for (let next = iterator.next(); next && next.toJSDate() <= until; next = iterator.next()) {
      const details = event.getOccurrenceDetails(next);
      out.push({ uid, at: details.startDate.toJSDate().toISOString(), local: details.startDate.toString(), status });
    }
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

/** The cadence's own dates from its start, as UTC ISO. */
export function cadenceDates(cadence: Cadence, until: Date): string[] {
  const dates: string[] = [];
  for (let at = firstOccurrence(cadence); at <= until; at = nextOccurrence(cadence, at)) dates.push(at.toISOString());
  return dates;
}
