/**
 * The UI side of the message protocol: a TandemApi over any Port. The Electron preload bridge
 * and the web shell client are both this, each on its own transport.
 */
import type { EventListener, FrameListener, OperationName, OperationsApi, TandemApi, TandemEvent } from './api.js';
import { TandemError } from './errors.js';
import { CoreMessage, FrameKind, decodeFrame, encodeFrame, type Port } from './protocol.js';
import { OPERATION_NAMES } from './operations.js';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export interface RpcClient extends TandemApi {
  /** Rejects every pending call; later calls fail at once. */
  close(): void;
}

export function createRpcClient(port: Port): RpcClient {
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, Pending>();
  const frameListeners = new Set<FrameListener>();
  const awarenessListeners = new Set<FrameListener>();
  const eventListeners = new Set<EventListener>();

  const failAll = (why: string) => {
    closed = true;
    for (const p of pending.values()) p.reject(new TandemError('protocol', why));
    pending.clear();
  };

  port.onClose(() => {
    failAll('the connection to the Tandem core closed');
    for (const l of eventListeners) l({ type: 'connection-lost' });
  });
  port.onMessage((message) => {
    if (typeof message !== 'string') {
      const frame = decodeFrame(message);
      if (frame.kind === FrameKind.state) {
        pending.get(frame.id)?.resolve(frame.payload);
        pending.delete(frame.id);
      } else {
        const listeners = frame.kind === FrameKind.update ? frameListeners : awarenessListeners;
        for (const l of listeners) l(frame.seriesId, frame.payload);
      }
      return;
    }
    const parsed = CoreMessage.safeParse(JSON.parse(message));
    if (!parsed.success) return;
    const msg = parsed.data;
    if (msg.t === 'evt') {
      for (const l of eventListeners) l(msg.event as TandemEvent);
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new TandemError(msg.error.code, msg.error.message));
  });

  const track = <T>(id: number, send: () => void): Promise<T> => {
    if (closed) return Promise.reject(new TandemError('protocol', 'the connection to the Tandem core is closed'));
    const done = new Promise<T>((resolve, reject) => pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
    send();
    return done;
  };
  const call = <T>(method: OperationName, input?: unknown): Promise<T> => {
    const id = nextId++;
    return track<T>(id, () => port.send(JSON.stringify({ t: 'req', id, method, input })));
  };

  return {
    ...(Object.fromEntries(OPERATION_NAMES.map((method) => [method, (input?: unknown) => call(method, input)])) as OperationsApi),
    sendDocUpdate(seriesId, update) {
      const id = nextId++;
      return track<void>(id, () => port.send(encodeFrame({ kind: FrameKind.update, id, seriesId, payload: update })));
    },
    onDocUpdate(listener) {
      frameListeners.add(listener);
      return () => void frameListeners.delete(listener);
    },
    sendAwareness(seriesId, update) {
      if (!closed) port.send(encodeFrame({ kind: FrameKind.awareness, id: 0, seriesId, payload: update }));
    },
    onAwareness(listener) {
      awarenessListeners.add(listener);
      return () => void awarenessListeners.delete(listener);
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => void eventListeners.delete(listener);
    },
    close() {
      failAll('the connection to the Tandem core is closed');
      port.close();
    },
  };
}
