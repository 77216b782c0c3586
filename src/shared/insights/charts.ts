/**
 * The series the health panel draws: plain numbers per month or per meeting, counted in the time
 * zone the 1:1 meets in.
 */
import type { Purpose } from '../schemas.js';
import type { HealthHistory } from './history.js';
import { localDate, recentHeld } from './signals.js';

const monthOf = (at: string, timeZone: string) => localDate(at, timeZone).slice(0, 7);

/** The last `count` months (YYYY-MM) up to the one `now` falls in, oldest first. */
export function lastMonths(now: Date, timeZone: string, count: number): string[] {
  const [year, month] = localDate(now, timeZone).split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, k) => {
    const index = year * 12 + (month - 1) - (count - 1 - k);
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  });
}

export interface MeetingMonth {
  month: string;
  held: number;
  moved: number;
  canceled: number;
}

/**
 * Held and cancelled meetings count in the month they were (or would have been) held; a move
 * counts in the month the meeting was moved away from, so a meeting moved across a month end is
 * one move in the old month and, once held, one meeting in the new one.
 */
export function meetingsByMonth(h: HealthHistory, now: Date, count = 12): MeetingMonth[] {
  const rows = new Map(lastMonths(now, h.timeZone, count).map((month) => [month, { month, held: 0, moved: 0, canceled: 0 }]));
  for (const m of h.meetings) {
    if (m.status !== 'held' && m.status !== 'canceled') continue;
    const row = rows.get(monthOf(m.scheduledFor, h.timeZone));
    if (row) row[m.status === 'held' ? 'held' : 'canceled']++;
  }
  for (const c of h.changes) {
    if (c.kind !== 'moved') continue;
    const row = rows.get(monthOf(c.from ?? c.at, h.timeZone));
    if (row) row.moved++;
  }
  return [...rows.values()];
}

export type PurposeKey = Purpose | 'none';
export const PURPOSE_KEYS: readonly PurposeKey[] = ['career', 'coaching', 'feedback', 'connection', 'clearing-the-air', 'status', 'none'];

export interface PurposeMonth {
  month: string;
  counts: Record<PurposeKey, number>;
}

/** Items discussed each month, by purpose. */
export function purposesByMonth(h: HealthHistory, now: Date, count = 12): PurposeMonth[] {
  const when = new Map(h.meetings.map((m) => [m.id, m.scheduledFor]));
  const empty = () => Object.fromEntries(PURPOSE_KEYS.map((k) => [k, 0])) as Record<PurposeKey, number>;
  const rows = new Map(lastMonths(now, h.timeZone, count).map((month) => [month, { month, counts: empty() }]));
  for (const item of h.items) {
    if (item.state !== 'discussed') continue;
    const at = item.discussedAt ?? (item.meetingId ? when.get(item.meetingId) : undefined);
    const row = at ? rows.get(monthOf(at, h.timeZone)) : undefined;
    if (row) row.counts[item.purpose ?? 'none']++;
  }
  return [...rows.values()];
}

export interface AuthorshipMeeting {
  meetingId: string;
  scheduledFor: string;
  /** Agenda items by author (user id), people of the 1:1 only. */
  items: Record<string, number>;
}

/** Who wrote the agenda of each of the last `count` held meetings. */
export function authorshipByMeeting(h: HealthHistory, now: Date, count = 10): AuthorshipMeeting[] {
  const held = recentHeld(h, now, count);
  const rows = new Map(held.map((m) => [m.id, { meetingId: m.id, scheduledFor: m.scheduledFor, items: {} as Record<string, number> }]));
  for (const item of h.items) {
    if (h.people[item.authorId] === undefined) continue;
    for (const id of new Set([item.meetingId, item.carriedFrom])) {
      const row = id ? rows.get(id) : undefined;
      if (row) row.items[item.authorId] = (row.items[item.authorId] ?? 0) + 1;
    }
  }
  return [...rows.values()];
}

export interface FollowThroughMonth {
  month: string;
  onTime: number;
  late: number;
  overdue: number;
}

/** Next steps by the month they were due: done on time, done late, or still open past due. */
export function followThroughByMonth(h: HealthHistory, now: Date, count = 6): FollowThroughMonth[] {
  const today = localDate(now, h.timeZone);
  const rows = new Map(lastMonths(now, h.timeZone, count).map((month) => [month, { month, onTime: 0, late: 0, overdue: 0 }]));
  for (const step of h.steps) {
    const row = step.due ? rows.get(step.due.slice(0, 7)) : undefined;
    if (!row || !step.due) continue;
    if (step.done) row[step.doneAt && localDate(step.doneAt, h.timeZone) <= step.due ? 'onTime' : 'late']++;
    else if (step.due < today) row.overdue++;
  }
  return [...rows.values()];
}
