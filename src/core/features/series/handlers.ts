/** 1:1s: the list, creating one, and opening one in a window. */
import { addDays, isWeekend, set as setTime } from 'date-fns';
import { z } from 'zod';
import type { SeriesSummary } from '../../../shared/api.js';
import { cadenceFrom, deviceTimeZone, nextOccurrence } from '../../../shared/domain/cadence.js';
import { createSeries } from '../../../shared/domain/commands.js';
import { DocId, privateDocId } from '../../../shared/domain/private-notes.js';
import { CreateSeriesInput, SeriesRef, type Role } from '../../../shared/schemas.js';
import { NoInput, handler } from '../define.js';
import { listSeries, requireSeries, seriesSummary } from './queries.js';

/** The next weekday at 10:00 local time: a sensible first slot when the user gives none. */
export function defaultFirstMeeting(now: Date): string {
  let day = addDays(now, 1);
  while (isWeekend(day)) day = addDays(day, 1);
  return setTime(day, { hours: 10, minutes: 0, seconds: 0, milliseconds: 0 }).toISOString();
}

export const seriesHandlers = {
  listSeries: handler(NoInput, async ({ core }) => {
    const list = await listSeries(core);
    core.listed();
    return list;
  }),

  createSeries: handler(CreateSeriesInput, async ({ core }, input): Promise<SeriesSummary> => {
    const me = core.requireProfile();
    const myRole: Role = input.kind === 'peer' ? 'peer' : input.myRole!;
    const partnerRole: Role = myRole === 'peer' ? 'peer' : myRole === 'manager' ? 'report' : 'manager';
    const now = core.now();
    const firstMeeting = input.firstMeetingAt
      ? new Date(input.firstMeetingAt)
      : input.cadence
        ? nextOccurrence(input.cadence, now)
        : new Date(defaultFirstMeeting(now));
    const id = crypto.randomUUID();
    const doc = core.docs.create(id, 'series');
    try {
      createSeries(
        doc,
        {
          kind: input.kind,
          cadence: input.cadence ?? cadenceFrom('weekly', firstMeeting, deviceTimeZone()),
          me: { name: me.name, role: myRole },
          partner: { name: input.partnerName, role: partnerRole },
          firstMeetingAt: firstMeeting.toISOString(),
        },
        { now, userId: me.id },
      );
    } finally {
      core.docs.release(id);
    }
    return seriesSummary(core, id);
  }),

  /** Deletes the 1:1 from this device only; the other person keeps their copy (see CoreServices.removeSeries). */
  removeSeries: handler(SeriesRef, async ({ core, session }, { seriesId }): Promise<void> => {
    await requireSeries(core, seriesId);
    session.close(seriesId);
    session.close(privateDocId(seriesId));
    await core.removeSeries(seriesId);
  }),

  /** Loads the series document and returns its full state as one Yjs update; frames follow. */
  openSeries: handler(SeriesRef, async ({ core, session }, { seriesId }) => {
    await requireSeries(core, seriesId);
    return session.open(seriesId);
  }),

  /** Closes a series or its private notes (whichever document id the window opened). */
  closeSeries: handler(z.object({ seriesId: DocId }).strict(), async ({ session }, { seriesId }): Promise<void> => session.close(seriesId)),
};
