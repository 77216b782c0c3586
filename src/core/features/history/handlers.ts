/**
 * History: the archive documents of a 1:1 (shared/domain/archive.ts), one per year, opened by a
 * window only when it shows that year, like a series (its state, then frames tagged with its id),
 * and closed with closeSeries.
 */
import { ArchiveRef } from '../../../shared/schemas.js';
import { handler } from '../define.js';
import { requireSeries } from '../series/queries.js';

export const historyHandlers = {
  /** Loads a year of archived meetings and returns its state as one update; an archive not here yet comes empty and fills by sync. */
  openArchive: handler(ArchiveRef, async ({ core, session }, { seriesId, year }) => {
    await requireSeries(core, seriesId);
    const id = core.archives.ensure(seriesId, year);
    core.sync.syncArchives(seriesId, [year]);
    return session.open(id);
  }),
};
