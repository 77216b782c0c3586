import { expect, test } from 'vitest';
import { TandemError } from '../../../src/shared/errors.js';
import { settleForBridge, unsettleFromBridge } from '../../../src/shared/bridge.js';
import { openCore } from '../helpers/core.js';

test('calls across the Electron bridge keep their values, and their errors keep their codes', async () => {
  const { core, api } = await openCore();
  const bridged = settleForBridge(api);
  // What the bridge can carry: plain results, never a rejected TandemError.
  await expect(bridged.openSeries({ seriesId: crypto.randomUUID() })).resolves.toMatchObject({ ok: false, code: 'not-found' });

  const page = unsettleFromBridge(bridged);
  const series = await page.createSeries({ partnerName: 'Sam', kind: 'peer' });
  expect((await page.listSeries()).map((s) => s.id)).toEqual([series.id]);
  expect(await page.openSeries({ seriesId: series.id })).toBeInstanceOf(Uint8Array);
  const refused = await page.createSeries({ partnerName: '', kind: 'peer' }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(TandemError);
  expect(refused).toMatchObject({ code: 'invalid-input', message: 'Please enter a name.' });
  await core.close();
});
