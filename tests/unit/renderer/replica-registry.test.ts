/** The registry keeps one replica per series and closes it only when nobody has used it for a tick. */
import { describe, expect, it, vi } from 'vitest';
import type { TandemApi } from '../../../src/shared/api.js';
import { ReplicaRegistry } from '../../../src/renderer/replica/replica-registry.js';

const SERIES = '00000000-0000-4000-8000-000000000001';
const user = { name: 'Dana', color: '#2f5fd0' };

function fakeApi() {
  return {
    openSeries: vi.fn(async () => new Uint8Array([0, 0])),
    closeSeries: vi.fn(async () => undefined),
    sendDocUpdate: vi.fn(async () => undefined),
    sendAwareness: vi.fn(),
    onDocUpdate: vi.fn(() => () => undefined),
    onAwareness: vi.fn(() => () => undefined),
  };
}

describe('ReplicaRegistry', () => {
  it('reuses the replica when a screen unmounts and mounts again at once (StrictMode)', async () => {
    const api = fakeApi();
    const registry = new ReplicaRegistry(api as unknown as TandemApi);

    const first = registry.acquire(SERIES, user);
    registry.release(first);
    const second = registry.acquire(SERIES, user);
    await new Promise((r) => setTimeout(r, 5));

    expect(second).toBe(first);
    expect(api.openSeries).toHaveBeenCalledTimes(1);
    expect(api.closeSeries).not.toHaveBeenCalled();
    registry.release(second);
  });

  it('closes the series in the core once the last user released it', async () => {
    const api = fakeApi();
    const registry = new ReplicaRegistry(api as unknown as TandemApi);

    const replica = registry.acquire(SERIES, user);
    await replica.ready;
    registry.release(replica);
    await vi.waitFor(() => expect(api.closeSeries).toHaveBeenCalledWith({ seriesId: SERIES }));

    expect(registry.acquire(SERIES, user)).not.toBe(replica);
  });
});
