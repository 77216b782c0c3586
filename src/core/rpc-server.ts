/**
 * The core side of the message protocol: serves one UI session over a Port. Every message is
 * checked before it reaches the session; a bad message gets an error response when it can be
 * answered and is dropped otherwise, and never takes the core down.
 */
import { type TandemApi } from '../shared/api.js';
import { TandemError } from '../shared/errors.js';
import { FrameKind, ProtocolError, RequestMessage, decodeFrame, encodeFrame, type Port, type ResponseMessage } from '../shared/protocol.js';
import { describeZodError } from '../shared/schemas.js';

export interface ServedSession extends TandemApi {
  dispose(): void;
}

export interface RpcServerOptions {
  /** Where protocol violations are reported (they are not answered when no request id can be read). */
  onProtocolError?: (error: Error) => void;
}

function toErrorPayload(error: unknown): { code: TandemError['code']; message: string } {
  if (error instanceof TandemError) return { code: error.code, message: error.message };
  if (error instanceof ProtocolError) return { code: 'protocol', message: error.message };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

export function serveSession(port: Port, session: ServedSession, options: RpcServerOptions = {}): void {
  const reply = (message: ResponseMessage) => port.send(JSON.stringify(message));
  const fail = (id: number, error: unknown) => reply({ t: 'res', id, ok: false, error: toErrorPayload(error) });

  const offDoc = session.onDocUpdate((seriesId, payload) => port.send(encodeFrame({ kind: FrameKind.update, id: 0, seriesId, payload })));
  const offAwareness = session.onAwareness((seriesId, payload) =>
    port.send(encodeFrame({ kind: FrameKind.awareness, id: 0, seriesId, payload })),
  );
  const offEvent = session.onEvent((event) => port.send(JSON.stringify({ t: 'evt', event })));
  port.onClose(() => {
    offDoc();
    offAwareness();
    offEvent();
    session.dispose();
  });

  const handleFrame = async (data: Uint8Array) => {
    const frame = decodeFrame(data);
    if (frame.kind === FrameKind.awareness) return session.sendAwareness(frame.seriesId, frame.payload);
    if (frame.kind !== FrameKind.update) throw new ProtocolError(`a UI may not send frames of kind ${frame.kind}`);
    try {
      await session.sendDocUpdate(frame.seriesId, frame.payload);
      if (frame.id) reply({ t: 'res', id: frame.id, ok: true, result: null });
    } catch (error) {
      if (frame.id) fail(frame.id, error);
      else throw error;
    }
  };

  const handleRequest = async (text: string) => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new ProtocolError('a text message is not JSON');
    }
    const parsed = RequestMessage.safeParse(raw);
    if (!parsed.success) {
      const id = (raw as { id?: unknown } | null)?.id;
      const why = new ProtocolError(`malformed request: ${describeZodError(parsed.error)}`);
      if (typeof id === 'number' && Number.isInteger(id) && id > 0) return fail(id, why);
      throw why;
    }
    const { id, method, input } = parsed.data;
    try {
      const call = session[method] as (input: unknown) => Promise<unknown>;
      const result = await call.call(session, input);
      if (result instanceof Uint8Array) {
        port.send(encodeFrame({ kind: FrameKind.state, id, seriesId: (input as { seriesId: string }).seriesId, payload: result }));
      } else {
        reply({ t: 'res', id, ok: true, result: result ?? null });
      }
    } catch (error) {
      fail(id, error);
    }
  };

  port.onMessage((message) => {
    const handled = typeof message === 'string' ? handleRequest(message) : handleFrame(message);
    handled.catch((error: unknown) => options.onProtocolError?.(error instanceof Error ? error : new Error(String(error))));
  });
}
