/**
 * Health insights, computed here on the device from the 1:1's own documents and handed only to
 * this device's windows: never written to a document, never sent to the relay.
 */
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

/**
 * Reading five years of a 1:1 takes milliseconds, loading an archive year more, and the overview
 * computes every 1:1 again whenever one changes. So each document's part of a history is kept
 * under the document's version (DocAccess.version: it changes with every update, deletions
 * included), loaded or not: an unchanged document is neither loaded nor read again, even after it
 * was unloaded. An archive's part also depends on what its series document tells of it (people,
 * time zone, who wrote the notes), so it is kept under that too. Kept per core (two cores in one
 * process hold different copies of the same documents).
 */
interface SeriesPart {
  version: string | null;
  history: HealthHistory;
  /** The archived years the series' index names, oldest first. */
  years: number[];
  /** What an archive's history takes from the series document. */
  forArchives: string;
}
interface ArchivePart {
  version: string;
  forArchives: string;
  history: HealthHistory;
}
interface Joined {
  own: HealthHistory;
  parts: HealthHistory[];
  history: HealthHistory;
}
interface HealthCache {
  series: Map<string, SeriesPart>;
  archives: Map<string, ArchivePart>;
  joined: Map<string, Joined>;
}

const caches = new WeakMap<CoreServices['docs'], HealthCache>();
function cacheOf(core: CoreServices): HealthCache {
  let cache = caches.get(core.docs);
  if (!cache) caches.set(core.docs, (cache = { series: new Map(), archives: new Map(), joined: new Map() }));
  return cache;
}

function seriesPart(core: CoreServices, seriesId: string): SeriesPart {
  const cache = cacheOf(core);
  const kept = cache.series.get(seriesId);
  if (kept && kept.version === core.docs.version(seriesId)) return kept;
  const part = core.docs.with(seriesId, (series) => ({
    version: core.docs.version(seriesId),
    history: readHealthHistory(series),
    years: archivedYears(series).reverse(),
    forArchives: JSON.stringify([metaMap(series).toJSON(), notesAuthorsMap(series).toJSON()]),
  }));
  cache.series.set(seriesId, part);
  return part;
}

/**
 * The history in each archive document the series' index names, oldest year first. A year named
 * there whose document has not arrived yet (the other person moved it, sync is on its way) is
 * left out until it does.
 */
function archiveParts(core: CoreServices, seriesId: string, series: SeriesPart): HealthHistory[] {
  const cache = cacheOf(core);
  const parts: HealthHistory[] = [];
  for (const year of series.years) {
    const id = archiveDocId(seriesId, year);
    const version = core.docs.version(id);
    if (version === null) continue;
    let kept = cache.archives.get(id);
    if (!kept || kept.version !== version || kept.forArchives !== series.forArchives) {
      const history = core.docs.with(seriesId, (doc) => core.docs.with(id, (archive) => readHealthHistory(archive, doc)));
      kept = { version, forArchives: series.forArchives, history };
      cache.archives.set(id, kept);
    }
    parts.push(kept.history);
  }
  return parts;
}

/** The whole history of one 1:1: its series document joined with its archive documents. */
export function seriesHistory(core: CoreServices, seriesId: string): HealthHistory {
  const cache = cacheOf(core);
  const series = seriesPart(core, seriesId);
  const parts = archiveParts(core, seriesId, series);
  const last = cache.joined.get(seriesId);
  if (last && last.own === series.history && sameParts(last.parts, parts)) return last.history;
  const history = combineHistories(series.history, ...parts);
  cache.joined.set(seriesId, { own: series.history, parts, history });
  return history;
}

/** The history of a 1:1's archived years, one part per year, oldest first. */
export function archivedHistories(core: CoreServices, seriesId: string): HealthHistory[] {
  return archiveParts(core, seriesId, seriesPart(core, seriesId));
}

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
