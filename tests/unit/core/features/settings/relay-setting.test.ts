import { afterEach, describe, expect, test } from 'vitest';
import { openCore } from '../../../helpers/core.js';
import { relay } from '../../sync/sync-fixtures.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('the relay setting', () => {
  test('clearing the relay stops sharing new 1:1s through it, even the command line default, and says how many stay shared', async () => {
    const r = await relay();
    cleanup.push(() => r.stop());
    const { core, api, dataDir } = await openCore({ defaultRelay: { url: r.url } });
    cleanup.push(() => core.close());
    expect(await api.getRelay()).toEqual({ url: r.url });
    const shared = await api.createSeries({ partnerName: 'Sam', kind: 'peer' });
    await api.createInvite({ seriesId: shared.id });

    expect(await api.clearRelay()).toEqual({ stillShared: 1 });
    expect(await api.getRelay()).toBeNull();
    const local = await api.createSeries({ partnerName: 'Ann', kind: 'peer' });
    await expect(api.createInvite({ seriesId: local.id })).rejects.toMatchObject({
      code: 'invalid-input',
      message: 'Set a relay in Settings before inviting someone: the invite tells their Tandem where to find this 1:1.',
    });
    // The 1:1 shared before keeps its relay.
    expect((await api.createInvite({ seriesId: shared.id })).code).toBeTruthy();
    expect((await api.getSyncState({ seriesId: shared.id })).status).not.toBe('local');

    // Cleared stays cleared after a restart, and setting one again works.
    await core.close();
    cleanup.pop();
    const reopened = await openCore({ dataDir, defaultRelay: { url: r.url } });
    cleanup.push(() => reopened.core.close());
    expect(await reopened.api.getRelay()).toBeNull();
    expect(await reopened.api.setRelay({ url: r.url })).toEqual({ url: r.url });
    expect(await reopened.api.getRelay()).toEqual({ url: r.url });
  });
});
