import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { listAgenda } from '../../../src/shared/domain/series-doc.js';
import { addAgendaItem } from '../../../src/shared/domain/commands.js';
import { openCore } from '../helpers/core.js';

test('a 1:1 reopened before its earlier close arrives stays open for the window', async () => {
  const { core, api } = await openCore();
  const { id } = await api.createSeries({ partnerName: 'Sam', kind: 'peer' });
  const replica = new Y.Doc();
  Y.applyUpdate(replica, await api.openSeries({ seriesId: id }));
  Y.applyUpdate(replica, await api.openSeries({ seriesId: id }));
  await api.closeSeries({ seriesId: id }); // the first view's late close

  const heard: Uint8Array[] = [];
  api.onDocUpdate((seriesId, update) => seriesId === id && heard.push(update));
  await api.addAgendaItem({ seriesId: id, title: 'From the tray' });
  expect(heard).toHaveLength(1);
  let update: Uint8Array | undefined;
  replica.once('update', (u: Uint8Array) => (update = u));
  addAgendaItem(replica, { title: 'Typed in the view' }, { now: new Date(), userId: 'me' });
  await api.sendDocUpdate(id, update!);
  expect(core.docs.with(id, listAgenda).map((i) => i.title)).toContain('Typed in the view');

  await api.closeSeries({ seriesId: id });
  await expect(api.sendDocUpdate(id, update!)).rejects.toMatchObject({ code: 'invalid-input' });
  await core.close();
});
