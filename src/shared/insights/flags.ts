/**
 * Flags: the signals turned into what needs attention, each with one sentence saying what it
 * means and one thing to try. A flag whose remedy is already on the next agenda (e.g. a career
 * item waiting to be discussed) is not raised: the pair has acted on it.
 */
import type { Purpose } from '../schemas.js';
import type { HealthHistory, ItemRecord } from './history.js';
import { healthSignals, MONOLOGUE_ABOVE, REVERSE_BRIEFING_ABOVE, STUCK_CARRIES, type HealthSignals } from './signals.js';

export const FLAG_IDS = [
  'cancellation-cascade',
  'ghost-meeting',
  'career-neglected',
  'manager-monologue',
  'reverse-briefing',
  'follow-through',
  'stuck-items',
  'unprepared',
] as const;
export type FlagId = (typeof FLAG_IDS)[number];

export interface Flag {
  id: FlagId;
  /** Higher needs attention first. */
  weight: number;
  /** One line with the figure, e.g. "No career conversation in 4 months". */
  headline: string;
  meaning: string;
  tryThis: string;
  /** The purpose of a question that would help; the nudge offers to add one. */
  suggest: Purpose | null;
}

/** A share flag needs this many items behind it: one status update is not a pattern. */
export const MIN_SAMPLE = 4;
const PREPARED_BELOW = 0.25;

const pct = (share: number) => `${Math.round(share * 100)} %`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const months = (days: number) => Math.max(1, Math.round(days / 30));

type Definition = Omit<Flag, 'headline' | 'weight'> & { weight: number; headline: (s: HealthSignals) => string | null };

const DEFINITIONS: readonly Definition[] = [
  {
    id: 'cancellation-cascade',
    weight: 90,
    suggest: null,
    headline: ({ cancellations: c }) => (c.longestRecentRun >= 2 ? `${c.longestRecentRun} meetings in a row were cancelled` : null),
    meaning: 'When the 1:1 keeps giving way to other work, it tells the other person they come after everything else.',
    tryThis: 'Move the meeting instead of cancelling it, even to a shorter slot the same week.',
  },
  {
    id: 'ghost-meeting',
    weight: 80,
    suggest: 'connection',
    headline: ({ ghosts }) =>
      ghosts.recent > 0 ? `${plural(ghosts.recent, 'recent meeting')} had nothing on the agenda and left no trace` : null,
    meaning: 'A meeting with no agenda and no notes was either skipped without a word or held without anything to hold on to.',
    tryThis: 'Put one question on the agenda a day ahead, so the next meeting starts from something.',
  },
  {
    id: 'career-neglected',
    weight: 70,
    suggest: 'career',
    headline: ({ purposes }) =>
      purposes.careerNeglected
        ? purposes.byPurpose.career.days === null
          ? `No career conversation since this 1:1 began`
          : `No career conversation in ${plural(months(purposes.careerDays), 'month')}`
        : null,
    meaning: 'Weeks of day-to-day topics can crowd out where the person wants to go, until they look for it elsewhere.',
    tryThis: 'Add one career question to the next agenda and give it the first ten minutes.',
  },
  {
    id: 'manager-monologue',
    weight: 60,
    suggest: null,
    headline: ({ authorship: a }) => {
      if (!a.applicable) return null;
      if (a.itemShare !== null && a.items >= MIN_SAMPLE && a.itemShare > MONOLOGUE_ABOVE)
        return `The manager wrote ${pct(a.itemShare)} of the recent agenda`;
      if (a.notesShare !== null && a.notesChars >= 200 && a.notesShare > MONOLOGUE_ABOVE)
        return `The manager wrote ${pct(a.notesShare)} of the recent notes`;
      return null;
    },
    meaning: 'The 1:1 is the report’s meeting; when the manager sets most of it, it turns into the manager’s status meeting.',
    tryThis: 'Ask the report to put the first items on the agenda, and add yours after theirs.',
  },
  {
    id: 'reverse-briefing',
    weight: 50,
    suggest: 'coaching',
    headline: ({ reverseBriefing: r }) =>
      r.statusShare !== null && r.discussed >= MIN_SAMPLE && r.statusShare > REVERSE_BRIEFING_ABOVE
        ? `${pct(r.statusShare)} of what you discussed lately was status`
        : null,
    meaning: 'Status can be read; time together spent on it is time not spent on problems, growth or each other.',
    tryThis: 'Mark updates as async to read before the meeting, and keep the time for one real question.',
  },
  {
    id: 'follow-through',
    weight: 40,
    suggest: null,
    headline: ({ followThrough: f }) => {
      if (f.overdue >= 2) return `${plural(f.overdue, 'next step')} past their due date`;
      if (f.onTimeShare !== null && f.due >= MIN_SAMPLE && f.onTimeShare < 0.5)
        return `Only ${pct(f.onTimeShare)} of next steps were done on time`;
      return null;
    },
    meaning: 'Agreements that slip quietly teach both people that what is said in the 1:1 does not bind.',
    tryThis: 'Start the next meeting by going through open next steps, and drop or re-date the ones that no longer matter.',
  },
  {
    id: 'stuck-items',
    weight: 30,
    suggest: null,
    headline: ({ followThrough: f }) =>
      f.stuckItems > 0 ? `${plural(f.stuckItems, 'item')} carried on ${STUCK_CARRIES} times or more` : null,
    meaning: 'An item that keeps moving to the next meeting is either less important than it looks or harder to raise than it should be.',
    tryThis: 'Take the oldest carried item first next time, or agree to drop it.',
  },
  {
    id: 'unprepared',
    weight: 20,
    suggest: null,
    headline: ({ preparation: p }) =>
      p.preparedShare !== null && p.items >= MIN_SAMPLE && p.preparedShare < PREPARED_BELOW
        ? `Only ${pct(p.preparedShare)} of recent items came with context beforehand`
        : null,
    meaning: 'Items raised cold take the meeting to explain them, leaving less time to decide anything.',
    tryThis: 'Add a line of context when you add an item, so the other person can think about it first.',
  },
];

