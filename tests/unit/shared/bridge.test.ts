import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { TandemError } from '../../../src/shared/errors.js';
import { settleForBridge, unsettleFromBridge } from '../../../src/shared/bridge.js';
import { listAgenda, readMeta } from '../../../src/shared/domain/series-doc.js';
import { addAgendaItem } from '../../../src/shared/domain/commands.js';
import { openCore } from '../helpers/core.js';

test('calls across the Electron bridge keep their values, and their errors keep their codes', async () => {
  const { core, api } = await openCore();
  const bridged = settleForBridge(api);
  // What the bridge can carry: plain results, never a rejected TandemError.
  const missing = crypto.randomUUID();
  await expect(bridged.openSeries({ seriesId: missing })).resolves.toEqual({
    ok: false,
    code: 'not-found',
    message: expect.stringContaining(missing),
  });
  await expect(bridged.getProfile()).resolves.toEqual({ ok: true, value: await api.getProfile() });

  const page = unsettleFromBridge(bridged);
  const series = await page.createSeries({ partnerName: 'Sam', kind: 'peer' });
  expect(series).toMatchObject({ partnerName: 'Sam', kind: 'peer', openItemCount: 0 });
  expect(await page.listSeries()).toEqual(await api.listSeries());

  const replica = new Y.Doc();
  Y.applyUpdate(replica, await page.openSeries({ seriesId: series.id }));
  expect(readMeta(replica).participants[(await api.getProfile())!.id]).toMatchObject({ name: 'Dana' });
  const before = Y.encodeStateVector(replica);
  addAgendaItem(replica, { title: 'Across the bridge' }, { now: new Date(), userId: 'me' });
  await expect(page.sendDocUpdate(series.id, Y.encodeStateAsUpdate(replica, before))).resolves.toBeUndefined();
  expect(core.docs.with(series.id, listAgenda).map((i) => i.title)).toEqual(['Across the bridge']);

  const refused = await page.createSeries({ partnerName: '', kind: 'peer' }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(TandemError);
  expect(refused).toMatchObject({ code: 'invalid-input', message: 'Please enter a name.' });
  const undecodable = await page.sendDocUpdate(series.id, new Uint8Array([255, 255])).catch((e: unknown) => e);
  expect(undecodable).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/does not decode/) });
  await core.close();
});
