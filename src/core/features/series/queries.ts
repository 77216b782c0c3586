/** Reads of the 1:1 list, from the projection (never from the documents). */
import type { SeriesSummary } from '../../../shared/api.js';
import { TandemError } from '../../../shared/errors.js';
import { CadencePattern, Role, SeriesKind } from '../../../shared/schemas.js';
import { SeriesState } from '../../../shared/domain/series-doc.js';
import type { CoreServices } from '../context.js';

export async function listSeries(core: CoreServices): Promise<SeriesSummary[]> {
  await core.flushProjection();
  const rows = await core.db
    .selectFrom('series')
    .selectAll()
    .orderBy((eb) => eb.fn.coalesce('next_meeting_at', eb.val('9999')))
    .orderBy('partner_name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: SeriesKind.parse(r.kind),
    // Rows projected before cadences had patterns hold `monthly`.
    cadence: CadencePattern.catch('monthly-nth-weekday').parse(r.cadence),
    title: r.title,
    state: SeriesState.parse(r.state),
    partnerName: r.partner_name,
    myRole: Role.parse(r.my_role),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    nextMeetingAt: r.next_meeting_at,
    openItemCount: r.open_item_count,
  }));
}

/** One 1:1 of the list, which must be there (it was just created or joined). */
export async function seriesSummary(core: CoreServices, seriesId: string): Promise<SeriesSummary> {
  const found = (await listSeries(core)).find((s) => s.id === seriesId);
  if (!found) throw new TandemError('internal', `the 1:1 ${seriesId} did not reach the list`);
  return found;
}

export async function seriesExists(core: CoreServices, seriesId: string): Promise<boolean> {
  const row = await core.db
    .selectFrom('docs')
    .select('doc_id')
    .where('doc_id', '=', seriesId)
    .where('kind', '=', 'series')
    .executeTakeFirst();
  return row !== undefined;
}

export async function requireSeries(core: CoreServices, seriesId: string): Promise<void> {
  if (!(await seriesExists(core, seriesId)))
    throw new TandemError('not-found', `This 1:1 is not on this device (it may have been removed): ${seriesId}.`);
}
