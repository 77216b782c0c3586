/**
 * Private notes: a local-only document per 1:1 (shared/domain/private-notes.ts), opened by a
 * window like a series (its state, then frames tagged with its id) and closed with closeSeries.
 */
import { PRIVATE_DOC_KIND, privateDocId } from '../../../shared/domain/private-notes.js';
import { SeriesRef } from '../../../shared/schemas.js';
import { handler } from '../define.js';
import { requireSeries } from '../series/queries.js';

export const privateNotesHandlers = {
  /** Loads (creating on first use) the private notes of a 1:1 and returns their state as one update. */
  openPrivateNotes: handler(SeriesRef, async ({ core, session }, { seriesId }) => {
    await requireSeries(core, seriesId);
    const docId = privateDocId(seriesId);
    const exists = await core.db.selectFrom('docs').select('doc_id').where('doc_id', '=', docId).executeTakeFirst();
    if (!exists) {
      core.docs.create(docId, PRIVATE_DOC_KIND);
      core.docs.release(docId);
    }
    return session.open(docId);
  }),
};