/** What waits for the next meeting: open or carried items not pinned to a past meeting. */
export function upcomingItems(h: HealthHistory): ItemRecord[] {
  const next = h.meetings.find((m) => m.status === 'scheduled');
  return h.items.filter((i) => (i.state === 'open' || i.state === 'carried') && (i.meetingId === null || i.meetingId === next?.id));
}

export interface HealthReport {
  signals: HealthSignals;
  /** Most pressing first. */
  flags: Flag[];
  /** Whether the pair is between meetings, when a nudge can be acted on (see `preparing`). */
  preparing: boolean;
}

/**
 * The time to prepare the next meeting: from the end of the meeting before it until it starts.
 * While a meeting is being held (started, not ended: what meeting mode shows) the agenda is being
 * worked through, not prepared, so nudges wait.
 */
export const preparing = (h: HealthHistory): boolean =>
  !h.meetings.some((m) => m.status === 'scheduled' && m.startedAt !== null && m.endedAt === null);

export function assessHealth(h: HealthHistory, now: Date): HealthReport {
  const signals = healthSignals(h, now);
  const upcoming = upcomingItems(h);
  const flags: Flag[] = [];
  for (const { headline, ...definition } of DEFINITIONS) {
    const line = headline(signals);
    if (line === null) continue;
    const remedied =
      definition.id === 'ghost-meeting' ? upcoming.length > 0 : upcoming.some((i) => i.purpose && i.purpose === definition.suggest);
    if (definition.suggest && remedied) continue;
    flags.push({ ...definition, headline: line });
  }
  return { signals, flags: flags.sort((a, b) => b.weight - a.weight), preparing: preparing(h) };
}

/** How much a 1:1 needs attention, for sorting the overview: its flags' weights, the heaviest counting most. */
export const attention = (report: HealthReport): number => report.flags.reduce((sum, f, k) => sum + f.weight / (k + 1), 0);

/** The flag a nudge shows: the heaviest one not dismissed, while the next meeting is being prepared. */
export function nudgeFlag(report: HealthReport, dismissed: ReadonlySet<FlagId> = new Set()): Flag | null {
  if (!report.preparing) return null;
  return report.flags.find((f) => !dismissed.has(f.id)) ?? null;
}

/** A flag as one line, e.g. "No career conversation in 4 months — add a question?". */
export const nudgeText = (flag: Flag): string => (flag.suggest ? `${flag.headline} — add a question?` : flag.headline);

/** The line a reminder before the next meeting shows, or null when nothing needs attention. */
export function nudgeLine(h: HealthHistory, now: Date, dismissed: ReadonlySet<FlagId> = new Set()): string | null {
  const flag = nudgeFlag(assessHealth(h, now), dismissed);
  return flag ? nudgeText(flag) : null;
}
