/**
 * Opening a 1:1 whose stored snapshot is its whole state hands the window that snapshot without
 * the core decoding it first; the core loads its own copy right after, or at the window's first
 * message if that comes sooner.
 */
import { expect, test } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { readMeta } from '../../../src/shared/domain/series-doc.js';
import { openCore } from '../helpers/core.js';
import { until } from './sync/sync-fixtures.js';

async function storedSeries(options: { idleUnloadMs?: number } = {}) {
  const first = await openCore();
  const { id } = await first.api.createSeries({ partnerName: 'Sam', kind: 'peer' });
  await first.core.close();
  return { id, ...(await openCore({ ...options, dataDir: first.dataDir })) };
}

test('the window gets the stored snapshot before the core has loaded the 1:1, and the core holds it loaded just after', async () => {
  const { id, core, api } = await storedSeries();
  try {
    const replica = new Y.Doc();
    Y.applyUpdate(replica, await api.openSeries({ seriesId: id }));
    expect(core.docs.isLoaded(id)).toBe(false);
    expect(readMeta(replica).invitee.name).toBe('Sam');
    await until(() => core.docs.isLoaded(id), 'the core to load its copy');
    await api.closeSeries({ seriesId: id });
  } finally {
    await core.close();
  }
});

test("the window's presence, sent before the core has loaded the 1:1, is taken", async () => {
  const { id, core, api } = await storedSeries();
  try {
    const replica = new Y.Doc();
    Y.applyUpdate(replica, await api.openSeries({ seriesId: id }));
    const presence = new Awareness(replica);
    presence.setLocalState({ user: { name: 'Dana' } });
    await api.sendAwareness(id, encodeAwarenessUpdate(presence, [replica.clientID]));
    expect(core.docs.isLoaded(id)).toBe(true);
    presence.destroy();
  } finally {
    await core.close();
  }
});

test('a window closed before the core loaded its copy leaves the other window holding it loaded', async () => {
  const { id, core, api } = await storedSeries({ idleUnloadMs: 20 });
  try {
    await api.openSeries({ seriesId: id });
    await until(() => core.docs.isLoaded(id), 'the first window to hold the 1:1');
    const second = core.connect();
    await second.openSeries({ seriesId: id });
    second.dispose();
    // Ten idle periods: a release the second window never had to give would have unloaded it.
    await new Promise((r) => setTimeout(r, 200));
    expect(core.docs.isLoaded(id)).toBe(true);
  } finally {
    await core.close();
  }
});

test('a window whose session is gone when its open arrives never loads the 1:1 into a core closed meanwhile', async () => {
  const { id, core } = await storedSeries();
  const late = core.connect();
  late.dispose();
  await late.openSeries({ seriesId: id });
  await core.close();
  // The load openSeries deferred runs now; on the closed store it would throw outside any caller.
  await new Promise((r) => setImmediate(r));
  expect(core.docs.isLoaded(id)).toBe(false);
});
