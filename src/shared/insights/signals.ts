/**
 * The health signals of a 1:1: pure functions of its history (history.ts) and the time they are
 * computed at. Nothing here depends on who computes them, so both people see the same figures.
 * Shares are numbers from 0 to 1, or null when there is nothing to share out.
 */
import type { Purpose } from '../schemas.js';
import type { HealthHistory, ItemRecord, MeetingRecord } from './history.js';

export const DAY_MS = 86_400_000;
/** Most signals look at the meetings held lately: this many. */
export const RECENT_HELD = 5;
export const CANCEL_WINDOW_DAYS = 90;
export const CAREER_NEGLECTED_DAYS = 90;
export const MONOLOGUE_ABOVE = 0.7;
export const REVERSE_BRIEFING_ABOVE = 0.5;
export const STUCK_CARRIES = 3;

/** The purposes a healthy 1:1 comes back to; status updates are the one it can do without. */
export const GROWTH_PURPOSES = ['career', 'coaching', 'feedback', 'connection', 'clearing-the-air'] as const satisfies readonly Purpose[];
export type GrowthPurpose = (typeof GROWTH_PURPOSES)[number];

const time = (iso: string | null | undefined): number => (iso ? Date.parse(iso) : NaN);
const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/**
 * What several signals derive from a history, worked out once per history object: the overview
 * computes every signal of every 1:1 again each time one changes, from histories the core keeps
 * (a history is never changed once made, so the memo stays true).
 */
interface Derived {
  /** Each meeting's time (ms), in the order of h.meetings. */
  times: number[];
  /** The items that were on each meeting's agenda: pinned to it, or carried on from it. */
  agendas: Map<string, ItemRecord[]>;
  meetings: Map<string, MeetingRecord>;
}
const derivedOf = new WeakMap<HealthHistory, Derived>();
function derived(h: HealthHistory): Derived {
  let d = derivedOf.get(h);
  if (!d) {
    const agendas = new Map<string, ItemRecord[]>();
    const add = (meetingId: string, item: ItemRecord) => {
      const list = agendas.get(meetingId);
      if (list) list.push(item);
      else agendas.set(meetingId, [item]);
    };
    for (const item of h.items) {
      if (item.meetingId) add(item.meetingId, item);
      if (item.carriedFrom && item.carriedFrom !== item.meetingId) add(item.carriedFrom, item);
    }
    d = { times: h.meetings.map((m) => time(m.scheduledFor)), agendas, meetings: new Map(h.meetings.map((m) => [m.id, m])) };
    derivedOf.set(h, d);
  }
  return d;
}

/** Meetings that have happened or should have: at or before `now`, oldest first. */
function pastMeetings(h: HealthHistory, now: Date): MeetingRecord[] {
  const { times } = derived(h);
  return h.meetings.filter((_, k) => times[k]! <= now.getTime());
}

/** The last `n` held meetings, oldest first. */
export function recentHeld(h: HealthHistory, now: Date, n = RECENT_HELD): MeetingRecord[] {
  const { times } = derived(h);
  const held: MeetingRecord[] = [];
  // Meetings are sorted by time: the recent ones are at the end.
  for (let k = h.meetings.length - 1; k >= 0 && held.length < n; k--) {
    if (h.meetings[k]!.status === 'held' && times[k]! <= now.getTime()) held.push(h.meetings[k]!);
  }
  return held.reverse();
}

const agendaIndex = (h: HealthHistory): Map<string, ItemRecord[]> => derived(h).agendas;

/** The earliest meeting still scheduled: items meant for "the next meeting" are on its agenda. */
const nextScheduled = (h: HealthHistory) => h.meetings.find((m) => m.status === 'scheduled') ?? null;

export interface GhostSignal {
  /** Meetings that passed with nothing (no agenda, no notes, never started), or were held on an empty agenda. */
  meetingIds: string[];
  /** How many of the last RECENT_HELD past meetings were ghosts. */
  recent: number;
}

/**
 * A meeting counts as passed a day after its time, so a meeting running late today is not yet a
 * ghost.
 */
export function ghostMeetings(h: HealthHistory, now: Date): GhostSignal {
  const agendas = agendaIndex(h);
  const next = nextScheduled(h);
  const hasAgenda = (m: MeetingRecord) =>
    (agendas.get(m.id)?.length ?? 0) > 0 || (m.id === next?.id && h.items.some((i) => i.meetingId === null && i.state !== 'dropped'));
  const passed = h.meetings.filter(
    (m) => m.status === 'held' || (m.status === 'scheduled' && time(m.scheduledFor) + DAY_MS <= now.getTime()),
  );
  const isGhost = (m: MeetingRecord) =>
    m.status === 'held' ? !hasAgenda(m) : !hasAgenda(m) && !m.hasNotes && m.startedAt === null && m.endedAt === null;
  const ghosts = passed.filter(isGhost);
  const recentIds = new Set(passed.slice(-RECENT_HELD).map((m) => m.id));
  return { meetingIds: ghosts.map((m) => m.id), recent: ghosts.filter((m) => recentIds.has(m.id)).length };
}

