/**
 * The one message protocol between a UI and the core, whatever carries it (an Electron
 * MessagePort, the web shell's WebSocket, an in-memory pair in tests).
 *
 * Text messages are JSON: requests, responses and events. Yjs data travels as binary frames so
 * that a keystroke costs a few bytes, not a base64 JSON envelope:
 *
 *   byte 0      kind   (FrameKind)
 *   bytes 1-4   id     request id, big-endian; 0 when no answer is wanted
 *   byte 5      n      length of the series id
 *   bytes 6..   series id (ASCII), then the Yjs payload
 *
 * A doc-update frame with a non-zero id is answered with a JSON response of that id once stored.
 * `openSeries` is answered with a `state` frame carrying its request id.
 */
import { z } from 'zod';
import { OPERATION_NAMES } from './operations.js';

export const FrameKind = { update: 1, awareness: 2, state: 3 } as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

export interface Frame {
  kind: FrameKind;
  id: number;
  seriesId: string;
  payload: Uint8Array;
}

const HEADER = 6;
const MAX_ID = 0xffffffff;

export function encodeFrame(frame: Frame): Uint8Array {
  const sid = new TextEncoder().encode(frame.seriesId);
  if (sid.length > 255) throw new Error('series id too long for a frame');
  const out = new Uint8Array(HEADER + sid.length + frame.payload.length);
  const view = new DataView(out.buffer);
  view.setUint8(0, frame.kind);
  view.setUint32(1, frame.id);
  view.setUint8(5, sid.length);
  out.set(sid, HEADER);
  out.set(frame.payload, HEADER + sid.length);
  return out;
}

/** Decodes a binary frame; throws a ProtocolError describing what is wrong with it. */
export function decodeFrame(data: Uint8Array): Frame {
  if (data.length < HEADER) throw new ProtocolError(`binary frame of ${data.length} bytes is shorter than its header`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const kind = view.getUint8(0);
  if (kind !== FrameKind.update && kind !== FrameKind.awareness && kind !== FrameKind.state) {
    throw new ProtocolError(`unknown frame kind ${kind}`);
  }
  const id = view.getUint32(1);
  const n = view.getUint8(5);
  if (data.length < HEADER + n) throw new ProtocolError('binary frame is shorter than its series id');
  const seriesId = new TextDecoder().decode(data.subarray(HEADER, HEADER + n));
  return { kind, id, seriesId, payload: data.slice(HEADER + n) };
}

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

export const OperationNameSchema = z.enum(OPERATION_NAMES, { message: 'unknown method' });

const RequestId = z.number().int().min(1).max(MAX_ID);

export const RequestMessage = z
  .object({ t: z.literal('req'), id: RequestId, method: OperationNameSchema, input: z.unknown().optional() })
  .strict();
export type RequestMessage = z.infer<typeof RequestMessage>;

export const ErrorPayload = z.object({
  code: z.enum(['invalid-input', 'not-found', 'storage', 'offline', 'protocol', 'internal']),
  message: z.string(),
});

export const ResponseMessage = z.discriminatedUnion('ok', [
  z.object({ t: z.literal('res'), id: RequestId, ok: z.literal(true), result: z.unknown() }),
  z.object({ t: z.literal('res'), id: RequestId, ok: z.literal(false), error: ErrorPayload }),
]);
export type ResponseMessage = z.infer<typeof ResponseMessage>;

export const EventMessage = z.object({ t: z.literal('evt'), event: z.object({ type: z.string() }).passthrough() });
export type EventMessage = z.infer<typeof EventMessage>;

export const CoreMessage = z.union([ResponseMessage, EventMessage]);

/** What carries messages: anything that can send text and bytes and report what arrives. */
export interface Port {
  send(message: string | Uint8Array): void;
  onMessage(handler: (message: string | Uint8Array) => void): void;
  onClose(handler: () => void): void;
  close(): void;
}

/** Two connected in-memory ports, delivering asynchronously and copying bytes like a real transport. */
export function createPortPair(): [Port, Port] {
  type Side = { handlers: ((m: string | Uint8Array) => void)[]; closeHandlers: (() => void)[]; closed: boolean };
  const sides: [Side, Side] = [
    { handlers: [], closeHandlers: [], closed: false },
    { handlers: [], closeHandlers: [], closed: false },
  ];
  const make = (self: Side, other: Side): Port => ({
    send(message) {
      if (self.closed) return;
      const copy = typeof message === 'string' ? message : message.slice();
      queueMicrotask(() => {
        if (!other.closed) for (const h of other.handlers) h(copy);
      });
    },
    onMessage: (h) => void self.handlers.push(h),
    onClose: (h) => void self.closeHandlers.push(h),
    close() {
      for (const side of sides) {
        if (side.closed) continue;
        side.closed = true;
        queueMicrotask(() => side.closeHandlers.forEach((h) => h()));
      }
    },
  });
  return [make(sides[0], sides[1]), make(sides[1], sides[0])];
}
