/**
 * Health insights, computed here on the device from the 1:1's own documents and handed only to
 * this device's windows: never written to a document, never sent to the relay.
 */
import { z } from 'zod';
import { activeDismissals, Dismissals } from '../../../shared/insights/dismissals.js';
import { assessHealth, nudgeFlag, nudgeText, type HealthReport } from '../../../shared/insights/flags.js';
import { archiveDocId, archivedYears } from '../../../shared/domain/archive.js';
import { perspective, readMeta } from '../../../shared/domain/series-doc.js';
import {
  combineHistories,
  HEALTH_READ_VERSION,
  HealthHistorySchema,
  readHealthHistory,
  readSeriesFacts,
  SeriesFactsSchema,
  type HealthHistory,
  type SeriesFacts,
} from '../../../shared/insights/history.js';
import type { SeriesHealthReport } from '../../../shared/insights/report.js';
import type { CoreServices } from '../context.js';

export const DISMISSALS_SETTING = 'insights.dismissedNudges';

export async function readDismissals(core: CoreServices): Promise<Dismissals> {
  return Dismissals.parse(await core.readSetting(DISMISSALS_SETTING));
}

/**
 * Reading five years of a 1:1 takes milliseconds, loading an archive year more, and the overview
 * computes every 1:1 again whenever one changes. So each document's part of a history is kept
 * (core.healthParts: in memory, and on this device's disk across restarts) under the document's
 * version (DocAccess.version: it changes with every update, deletions included, whether made here,
 * synced from the other person or re-homed into an archive) and the read's version: an unchanged
 * document is neither loaded nor read again. An archive's part also depends on what its series
 * document tells of it (SeriesFacts: people, time zone, who wrote the notes), so it is kept under
 * those too, and is read without the series document loaded.
 */
interface SeriesPart {
  history: HealthHistory;
  /** The archived years the series' index names, oldest first. */
  years: number[];
  facts: SeriesFacts;
}
const SeriesPartSchema: z.ZodType<SeriesPart> = z.object({
  history: HealthHistorySchema,
  years: z.array(z.number().int()),
  facts: SeriesFactsSchema,
});

interface Joined {
  parts: HealthHistory[];
  history: HealthHistory;
}
/** The last whole history joined, by the series part's own history (a new one whenever the series document changes). */
const joined = new WeakMap<HealthHistory, Joined>();

function seriesPart(core: CoreServices, seriesId: string): SeriesPart {
  const key = JSON.stringify([HEALTH_READ_VERSION, core.docs.version(seriesId)]);
  return core.healthParts.get(seriesId, key, SeriesPartSchema, () =>
    core.docs.with(seriesId, (series) => {
      const facts = readSeriesFacts(series);
      return { history: readHealthHistory(series, facts), years: archivedYears(series).reverse(), facts };
    }),
  );
}

/**
 * The history in each archive document the series' index names, oldest year first. A year named
 * there whose document has not arrived yet (the other person moved it, sync is on its way) is
 * left out until it does.
 */
function archiveParts(core: CoreServices, seriesId: string, series: SeriesPart): HealthHistory[] {
  const facts = JSON.stringify(series.facts);
  const parts: HealthHistory[] = [];
  for (const year of series.years) {
    const id = archiveDocId(seriesId, year);
    const version = core.docs.version(id);
    if (version === null) continue;
    const key = JSON.stringify([HEALTH_READ_VERSION, version, facts]);
    parts.push(
      core.healthParts.get(id, key, HealthHistorySchema, () => core.docs.with(id, (archive) => readHealthHistory(archive, series.facts))),
    );
  }
  return parts;
}

/** The whole history of one 1:1: its series document joined with its archive documents. */
export function seriesHistory(core: CoreServices, seriesId: string): HealthHistory {
  const series = seriesPart(core, seriesId);
  const parts = archiveParts(core, seriesId, series);
  const last = joined.get(series.history);
  if (last && sameParts(last.parts, parts)) return last.history;
  const history = combineHistories(series.history, ...parts);
  joined.set(series.history, { parts, history });
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
