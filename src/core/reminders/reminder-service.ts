/**
 * Reminders before each 1:1 and the nudge about next steps without an owner or due date. The
 * decision is schedule.ts's; this gathers its facts (the list tables for when, the document for
 * what a notification says), records each delivery before telling anyone, and checks again at the
 * next due time — at most every 30 s, so a sleeping laptop, a changed clock or a moved meeting is
 * seen within that. The desktop shell only shows what it is told (the `reminder` event).
 */
import type * as Y from 'yjs';
import { readSettings } from '../../shared/app-settings.js';
import type { ReminderNotice } from '../../shared/api.js';
import { isOpenItem } from '../../shared/domain/series-doc.js';
import { listNextSteps, meetingAgenda, readMeetingState } from '../../shared/domain/meetings.js';
import type { Logger } from '../../node/log.js';
import type { CoreServices } from '../features/context.js';
import { seriesNudgeLine } from '../features/insights/queries.js';
import { SETTINGS_KEY } from '../features/settings/handlers.js';
import {
  dueReminders,
  nextDueAt,
  pruneDelivered,
  reminderText,
  REMINDER_WINDOW_MS,
  type HeldMeeting,
  type Reminder,
  type ReminderFacts,
  type UpcomingMeeting,
} from './schedule.js';

export const DELIVERED_KEY = 'reminders-delivered';
const POLL_MS = 30_000;
const DAY = 24 * 3600_000;

/** Open next steps made in the meeting that lack an owner or a due date. */
export function stepsLacking(doc: Y.Doc, meetingId: string): number {
  return listNextSteps(doc).filter((s) => s.meetingId === meetingId && !s.done && (!s.ownerId || !s.due)).length;
}

export class ReminderService {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly core: CoreServices,
    private readonly deliver: (notice: ReminderNotice) => void,
    private readonly log: Logger,
  ) {}

  /** Checks now and keeps checking until stopped. */
  start(): void {
    this.stopped = false;
    if (this.timer === null) this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Shows what is due at the core's clock now; one check at a time. Returns what it delivered. */
  check(): Promise<ReminderNotice[]> {
    const next = this.running.then(() => this.checkOnce());
    this.running = next.catch(() => undefined);
    return next;
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.check()
        .catch((error: unknown) => this.log.warn({ error: (error as Error).message }, 'reminder check failed'))
        .then(() => this.scheduleNext());
    }, delay);
    this.timer.unref?.();
  }

  private async scheduleNext(): Promise<void> {
    if (this.stopped) return;
    const now = this.core.now();
    const { settings, upcoming, held } = await this.facts(now);
    const next = nextDueAt(now, settings, upcoming, held);
    if (!this.stopped) this.schedule(Math.max(0, Math.min(POLL_MS, next === null ? POLL_MS : next - now.getTime())));
  }

  private async facts(now: Date) {
    const settings = readSettings(await this.core.readSetting(SETTINGS_KEY));
    await this.core.flushProjection();
    const rows = await this.core.db
      .selectFrom('meetings')
      .innerJoin('series', 'series.id', 'meetings.series_id')
      .select(['meetings.series_id', 'meetings.id', 'meetings.scheduled_for', 'meetings.status', 'series.partner_name'])
      .where('series.state', '=', 'active')
      .where('meetings.status', 'in', ['scheduled', 'held'])
      .execute();
    const t = now.getTime();
    const upcoming: UpcomingMeeting[] = [];
    const heldRows: typeof rows = [];
    for (const r of rows) {
      const at = Date.parse(r.scheduled_for);
      if (r.status === 'scheduled' && at > t && at - t <= REMINDER_WINDOW_MS)
        upcoming.push({ seriesId: r.series_id, meetingId: r.id, scheduledFor: r.scheduled_for });
      // Held meetings of the last two days, and any held ahead of their date: the list table has no end time.
      if (r.status === 'held' && at >= t - 2 * DAY) heldRows.push(r);
    }
    const held: HeldMeeting[] = [];
    for (const r of heldRows) {
      const fact = this.core.docs.with(r.series_id, (doc) => ({
        endedAt: readMeetingState(doc, r.id)?.endedAt ?? null,
        stepsLacking: stepsLacking(doc, r.id),
      }));
      if (fact.endedAt) held.push({ seriesId: r.series_id, meetingId: r.id, endedAt: fact.endedAt, stepsLacking: fact.stepsLacking });
    }
    const partners = new Map(rows.map((r) => [r.series_id, r.partner_name]));
    return { settings, upcoming, held, partners };
  }

  private async checkOnce(): Promise<ReminderNotice[]> {
    const now = this.core.now();
    const { settings, upcoming, held, partners } = await this.facts(now);
    const delivered = (await this.core.readSetting(DELIVERED_KEY)) as Record<string, string> | undefined;
    const record = pruneDelivered(typeof delivered === 'object' && delivered !== null ? delivered : {}, now);
    const due = dueReminders(now, settings, upcoming, held, new Set(Object.keys(record)));
    if (due.length === 0) return [];
    // Recorded before anyone is told: a crash between the two loses a reminder, never repeats one.
    for (const r of due) record[r.key] = now.toISOString();
    await this.core.writeSetting(DELIVERED_KEY, record);
    const notices = await Promise.all(due.map((r) => this.notice(r, partners.get(r.seriesId) ?? '', upcoming, held, now)));
    for (const n of notices) this.deliver(n);
    return notices;
  }

  private async notice(
    r: Reminder,
    partnerName: string,
    upcoming: UpcomingMeeting[],
    held: HeldMeeting[],
    now: Date,
  ): Promise<ReminderNotice> {
    const facts: ReminderFacts = { partnerName };
    if (r.kind === 'next-steps') facts.stepsLacking = held.find((m) => m.meetingId === r.meetingId)?.stepsLacking ?? 0;
    else {
      facts.scheduledFor = upcoming.find((m) => m.meetingId === r.meetingId)?.scheduledFor;
      const open = this.core.docs.with(r.seriesId, (doc) => meetingAgenda(doc, r.meetingId).filter(isOpenItem));
      facts.items = open.length;
      facts.withoutContext = open.filter((i) => i.context.trim() === '').length;
      facts.nudge = await seriesNudgeLine(this.core, r.seriesId);
    }
    return { ...r, ...reminderText(r, facts, now) };
  }
}
