/** Next steps across every 1:1, from the projection: the list of what is still to be done. */
import { NoInput, handler } from '../define.js';

export interface OpenNextStep {
  seriesId: string;
  id: string;
  text: string;
  /** '' when nobody owns it yet. */
  ownerId: string;
  due: string | null;
  meetingId: string | null;
  partnerName: string;
  /** Owned by me (true), by the other person (false), or by nobody yet (null). */
  mine: boolean | null;
}

export const nextStepsHandlers = {
  /** Every open next step of every 1:1, soonest due first, those without a date last. */
  listNextSteps: handler(NoInput, async ({ core }): Promise<OpenNextStep[]> => {
    const me = core.requireProfile();
    await core.flushProjection();
    const rows = await core.db
      .selectFrom('actions')
      .innerJoin('series', 'series.id', 'actions.series_id')
      .select([
        'actions.series_id',
        'actions.id',
        'actions.text',
        'actions.owner_id',
        'actions.due',
        'actions.meeting_id',
        'series.partner_name',
      ])
      .where('actions.done', '=', 0)
      .orderBy((eb) => eb.fn.coalesce('actions.due', eb.val('9999')))
      .orderBy('series.partner_name')
      .orderBy('actions.id')
      .execute();
    return rows.map((r) => ({
      seriesId: r.series_id,
      id: r.id,
      text: r.text,
      ownerId: r.owner_id,
      due: r.due,
      meetingId: r.meeting_id,
      partnerName: r.partner_name,
      mine: r.owner_id === '' ? null : r.owner_id === me.id,
    }));
  }),
};
