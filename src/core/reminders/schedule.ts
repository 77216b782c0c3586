/**
 * When a reminder is due, decided from absolute instants and the clock passed in, never from a
 * timer's promise: a laptop that slept, a clock set back or forward, a time-zone change and a
 * moved meeting are all just "what is due now". Each reminder has a key; a key once delivered is
 * recorded on disk, so a restart (or a clock set back) never shows it twice.
 */
import { REMINDER_LEAD_MAX, type AppSettings } from '../../shared/app-settings.js';

/** A meeting still to come, as the list tables know it. */
export interface UpcomingMeeting {
  seriesId: string;
  meetingId: string;
  scheduledFor: string;
}

/** A meeting that was held, with what its next steps lack. */
export interface HeldMeeting {
  seriesId: string;
  meetingId: string;
  endedAt: string;
  /** Open next steps of that meeting without an owner or without a due date. */
  stepsLacking: number;
}

export interface Reminder {
  key: string;
  kind: 'before-meeting' | 'next-steps';
  seriesId: string;
  meetingId: string;
}

/** A nudge about next steps comes this long after the meeting ends, so fixing them at once needs none. */
export const NUDGE_AFTER_MS = 15 * 60_000;
/** ... and not at all once this much later: an old meeting is not worth an interruption. */
export const NUDGE_WITHIN_MS = 12 * 3600_000;

const MINUTE = 60_000;

/** How far ahead a meeting can have a reminder due: the longest lead time. */
export const REMINDER_WINDOW_MS = REMINDER_LEAD_MAX * MINUTE;

/**
 * The key of a meeting's reminder names the time it is for: moving the meeting gives it a new
 * reminder, and the old one (if already shown) does not stop it.
 */
export const beforeKey = (m: UpcomingMeeting): string => `before:${m.seriesId}:${m.meetingId}:${Date.parse(m.scheduledFor)}`;
export const nudgeKey = (m: HeldMeeting): string => `steps:${m.seriesId}:${m.meetingId}`;

const remindsFor = (settings: AppSettings, seriesId: string) => settings.reminders && !settings.remindersOff.includes(seriesId);

/** When a meeting's reminder falls due: the lead time before it. */
export const reminderAt = (m: UpcomingMeeting, settings: AppSettings): number =>
  Date.parse(m.scheduledFor) - settings.reminderLeadMinutes * MINUTE;

/**
 * The reminders to show now. A meeting's reminder shows from its due time until the meeting
 * starts (late after a sleep, still useful); once the meeting has started it is dropped. A nudge
 * about next steps shows from NUDGE_AFTER_MS after the meeting ended until NUDGE_WITHIN_MS.
 */
export function dueReminders(
  now: Date,
  settings: AppSettings,
  upcoming: readonly UpcomingMeeting[],
  held: readonly HeldMeeting[],
  delivered: ReadonlySet<string>,
): Reminder[] {
  const t = now.getTime();
  const due: Reminder[] = [];
  for (const m of upcoming) {
    if (!remindsFor(settings, m.seriesId) || delivered.has(beforeKey(m))) continue;
    if (t >= reminderAt(m, settings) && t < Date.parse(m.scheduledFor))
      due.push({ key: beforeKey(m), kind: 'before-meeting', seriesId: m.seriesId, meetingId: m.meetingId });
  }
  for (const m of held) {
    if (!remindsFor(settings, m.seriesId) || m.stepsLacking === 0 || delivered.has(nudgeKey(m))) continue;
    const since = t - Date.parse(m.endedAt);
    if (since >= NUDGE_AFTER_MS && since < NUDGE_WITHIN_MS)
      due.push({ key: nudgeKey(m), kind: 'next-steps', seriesId: m.seriesId, meetingId: m.meetingId });
  }
  return due;
}

/** The next instant after `now` at which a reminder falls due, or null when none will. */
export function nextDueAt(
  now: Date,
  settings: AppSettings,
  upcoming: readonly UpcomingMeeting[],
  held: readonly HeldMeeting[],
): number | null {
  const t = now.getTime();
  const times = [
    ...upcoming.filter((m) => remindsFor(settings, m.seriesId)).map((m) => reminderAt(m, settings)),
    ...held.filter((m) => remindsFor(settings, m.seriesId) && m.stepsLacking > 0).map((m) => Date.parse(m.endedAt) + NUDGE_AFTER_MS),
  ].filter((at) => at > t);
  return times.length ? Math.min(...times) : null;
}

/** What one notification says. */
export interface ReminderFacts {
  partnerName: string;
  /** For a meeting reminder: when it starts, its open items and how many have no context. */
  scheduledFor?: string;
  items?: number;
  withoutContext?: number;
  stepsLacking?: number;
  /** What the 1:1's health says needs attention (insights), added under the agenda. */
  nudge?: string | null;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "1:1 with Sam in 10 min — 4 items, 1 without context" */
export function reminderText(reminder: Reminder, facts: ReminderFacts, now: Date): { title: string; body: string } {
  if (reminder.kind === 'next-steps') {
    const n = facts.stepsLacking ?? 0;
    return {
      title: `Next steps from your 1:1 with ${facts.partnerName}`,
      body: `${count(n, 'next step has', 'next steps have')} no owner or due date.`,
    };
  }
  const minutes = Math.max(1, Math.ceil((Date.parse(facts.scheduledFor ?? '') - now.getTime()) / MINUTE));
  const items = facts.items ?? 0;
  const bare = facts.withoutContext ?? 0;
  const agenda =
    items === 0 ? 'nothing on the agenda yet' : `${count(items, 'item', 'items')}${bare > 0 ? `, ${bare} without context` : ''}`;
  return { title: `1:1 with ${facts.partnerName} in ${minutes} min`, body: facts.nudge ? `${agenda}\n${facts.nudge}` : agenda };
}

/** The delivered keys worth keeping: a key older than a few days can never be due again. */
export function pruneDelivered(delivered: Record<string, string>, now: Date): Record<string, string> {
  const keepFrom = now.getTime() - 3 * 24 * 3600_000;
  return Object.fromEntries(Object.entries(delivered).filter(([, at]) => Date.parse(at) >= keepFrom));
}
