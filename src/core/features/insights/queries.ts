/**
 * Health insights, computed here on the device from the 1:1's own documents and handed only to
 * this device's windows: never written to a document, never sent to the relay.
 */
import type * as Y from 'yjs';
import { activeDismissals, Dismissals } from '../../../shared/insights/dismissals.js';
import { assessHealth, nudgeFlag, nudgeText, type HealthReport } from '../../../shared/insights/flags.js';
import { readHealthHistory, type HealthHistory } from '../../../shared/insights/history.js';
import type { CoreServices } from '../context.js';

export const DISMISSALS_SETTING = 'insights.dismissedNudges';

export async function readDismissals(core: CoreServices): Promise<Dismissals> {
  return Dismissals.parse(await core.readSetting(DISMISSALS_SETTING));
}

/**
 * The whole history of one 1:1. Held meetings kept in other documents (archives) are read with
 * readHealthHistory too and joined here: combineHistories(series, ...archives).
 */
export function seriesHistory(core: CoreServices, seriesId: string): HealthHistory {
  return core.docs.with(seriesId, cachedHistory);
}

/**
 * Reading a five-year history takes milliseconds per 1:1 and the overview reads every 1:1 again
 * whenever one changes: each loaded document's history is kept until the document changes.
 */
const histories = new WeakMap<Y.Doc, HealthHistory>();
function cachedHistory(doc: Y.Doc): HealthHistory {
  let history = histories.get(doc);
  if (!history) {
    history = readHealthHistory(doc);
    doc.once('update', () => histories.delete(doc));
    histories.set(doc, history);
  }
  return history;
}

export function seriesHealth(core: CoreServices, seriesId: string): HealthReport {
  return assessHealth(seriesHistory(core, seriesId), core.now());
}

/**
 * The one line a reminder before the next meeting shows, e.g. "No career conversation in 4 months —
 * add a question?": the heaviest flag the user has not dismissed, or null.
 */
export async function seriesNudgeLine(core: CoreServices, seriesId: string): Promise<string | null> {
  const flag = nudgeFlag(seriesHealth(core, seriesId), activeDismissals(await readDismissals(core), seriesId, core.now()));
  return flag ? nudgeText(flag) : null;
}
