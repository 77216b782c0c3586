import { TZDate } from '@date-fns/tz';
import { expect, test } from 'vitest';
import { DEFAULT_SETTINGS, type AppSettings } from '../../../../src/shared/app-settings.js';
import { occurrences } from '../../../../src/shared/domain/cadence.js';
import {
  beforeKey,
  dueReminders,
  nextDueAt,
  NUDGE_AFTER_MS,
  NUDGE_WITHIN_MS,
  reminderText,
  type HeldMeeting,
  type UpcomingMeeting,
} from '../../../../src/core/reminders/schedule.js';
import type { Cadence } from '../../../../src/shared/schemas.js';

const SERIES = '11111111-1111-4111-8111-111111111111';
const meeting = (scheduledFor: string, meetingId = 'm1'): UpcomingMeeting => ({ seriesId: SERIES, meetingId, scheduledFor });
const at = (iso: string) => new Date(iso);
const due = (now: string, upcoming: UpcomingMeeting[], settings: AppSettings = DEFAULT_SETTINGS, delivered: string[] = []) =>
  dueReminders(at(now), settings, upcoming, [], new Set(delivered)).map((r) => r.key);

test('a meeting reminder falls due its lead time before the meeting, and not a second earlier', () => {
  const m = meeting('2030-01-07T10:00:00.000Z');
  expect(due('2030-01-07T09:49:59.999Z', [m])).toEqual([]);
  expect(due('2030-01-07T09:50:00.000Z', [m])).toEqual([beforeKey(m)]);
  expect(due('2030-01-07T09:44:00.000Z', [m], { ...DEFAULT_SETTINGS, reminderLeadMinutes: 20 })).toEqual([beforeKey(m)]);
  expect(nextDueAt(at('2030-01-07T09:00:00.000Z'), DEFAULT_SETTINGS, [m], [])).toBe(Date.parse('2030-01-07T09:50:00.000Z'));
});

test('after a sleep through the due time it still comes before the meeting, and never once the meeting has begun', () => {
  const m = meeting('2030-01-07T10:00:00.000Z');
  expect(due('2030-01-07T09:58:30.000Z', [m])).toEqual([beforeKey(m)]);
  expect(due('2030-01-07T10:00:00.000Z', [m])).toEqual([]);
  expect(due('2030-01-07T13:00:00.000Z', [m])).toEqual([]);
});

test('once delivered it is never due again, even with the clock set back; switched off globally or per 1:1 it never comes', () => {
  const m = meeting('2030-01-07T10:00:00.000Z');
  expect(due('2030-01-07T09:55:00.000Z', [m], DEFAULT_SETTINGS, [beforeKey(m)])).toEqual([]);
  expect(due('2030-01-07T09:51:00.000Z', [m], DEFAULT_SETTINGS, [beforeKey(m)])).toEqual([]);
  expect(due('2030-01-07T09:55:00.000Z', [m], { ...DEFAULT_SETTINGS, reminders: false })).toEqual([]);
  expect(due('2030-01-07T09:55:00.000Z', [m], { ...DEFAULT_SETTINGS, remindersOff: [SERIES] })).toEqual([]);
  expect(nextDueAt(at('2030-01-07T09:00:00.000Z'), { ...DEFAULT_SETTINGS, remindersOff: [SERIES] }, [m], [])).toBeNull();
});

test('a moved meeting is reminded at its new time, even when its old reminder was shown', () => {
  const before = meeting('2030-01-07T10:00:00.000Z');
  const moved = meeting('2030-01-07T15:00:00.000Z');
  expect(due('2030-01-07T09:55:00.000Z', [moved], DEFAULT_SETTINGS, [beforeKey(before)])).toEqual([]);
  expect(due('2030-01-07T14:50:00.000Z', [moved], DEFAULT_SETTINGS, [beforeKey(before)])).toEqual([beforeKey(moved)]);
});

test('across both DST changes a 10:00 Berlin meeting is reminded at 09:50 Berlin time, whatever zone the device is in', () => {
  const berlin: Cadence = {
    pattern: 'weekly',
    weekday: 1,
    time: '10:00',
    lengthMinutes: 30,
    timeZone: 'Europe/Berlin',
    startsOn: '2030-03-18',
  };
  const deviceZone = process.env.TZ;
  try {
    for (const zone of ['UTC', 'America/Los_Angeles', 'Asia/Kolkata']) {
      process.env.TZ = zone;
      const dates = [...occurrences(berlin, at('2030-03-18T00:00:00Z'), 3), ...occurrences(berlin, at('2030-10-21T00:00:00Z'), 3)];
      for (const date of dates) {
        const m = meeting(date.toISOString(), date.toISOString());
        const reminder = nextDueAt(at(new Date(date.getTime() - 86_400_000).toISOString()), DEFAULT_SETTINGS, [m], []);
        const local = new TZDate(reminder!, 'Europe/Berlin');
        expect([local.getHours(), local.getMinutes()]).toEqual([9, 50]);
      }
    }
  } finally {
    if (deviceZone === undefined) delete process.env.TZ;
    else process.env.TZ = deviceZone;
  }
  const dates = [...occurrences(berlin, at('2030-03-18T00:00:00Z'), 3), ...occurrences(berlin, at('2030-10-21T00:00:00Z'), 3)];
  // The spring change (31 March) and the autumn one (27 October) fall inside: UTC hours differ.
  expect(new Set(dates.map((d) => d.getUTCHours()))).toEqual(new Set([8, 9]));
});

test('one nudge after a meeting whose next steps lack an owner or due date, from a while after it ended and not the next day', () => {
  const held: HeldMeeting = { seriesId: SERIES, meetingId: 'm0', endedAt: '2030-01-07T10:30:00.000Z', stepsLacking: 2 };
  const nudges = (now: string, h: HeldMeeting = held, delivered: string[] = []) =>
    dueReminders(at(now), DEFAULT_SETTINGS, [], [h], new Set(delivered)).map((r) => r.kind);
  const end = Date.parse(held.endedAt);
  expect(nudges(new Date(end + NUDGE_AFTER_MS - 1).toISOString())).toEqual([]);
  expect(nudges(new Date(end + NUDGE_AFTER_MS).toISOString())).toEqual(['next-steps']);
  expect(nudges(new Date(end + NUDGE_WITHIN_MS).toISOString())).toEqual([]);
  expect(nudges(new Date(end + NUDGE_AFTER_MS).toISOString(), { ...held, stepsLacking: 0 })).toEqual([]);
  expect(nudges(new Date(end + NUDGE_AFTER_MS).toISOString(), held, [`steps:${SERIES}:m0`])).toEqual([]);
});

test('says who, how soon, and what the agenda holds', () => {
  const r = { key: 'k', kind: 'before-meeting' as const, seriesId: SERIES, meetingId: 'm1' };
  const now = at('2030-01-07T09:50:00.000Z');
  expect(reminderText(r, { partnerName: 'Sam', scheduledFor: '2030-01-07T10:00:00.000Z', items: 4, withoutContext: 1 }, now)).toEqual({
    title: '1:1 with Sam in 10 min',
    body: '4 items, 1 without context',
  });
  expect(reminderText(r, { partnerName: 'Sam', scheduledFor: '2030-01-07T09:51:20.000Z', items: 1, withoutContext: 0 }, now)).toEqual({
    title: '1:1 with Sam in 2 min',
    body: '1 item',
  });
  expect(reminderText({ ...r, kind: 'next-steps' }, { partnerName: 'Sam', stepsLacking: 1 }, now).body).toBe(
    '1 next step has no owner or due date.',
  );
});
