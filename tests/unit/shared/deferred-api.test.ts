import { expect, test, vi } from 'vitest';
import type { TandemApi, TandemEvent } from '../../../src/shared/api.js';
import { deferredApi } from '../../../src/shared/deferred-api.js';
import { listAgenda } from '../../../src/shared/domain/series-doc.js';
import { createPortPair } from '../../../src/shared/protocol.js';
import { createRpcClient } from '../../../src/shared/rpc-client.js';
import { serveSession } from '../../../src/core/rpc-server.js';
import { openCore } from '../helpers/core.js';

/** A real core behind the real protocol client, made only when `load` is called. */
async function servedCore() {
  const opened = await openCore();
  let loads = 0;
  const load = async (): Promise<TandemApi> => {
    loads++;
    const [uiSide, coreSide] = createPortPair();
    serveSession(coreSide, opened.core.connect());
    return createRpcClient(uiSide);
  };
  return { ...opened, load, loads: () => loads };
}

test('the client loads on the first call, once, and calls made before it loaded reach the core in the order they were made', async () => {
  const { core, load, loads } = await servedCore();
  const api = deferredApi(load);
  expect(loads()).toBe(0);

  const series = await api.createSeries({ partnerName: 'Sam', kind: 'peer' });
  const titles = ['first', 'second', 'third', 'fourth'];
  await Promise.all(titles.map((title) => api.addAgendaItem({ seriesId: series.id, title })));
  expect(loads()).toBe(1);
  expect(core.docs.with(series.id, listAgenda).map((i) => i.title)).toEqual(titles);
  await expect(api.createSeries({ partnerName: '', kind: 'peer' })).rejects.toMatchObject({ code: 'invalid-input' });
  await core.close();
});

test('listeners added before the client loads hear its events; one removed before it loaded hears nothing', async () => {
  const { core, load } = await servedCore();
  const api = deferredApi(load);
  const kept: TandemEvent[] = [];
  const removed: TandemEvent[] = [];
  api.onEvent((e) => kept.push(e));
  api.onEvent((e) => removed.push(e))();

  await api.updateSettings({ theme: 'dark' });
  await vi.waitFor(() => expect(kept).toContainEqual(expect.objectContaining({ type: 'settings-changed' })));
  expect(removed).toEqual([]);
  await core.close();
});

test('a client that cannot load fails every call with the reason and tells listeners the connection is lost', async () => {
  const api = deferredApi(() => Promise.reject(new Error('the page could not load its connection')));
  const events: TandemEvent[] = [];
  api.onEvent((e) => events.push(e));
  await expect(api.getProfile()).rejects.toThrow('the page could not load its connection');
  await vi.waitFor(() => expect(events).toEqual([{ type: 'connection-lost' }]));
});
