/**
 * The contract over a client that is loaded on the first call instead of with the page. Loading the
 * web shell's client means loading zod and building the protocol's schemas (its answers are
 * validated as they arrive); a page that must show something first, such as the quick-add input,
 * starts that after its first paint instead of before. Calls and subscriptions made meanwhile
 * reach the client in the order they were made.
 */
import type { EventListener, FrameListener, TandemApi, Unsubscribe } from './api.js';
import { ASYNC_METHODS } from './operations.js';

export function deferredApi(load: () => Promise<TandemApi>): TandemApi {
  let loading: Promise<TandemApi> | null = null;
  const client = () => (loading ??= load());
  /** `failed`: what the listener hears when the client never loads (the same as a lost connection). */
  const subscribe =
    <L>(on: (api: TandemApi, listener: L) => Unsubscribe, failed?: (listener: L) => void) =>
    (listener: L): Unsubscribe => {
      let live = true;
      let off: Unsubscribe | null = null;
      void client().then(
        (api) => {
          if (live) off = on(api, listener);
        },
        () => {
          if (live) failed?.(listener);
        },
      );
      return () => {
        live = false;
        off?.();
      };
    };
  const api: Record<string, unknown> = {};
  for (const name of ASYNC_METHODS)
    api[name] = (...args: never[]) => client().then((c) => (c[name] as (...a: never[]) => Promise<unknown>)(...args));
  const stream: Pick<TandemApi, 'sendAwareness' | 'onDocUpdate' | 'onAwareness' | 'onEvent'> = {
    sendAwareness: (seriesId, update) =>
      void client().then(
        (c) => c.sendAwareness(seriesId, update),
        () => undefined,
      ),
    onDocUpdate: subscribe<FrameListener>((c, l) => c.onDocUpdate(l)),
    onAwareness: subscribe<FrameListener>((c, l) => c.onAwareness(l)),
    onEvent: subscribe<EventListener>(
      (c, l) => c.onEvent(l),
      (l) => l({ type: 'connection-lost' }),
    ),
  };
  return Object.assign(api, stream) as unknown as TandemApi;
}
