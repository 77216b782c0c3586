/**
 * The contract across Electron's contextBridge. The bridge copies only an error's message, so a
 * TandemError's code would be lost on the way to the page. The preload therefore exposes the
 * contract with every call settled into a plain result, and the page turns it back into the
 * contract, rethrowing TandemErrors with their codes. Everything else crosses unchanged.
 */
import { type TandemApi } from './api.js';
import { TandemError, type ErrorCode } from './errors.js';
import { ASYNC_METHODS, STREAM_METHODS, type AsyncMethod } from './operations.js';

type Settled<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

type Fn = (...args: never[]) => Promise<unknown>;

export type BridgedApi = Omit<TandemApi, AsyncMethod> & {
  [K in AsyncMethod]: (...args: Parameters<TandemApi[K]>) => Promise<Settled<Awaited<ReturnType<TandemApi[K]>>>>;
};

/** Preload side: every call resolves, with its value or its error's code and message. */
export function settleForBridge(api: TandemApi): BridgedApi {
  const bridged: Record<string, unknown> = {};
  for (const name of STREAM_METHODS) bridged[name] = (api[name] as (...args: never[]) => unknown).bind(api);
  for (const name of ASYNC_METHODS) {
    const method = (api[name] as unknown as Fn).bind(api);
    bridged[name] = async (...args: never[]) => {
      try {
        return { ok: true, value: await method(...args) };
      } catch (error) {
        const e = error instanceof TandemError ? error : new TandemError('internal', String((error as Error)?.message ?? error));
        return { ok: false, code: e.code, message: e.message };
      }
    };
  }
  return bridged as BridgedApi;
}

/** Page side: the contract again, rejecting with TandemErrors that keep their codes. */
export function unsettleFromBridge(bridged: BridgedApi): TandemApi {
  const api: Record<string, unknown> = { ...bridged };
  for (const name of ASYNC_METHODS) {
    const method = bridged[name] as unknown as (...args: never[]) => Promise<Settled<unknown>>;
    api[name] = async (...args: never[]) => {
      const result = await method(...args);
      if (result.ok) return result.value;
      throw new TandemError(result.code, result.message);
    };
  }
  return api as unknown as TandemApi;
}
