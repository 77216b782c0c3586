/**
 * Health insights, computed here on the device from the 1:1's own documents and handed only to
 * this device's windows: never written to a document, never sent to the relay.
 */
import type * as Y from 'yjs';
import { activeDismissals, Dismissals } from '../../../shared/insights/dismissals.js';
import { assessHealth, nudgeFlag, nudgeText, type HealthReport } from '../../../shared/insights/flags.js';
import { archiveDocId, archivedYears } from '../../../shared/domain/archive.js';
import { metaMap, notesAuthorsMap, perspective, readMeta } from '../../../shared/domain/series-doc.js';
import { combineHistories, readHealthHistory, type HealthHistory } from '../../../shared/insights/history.js';
import type { SeriesHealthReport } from '../../../shared/insights/report.js';
import type { CoreServices } from '../context.js';

export const DISMISSALS_SETTING = 'insights.dismissedNudges';

export async function readDismissals(core: CoreServices): Promise<Dismissals> {
  return Dismissals.parse(await core.readSetting(DISMISSALS_SETTING));
}

/** The whole history of one 1:1: its series document joined with its archive documents. */
export function seriesHistory(core: CoreServices, seriesId: string): HealthHistory {
  return core.docs.with(seriesId, (series) => {
    const own = cachedHistory(series, series);
    const parts = readArchives(core, seriesId, series);
    const last = combined.get(series);
    if (last && last.own === own && sameParts(last.parts, parts)) return last.history;
    const history = combineHistories(own, ...parts);
    combined.set(series, { own, parts, history });
    return history;
  });
}

/**
 * The history in each archive document the series' index names, oldest year first. A year named
 * there whose document has not arrived yet (the other person moved it, sync is on its way) is
 * left out until it does.
 */
export function archivedHistories(core: CoreServices, seriesId: string): HealthHistory[] {
  return core.docs.with(seriesId, (series) => readArchives(core, seriesId, series));
}

function readArchives(core: CoreServices, seriesId: string, series: Y.Doc): HealthHistory[] {
  return archivedYears(series)
    .reverse()
    .map((year) => archiveDocId(seriesId, year))
    .filter((id) => core.docs.exists(id))
    .map((id) => core.docs.with(id, (archive) => cachedHistory(archive, series)));
}

/**
 * Reading a five-year history takes milliseconds per 1:1 and the overview reads every 1:1 again
 * whenever one changes: each loaded document's history is kept until the document changes (or,
 * for an archive, what its series document tells of it: the people and who wrote the notes), and a 1:1's joined
 * history until one of its parts is read anew.
 */
const histories = new WeakMap<Y.Doc, HealthHistory>();
function cachedHistory(doc: Y.Doc, series: Y.Doc): HealthHistory {
  let history = histories.get(doc);
  if (!history) {
    history = readHealthHistory(doc, series);
    const fromSeries = series === doc ? [] : [metaMap(series), notesAuthorsMap(series)];
    const onSeries = (transaction: Y.Transaction) => {
      if (fromSeries.some((type) => transaction.changedParentTypes.has(type as never))) forget();
    };
    const forget = () => {
      histories.delete(doc);
      doc.off('update', forget);
      doc.off('destroy', forget);
      series.off('afterTransaction', onSeries);
    };
    doc.on('update', forget);
    // An archive unloaded before it changed: its series stops holding it.
    doc.on('destroy', forget);
    if (fromSeries.length) series.on('afterTransaction', onSeries);
    histories.set(doc, history);
  }
  return history;
}

const combined = new WeakMap<Y.Doc, { own: HealthHistory; parts: HealthHistory[]; history: HealthHistory }>();
const sameParts = (a: HealthHistory[], b: HealthHistory[]) => a.length === b.length && a.every((h, i) => h === b[i]);

export function seriesHealth(core: CoreServices, seriesId: string): HealthReport {
  return assessHealth(seriesHistory(core, seriesId), core.now());
}

/** A 1:1's health with the names an export needs. */
export function seriesHealthReport(core: CoreServices, seriesId: string): SeriesHealthReport {
  const report = seriesHealth(core, seriesId);
  const meta = core.docs.with(seriesId, readMeta);
  return {
    seriesId,
    title: meta.title || perspective(meta, core.currentProfile?.id ?? '').partnerName,
    kind: meta.kind,
    people: Object.fromEntries(Object.entries(meta.participants).map(([id, p]) => [id, { name: p.name, role: p.role }])),
    report,
  };
}

/**
 * The one line a reminder before the next meeting shows, e.g. "No career conversation in 4 months —
 * add a question?": the heaviest flag the user has not dismissed, or null.
 */
export async function seriesNudgeLine(core: CoreServices, seriesId: string): Promise<string | null> {
  const flag = nudgeFlag(seriesHealth(core, seriesId), activeDismissals(await readDismissals(core), seriesId, core.now()));
  return flag ? nudgeText(flag) : null;
}