export interface CancellationSignal {
  /** Cancelled meetings in a row up to the latest past meeting. */
  currentRun: number;
  /** The longest run of cancelled meetings in a row that ended within the window. */
  longestRecentRun: number;
  /** Cancelled out of the meetings held or cancelled in the window (null: none). */
  canceledShare: number | null;
  canceled: number;
  held: number;
  /** Moves recorded in the window: counted apart, a moved meeting still happens. */
  moved: number;
}

export function cancellations(h: HealthHistory, now: Date): CancellationSignal {
  const since = now.getTime() - CANCEL_WINDOW_DAYS * DAY_MS;
  const settled = pastMeetings(h, now).filter((m) => m.status === 'held' || m.status === 'canceled');
  let run = 0;
  let longestRecentRun = 0;
  for (const m of settled) {
    run = m.status === 'canceled' ? run + 1 : 0;
    if (run > 0 && time(m.scheduledFor) >= since) longestRecentRun = Math.max(longestRecentRun, run);
  }
  const inWindow = settled.filter((m) => time(m.scheduledFor) >= since);
  const canceled = inWindow.filter((m) => m.status === 'canceled').length;
  const moved = h.changes.filter((c) => c.kind === 'moved' && time(c.at) >= since && time(c.at) <= now.getTime()).length;
  return {
    currentRun: run,
    longestRecentRun,
    canceledShare: share(canceled, inWindow.length),
    canceled,
    held: inWindow.length - canceled,
    moved,
  };
}

export interface AuthorshipSignal {
  /** Only a 1:1 with a manager in it, where both people have joined, can be a monologue. */
  applicable: boolean;
  managerId: string | null;
  /** Share of the agenda items of the last held meetings written by the manager. */
  itemShare: number | null;
  items: number;
  /** Share of their shared-notes text written by the manager (only text whose author is known). */
  notesShare: number | null;
  notesChars: number;
}

export function authorship(h: HealthHistory, now: Date): AuthorshipSignal {
  const people = Object.keys(h.people);
  const managerId = people.find((id) => h.people[id] === 'manager') ?? null;
  const applicable = h.kind !== 'peer' && managerId !== null && people.length >= 2;
  const held = recentHeld(h, now);
  const agendas = agendaIndex(h);
  const items = [...new Set(held.flatMap((m) => agendas.get(m.id) ?? []))].filter((i) => h.people[i.authorId] !== undefined);
  let notesChars = 0;
  let managerChars = 0;
  for (const m of held) {
    for (const [userId, chars] of Object.entries(m.notesBy)) {
      if (h.people[userId] === undefined) continue;
      notesChars += chars;
      if (userId === managerId) managerChars += chars;
    }
  }
  return {
    applicable,
    managerId,
    itemShare: managerId ? share(items.filter((i) => i.authorId === managerId).length, items.length) : null,
    items: items.length,
    notesShare: managerId ? share(managerChars, notesChars) : null,
    notesChars,
  };
}

export interface ReverseBriefingSignal {
  /** Share of the items discussed in the last held meetings that were status or FYI. */
  statusShare: number | null;
  discussed: number;
  status: number;
}

export function reverseBriefing(h: HealthHistory, now: Date): ReverseBriefingSignal {
  const held = new Set(recentHeld(h, now).map((m) => m.id));
  const discussed = h.items.filter((i) => i.state === 'discussed' && i.meetingId !== null && held.has(i.meetingId));
  const status = discussed.filter((i) => i.purpose === 'status').length;
  return { statusShare: share(status, discussed.length), discussed: discussed.length, status };
}

export interface PurposeRecency {
  lastDiscussedAt: string | null;
  /** Whole days since then; null when never. */
  days: number | null;
}

export interface PurposesSignal {
  byPurpose: Record<GrowthPurpose, PurposeRecency>;
  /** Days the 1:1 has existed (since its first meeting or creation). */
  age: number;
  /** A 1:1 with a manager or skip-level in it that has not talked career for CAREER_NEGLECTED_DAYS. */
  careerNeglected: boolean;
  /** Days without a career conversation, counted from the 1:1's start when there never was one. */
  careerDays: number;
}

/** When a discussed item was discussed: its own stamp, else its meeting's date. */
function discussedTime(item: ItemRecord, meetings: Map<string, MeetingRecord>): number {
  const stamped = time(item.discussedAt);
  if (!Number.isNaN(stamped)) return stamped;
  const meeting = item.meetingId ? meetings.get(item.meetingId) : undefined;
  return time(meeting?.scheduledFor);
}

const wholeDays = (ms: number) => Math.max(0, Math.floor(ms / DAY_MS));

