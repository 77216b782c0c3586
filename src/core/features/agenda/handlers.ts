/**
 * Agenda changes made without a replica (tray quick-add, the command line). Windows edit their
 * replica with the same domain commands and send the updates.
 */
import type * as Y from 'yjs';
import { nextOccurrence } from '../../../shared/domain/cadence.js';
import { addAgendaItem } from '../../../shared/domain/commands.js';
import { plannedMeetingId } from '../../../shared/domain/series-commands.js';
import { nextMeeting, readMeta } from '../../../shared/domain/series-doc.js';
import { TandemError } from '../../../shared/errors.js';
import { matchTargets, parseQuickAdd, QuickAddInput, type QuickAddChoice, type QuickAddResult } from '../../../shared/quick-add.js';
import { AddAgendaItemInput } from '../../../shared/schemas.js';
import type { CoreServices } from '../context.js';
import { handler, NoInput } from '../define.js';
import { requireSeries } from '../series/queries.js';

/** When each 1:1 last received a quick-added item: the window offers the last one used first. */
const RECENT_SETTING = 'quick-add-recent';
/** Recency of a 1:1 used for quick add: above any last-change time, so used ones come first. */
const USED = 1e15;

async function recentUse(core: CoreServices): Promise<Record<string, string>> {
  const stored = await core.readSetting(RECENT_SETTING);
  return typeof stored === 'object' && stored !== null ? (stored as Record<string, string>) : {};
}

/**
 * The 1:1s a line can go to (not ended ones), most recent first: those used for quick-add by when,
 * then the others by their last change. Read from the list table as it is: a name changed in the
 * last few milliseconds is not worth waiting for the projection on every keystroke's save.
 */
async function quickAddChoices(core: CoreServices): Promise<QuickAddChoice[]> {
  const [rows, recent] = await Promise.all([
    core.db.selectFrom('series').select(['id', 'partner_name', 'title', 'updated_at']).where('state', '!=', 'ended').execute(),
    recentUse(core),
  ]);
  return rows
    .map((r) => ({
      id: r.id,
      partnerName: r.partner_name,
      title: r.title,
      names: [r.partner_name, r.title],
      recency: recent[r.id] ? USED + Date.parse(recent[r.id]!) : Date.parse(r.updated_at),
    }))
    .sort((a, b) => b.recency - a.recency);
}

/** The meeting an item goes to: the next one (null: "the next meeting"), or the one after it. */
function targetMeeting(doc: Y.Doc, afterNext: boolean): { meetingId: string | null; meetingAt: string | null } {
  const next = nextMeeting(doc);
  if (!afterNext) return { meetingId: null, meetingAt: next?.scheduledFor ?? null };
  if (!next)
    throw new TandemError('invalid-input', 'This 1:1 has no meeting planned, so there is no meeting after the next: leave out >>.');
  const from = Math.max(Date.parse(next.scheduledFor), next.slot ? Date.parse(next.slot) : 0);
  const date = nextOccurrence(readMeta(doc).cadence, new Date(from));
  // Planned meetings get their id from their date, so the item is already on that meeting's agenda when it is planned.
  return { meetingId: plannedMeetingId(date), meetingAt: date.toISOString() };
}

export const agendaHandlers = {
  addAgendaItem: handler(AddAgendaItemInput, async ({ core }, { seriesId, ...item }) => {
    const me = core.requireProfile();
    await requireSeries(core, seriesId);
    const id = core.docs.with(seriesId, (doc) => addAgendaItem(doc, item, { now: core.now(), userId: me.id }));
    return { id };
  }),
  quickAddChoices: handler(NoInput, async ({ core }) => quickAddChoices(core)),
  /**
   * Adds a quick-add line to a 1:1: the one chosen, else the one `@name` matches best, else the
   * last one used. Stored before the answer, whether the relay is reachable or not.
   */
  quickAdd: handler(QuickAddInput, async ({ core }, { line, seriesId }): Promise<QuickAddResult> => {
    const me = core.requireProfile();
    const parsed = parseQuickAdd(line);
    if (!parsed.ok) throw new TandemError('invalid-input', parsed.message);
    const { who, title, purpose, async, afterNext } = parsed.line;
    const choices = await quickAddChoices(core);
    let target: QuickAddChoice | undefined;
    if (seriesId) {
      target = choices.find((c) => c.id === seriesId);
      if (!target) throw new TandemError('not-found', 'That 1:1 is not on this device or has ended.');
    } else if (who !== null) {
      target = choices.find((c) => c.id === who) ?? matchTargets(who, choices)[0];
      if (!target) throw new TandemError('not-found', `No 1:1 matches @${who}: check the name, or pick the 1:1 from the list.`);
    } else {
      target = choices[0];
      if (!target) throw new TandemError('not-found', 'Create a 1:1 first: there is nowhere to add this yet.');
    }
    const { id, partnerName } = target;
    const added = core.docs.with(id, (doc) => {
      const meeting = targetMeeting(doc, afterNext);
      const itemId = addAgendaItem(
        doc,
        { title, async, meetingId: meeting.meetingId, ...(purpose ? { purpose } : {}) },
        { now: core.now(), userId: me.id },
      );
      return { itemId, meetingAt: meeting.meetingAt };
    });
    // Adding again to the 1:1 used last changes no order: the second durable write is spared.
    const usedLast = choices[0]?.id === id && choices[0].recency >= USED;
    if (!usedLast) await core.writeSetting(RECENT_SETTING, { ...(await recentUse(core)), [id]: core.now().toISOString() });
    return { seriesId: id, partnerName, title, ...added };
  }),
};
