/**
 * Agenda changes made without a replica (tray quick-add, the command line). Windows edit their
 * replica with the same domain commands and send the updates.
 */
import { addAgendaItem } from '../../../shared/domain/commands.js';
import { AddAgendaItemInput } from '../../../shared/schemas.js';
import { handler } from '../define.js';
import { requireSeries } from '../series/queries.js';

export const agendaHandlers = {
  addAgendaItem: handler(AddAgendaItemInput, async ({ core }, { seriesId, ...item }) => {
    const me = core.requireProfile();
    await requireSeries(core, seriesId);
    const id = core.docs.with(seriesId, (doc) => addAgendaItem(doc, item, { now: core.now(), userId: me.id }));
    return { id };
  }),
};
