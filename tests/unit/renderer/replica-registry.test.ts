/**
 * The registry keeps one replica per 1:1 and closes it in the core only when nobody has used it
 * for a tick, and never while it holds edits the core refused. Against the real core.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { serveSession } from '../../../src/core/rpc-server.js';
import { ReplicaRegistry } from '../../../src/renderer/replica/replica-registry.js';
import { createPortPair } from '../../../src/shared/protocol.js';
import { createRpcClient, type RpcClient } from '../../../src/shared/rpc-client.js';
import { listAgenda } from '../../../src/shared/domain/series-doc.js';
import { addAgendaItem } from '../../../src/shared/domain/commands.js';
import { openCore } from '../helpers/core.js';

const user = { name: 'Dana', color: '#2f5fd0' };
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const { core, api: session } = await openCore();
  cleanups.push(() => core.close());
  const [ui, coreSide] = createPortPair();
  serveSession(coreSide, core.connect());
  const api: RpcClient = createRpcClient(ui);
  cleanups.push(() => api.close());
  const { id } = await session.createSeries({ partnerName: 'Sam', kind: 'peer' });
  const opened: string[] = [];
  const closed: string[] = [];
  const counting = {
    ...api,
    openSeries: (i: { seriesId: string }) => (opened.push(i.seriesId), api.openSeries(i)),
    closeSeries: (i: { seriesId: string }) => (closed.push(i.seriesId), api.closeSeries(i)),
  };
  return { core, api, counting, id, opened, closed };
}

describe('ReplicaRegistry', () => {
  it('reuses the replica when a screen unmounts and mounts again at once (StrictMode)', async () => {
    const { counting, id, opened, closed } = await setup();
    const registry = new ReplicaRegistry(counting, 'me');
    const first = registry.acquire(id, user);
    registry.release(first);
    const second = registry.acquire(id, user);
    expect(second).toBe(first);
    // The registry closes on a zero-delay timer; one queued after it runs only once it has run.
    await new Promise((r) => setTimeout(r, 0));
    expect(registry.acquire(id, user)).toBe(first);
    await first.ready;
    expect(opened).toEqual([id]);
    expect(closed).toEqual([]);
    registry.release(first);
    registry.release(second);
  });

  it('closes the series in the core once the last user released it', async () => {
    const { counting, id, closed } = await setup();
    const registry = new ReplicaRegistry(counting, 'me');
    const replica = registry.acquire(id, user);
    await replica.ready;
    registry.release(replica);
    await vi.waitFor(() => expect(closed).toEqual([id]));
    expect(registry.acquire(id, user)).not.toBe(replica);
  });

  it('keeps a replica whose edits the core refused, so leaving the 1:1 loses nothing typed', async () => {
    const { core, api, counting, id } = await setup();
    const notices: unknown[] = [];
    const registry = new ReplicaRegistry(counting, 'me', (e) => notices.push(e));
    const replica = registry.acquire(id, user);
    await replica.ready;
    await api.closeSeries({ seriesId: id }); // the core no longer takes this window's edits
    addAgendaItem(replica.doc, { title: 'Typed but refused' }, { now: new Date(), userId: 'me' });
    await vi.waitFor(() => expect(replica.saveState.error).toMatchObject({ code: 'invalid-input' }));

    registry.release(replica);
    await vi.waitFor(() => expect(notices).toHaveLength(1));
    const again = registry.acquire(id, user);
    expect(again).toBe(replica);
    expect(listAgenda(again.doc).map((i) => i.title)).toContain('Typed but refused');
    expect(core.docs.with(id, listAgenda)).toEqual([]);
  });
});