export function startOf(h: HealthHistory): number {
  const candidates = [time(h.createdAt), ...h.meetings.slice(0, 1).map((m) => time(m.scheduledFor))].filter((t) => !Number.isNaN(t));
  return candidates.length ? Math.min(...candidates) : NaN;
}

export function purposes(h: HealthHistory, now: Date): PurposesSignal {
  const { meetings } = derived(h);
  const last = new Map<Purpose, number>();
  for (const item of h.items) {
    if (item.state !== 'discussed' || !item.purpose) continue;
    const at = discussedTime(item, meetings);
    if (Number.isNaN(at) || at > now.getTime()) continue;
    if (!(at <= (last.get(item.purpose) ?? -Infinity))) last.set(item.purpose, at);
  }
  const byPurpose = Object.fromEntries(
    GROWTH_PURPOSES.map((p) => {
      const at = last.get(p);
      return [
        p,
        at === undefined
          ? { lastDiscussedAt: null, days: null }
          : { lastDiscussedAt: new Date(at).toISOString(), days: wholeDays(now.getTime() - at) },
      ];
    }),
  ) as Record<GrowthPurpose, PurposeRecency>;
  const start = startOf(h);
  const age = Number.isNaN(start) ? 0 : wholeDays(now.getTime() - start);
  const careerDays = byPurpose.career.days ?? age;
  return { byPurpose, age, careerDays, careerNeglected: h.kind !== 'peer' && careerDays > CAREER_NEGLECTED_DAYS };
}

export interface FollowThroughSignal {
  /** Next steps with a due date that has come, or that are done. */
  due: number;
  doneOnTime: number;
  onTimeShare: number | null;
  /** Still open past their due date. */
  overdue: number;
  /** Items waiting to be discussed that were carried on STUCK_CARRIES times or more. */
  stuckItems: number;
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(at: Date | string, timeZone: string): string {
  return dateFormat(timeZone).format(typeof at === 'string' ? new Date(at) : at);
}

const formats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      format = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });
    }
    formats.set(timeZone, format);
  }
  return format;
}

export function followThrough(h: HealthHistory, now: Date): FollowThroughSignal {
  const today = localDate(now, h.timeZone);
  let due = 0;
  let doneOnTime = 0;
  let overdue = 0;
  for (const step of h.steps) {
    if (!step.due) continue;
    if (step.done) {
      due++;
      if (step.doneAt && localDate(step.doneAt, h.timeZone) <= step.due) doneOnTime++;
    } else if (step.due < today) {
      due++;
      overdue++;
    }
  }
  const stuckItems = h.items.filter((i) => (i.state === 'open' || i.state === 'carried') && i.carriedCount >= STUCK_CARRIES).length;
  return { due, doneOnTime, onTimeShare: share(doneOnTime, due), overdue, stuckItems };
}

export interface PreparationSignal {
  /** Items on the agenda of the last held meetings. */
  items: number;
  /** Of them, holding context that was written before the meeting started. */
  prepared: number;
  preparedShare: number | null;
  /** Prepared items by who wrote their context. */
  byAuthor: Record<string, number>;
  /** Items with context but no record of when it was written (see `preparation`). */
  estimated: number;
}

/**
 * An item was prepared when the context it holds was begun before its meeting started (or its
 * time, if nobody started it): the `contextAt` stamp the commands write. Items written before
 * the stamp existed have context but no time for it; they are judged as before, by when the item
 * was added, credited to its author, and counted in `estimated`.
 */
export function preparation(h: HealthHistory, now: Date): PreparationSignal {
  const agendas = agendaIndex(h);
  const byAuthor: Record<string, number> = {};
  let items = 0;
  let prepared = 0;
  let estimated = 0;
  for (const m of recentHeld(h, now)) {
    const start = time(m.startedAt ?? m.scheduledFor);
    for (const item of agendas.get(m.id) ?? []) {
      items++;
      if (!item.hasContext) continue;
      if (item.contextAt === null) estimated++;
      if (!(time(item.contextAt ?? item.createdAt) < start)) continue;
      prepared++;
      const by = item.contextBy ?? item.authorId;
      byAuthor[by] = (byAuthor[by] ?? 0) + 1;
    }
  }
  return { items, prepared, preparedShare: share(prepared, items), byAuthor, estimated };
}

export interface HealthSignals {
  ghosts: GhostSignal;
  cancellations: CancellationSignal;
  authorship: AuthorshipSignal;
  reverseBriefing: ReverseBriefingSignal;
  purposes: PurposesSignal;
  followThrough: FollowThroughSignal;
  preparation: PreparationSignal;
}

export function healthSignals(h: HealthHistory, now: Date): HealthSignals {
  return {
    ghosts: ghostMeetings(h, now),
    cancellations: cancellations(h, now),
    authorship: authorship(h, now),
    reverseBriefing: reverseBriefing(h, now),
    purposes: purposes(h, now),
    followThrough: followThrough(h, now),
    preparation: preparation(h, now),
  };
}
