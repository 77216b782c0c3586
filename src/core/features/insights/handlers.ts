/** Health insights: the overview across my 1:1s, nudges dismissed on this device, and the report exported on request. */
import { z } from 'zod';
import { Id, SeriesRef } from '../../../shared/schemas.js';
import { activeDismissals, dismiss, FlagIdSchema } from '../../../shared/insights/dismissals.js';
import { attention, nudgeFlag, type Flag, type FlagId } from '../../../shared/insights/flags.js';
import type { HealthHistory } from '../../../shared/insights/history.js';
import { healthExport, type HealthExportFile } from '../../../shared/insights/report.js';
import { NoInput, handler } from '../define.js';
import { listSeries, requireSeries } from '../series/queries.js';
import { archivedHistories, DISMISSALS_SETTING, readDismissals, seriesHealth, seriesHealthReport } from './queries.js';

export interface HealthOverviewEntry {
  seriesId: string;
  title: string;
  partnerName: string;
  nextMeetingAt: string | null;
  /** Higher needs attention sooner; the list comes sorted by it. */
  attention: number;
  flags: Flag[];
  /** The flag the next meeting's nudge shows (not dismissed), if any. */
  nudge: FlagId | null;
}

export const HealthExportInput = z
  .object({
    /** Absent: every running 1:1, as the overview lists them. */
    seriesId: Id.optional(),
    format: z.enum(['markdown', 'json']),
  })
  .strict();

export const insightsHandlers = {
  /** Every running 1:1 (ended ones left out), the one needing attention most first. */
  listHealth: handler(NoInput, async ({ core }): Promise<HealthOverviewEntry[]> => {
    const dismissals = await readDismissals(core);
    const now = core.now();
    const entries: HealthOverviewEntry[] = [];
    for (const s of await listSeries(core)) {
      if (s.state === 'ended') continue;
      const report = seriesHealth(core, s.id);
      entries.push({
        seriesId: s.id,
        title: s.title,
        partnerName: s.partnerName,
        nextMeetingAt: s.nextMeetingAt,
        attention: attention(report),
        flags: report.flags,
        nudge: nudgeFlag(report, activeDismissals(dismissals, s.id, now))?.id ?? null,
      });
    }
    return entries.sort((a, b) => b.attention - a.attention || a.partnerName.localeCompare(b.partnerName));
  }),

  /**
   * The health report the user asked to export, as one file's content for the shell to save: it
   * is written nowhere here and sent nowhere.
   */
  exportHealth: handler(HealthExportInput, async ({ core }, { seriesId, format }): Promise<HealthExportFile> => {
    if (seriesId) await requireSeries(core, seriesId);
    const ids = seriesId ? [seriesId] : (await listSeries(core)).filter((s) => s.state !== 'ended').map((s) => s.id);
    const reports = ids
      .map((id) => seriesHealthReport(core, id))
      .sort((a, b) => attention(b.report) - attention(a.report) || a.title.localeCompare(b.title));
    return healthExport(reports, core.now(), format);
  }),

  /**
   * The history of a 1:1's archived years, one part per year, for a window to join with the series
   * document it holds (combineHistories): the window need not load the archives themselves.
   */
  archivedHealth: handler(SeriesRef, async ({ core }, { seriesId }): Promise<HealthHistory[]> => {
    await requireSeries(core, seriesId);
    return archivedHistories(core, seriesId);
  }),

  /** The flags whose nudge the user dismissed for this 1:1, while the dismissal holds. */
  dismissedNudges: handler(SeriesRef, async ({ core }, { seriesId }): Promise<FlagId[]> => [
    ...activeDismissals(await readDismissals(core), seriesId, core.now()),
  ]),

  dismissNudge: handler(
    z.object({ seriesId: SeriesRef.shape.seriesId, flag: FlagIdSchema }).strict(),
    async ({ core }, { seriesId, flag }): Promise<FlagId[]> => {
      const now = core.now();
      const next = dismiss(await readDismissals(core), seriesId, flag, now);
      await core.writeSetting(DISMISSALS_SETTING, next);
      return [...activeDismissals(next, seriesId, now)];
    },
  ),
};
