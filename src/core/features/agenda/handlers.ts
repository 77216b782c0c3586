/**
 * Agenda changes made without a replica (tray quick-add, the command line). Windows edit their
 * replica with the same domain commands and send the updates.
 */
import type * as Y from 'yjs';
import { addAgendaItem } from '../../../shared/domain/commands.js';
import { aimAtLaterMeeting, laterMeetings, type LaterMeeting } from '../../../shared/domain/series-commands.js';
import { nextMeeting } from '../../../shared/domain/series-doc.js';
import { TandemError } from '../../../shared/errors.js';
import { matchTargets, parseQuickAdd, type QuickAddChoice, type QuickAddResult } from '../../../shared/quick-add.js';
import { AddAgendaItemInput, QuickAddInput } from '../../../shared/schemas.js';
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

/** The meeting after the next one, planned from the cadence if it is not yet (it then shows in the 1:1 at once). */
function meetingAfterNext(doc: Y.Doc, now: Date): LaterMeeting {
  const later = laterMeetings(doc, 1, now)[0];
  if (!later) throw new TandemError('invalid-input', 'This 1:1 has no meeting planned after the next one: leave out >>.');
  return later;
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
      const ctx = { now: core.now(), userId: me.id };
      const later = afterNext ? meetingAfterNext(doc, ctx.now) : null;
      const itemId = addAgendaItem(doc, { title, async, ...(purpose ? { purpose } : {}) }, ctx);
      if (later) aimAtLaterMeeting(doc, { itemId, meeting: later }, ctx);
      return { itemId, meetingAt: later ? later.scheduledFor : (nextMeeting(doc)?.scheduledFor ?? null) };
    });
    // Adding again to the 1:1 used last changes no order: the second durable write is spared.
    const usedLast = choices[0]?.id === id && choices[0].recency >= USED;
    if (!usedLast) await core.writeSetting(RECENT_SETTING, { ...(await recentUse(core)), [id]: core.now().toISOString() });
    return { seriesId: id, partnerName, title, ...added };
  }),
};
