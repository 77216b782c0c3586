/**
 * The y-websocket wire format (y-protocols sync + awareness, lib0 varints), parsed strictly.
 * Everything a client sends is decoded in full here, updates included (Y.decodeUpdate), before
 * any of it touches a room: y-protocols' own reader applies updates as it reads them, so a
 * malformed one could half-apply and be persisted, and checked for nesting Yjs cannot handle.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { NestingTooDeep, checkNesting } from '../src/node/docstore/nesting.js';
import { MESSAGE_STATE_VECTOR } from '../src/shared/relay-protocol.js';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

/** WebSocket close codes (RFC 6455 §7.4.1) the relay uses for a client's fault. */
export const Close = {
  goingAway: 1001,
  unsupportedData: 1003,
  invalidPayload: 1007,
  policyViolation: 1008,
  internalError: 1011,
  tryAgainLater: 1013,
} as const;

export class ProtocolViolation extends Error {
  override name = 'ProtocolViolation';

  constructor(
    readonly code: number,
    message: string,
    /** The message carried a document update that did not decode. */
    readonly updateRejected = false,
  ) {
    super(message);
  }
}

export type ClientMessage =
  | { kind: 'sync-step1'; stateVector: Uint8Array }
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'query-awareness' }
  | { kind: 'query-state-vector' };

function invalid(what: string, error: unknown, updateRejected = false): ProtocolViolation {
  return new ProtocolViolation(Close.invalidPayload, `${what}: ${error instanceof Error ? error.message : String(error)}`, updateRejected);
}

/** Checks an awareness update's structure: clients, clocks and JSON states. */
function checkAwareness(update: Uint8Array): void {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  for (let i = 0; i < count; i++) {
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    const state = decoding.readVarString(decoder);
    try {
      JSON.parse(state);
    } catch {
      // JSON.parse quotes the text in its message, and a client's text never reaches the log.
      throw new Error('a presence state is not JSON');
    }
  }
}

function parseSync(decoder: decoding.Decoder, doc: Y.Doc | null): ClientMessage {
  const type = decoding.readVarUint(decoder);
  const payload = decoding.readVarUint8Array(decoder);
  switch (type) {
    case SYNC_STEP1:
      try {
        Y.decodeStateVector(payload);
      } catch (error) {
        throw invalid('malformed state vector', error);
      }
      return { kind: 'sync-step1', stateVector: payload };
    case SYNC_STEP2:
    case SYNC_UPDATE:
      try {
        checkNesting(Y.decodeUpdate(payload), doc);
      } catch (error) {
        throw invalid(error instanceof NestingTooDeep ? 'update refused' : 'malformed update', error, true);
      }
      return { kind: 'update', update: payload };
    default:
      throw new ProtocolViolation(Close.unsupportedData, `unknown sync message type ${type}`);
  }
}

/** Parses a message for the room holding `doc`, against which updates are checked (nesting.ts; without it, from the update alone). */
export function parseClientMessage(bytes: Uint8Array, doc: Y.Doc | null = null): ClientMessage {
  const decoder = decoding.createDecoder(bytes);
  let type: number;
  try {
    type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC:
        return parseSync(decoder, doc);
      case MESSAGE_AWARENESS: {
        const update = decoding.readVarUint8Array(decoder);
        checkAwareness(update);
        return { kind: 'awareness', update };
      }
      case MESSAGE_QUERY_AWARENESS:
        return { kind: 'query-awareness' };
      case MESSAGE_STATE_VECTOR:
        return { kind: 'query-state-vector' };
    }
  } catch (error) {
    if (error instanceof ProtocolViolation) throw error;
    throw invalid('malformed message', error);
  }
  throw new ProtocolViolation(Close.unsupportedData, `unknown message type ${type}`);
}

function message(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export const syncStep1Message = (doc: Y.Doc): Uint8Array =>
  message(MESSAGE_SYNC, (e) => {
    encoding.writeVarUint(e, SYNC_STEP1);
    encoding.writeVarUint8Array(e, Y.encodeStateVector(doc));
  });

export const syncStep2Message = (doc: Y.Doc, stateVector: Uint8Array): Uint8Array =>
  message(MESSAGE_SYNC, (e) => {
    encoding.writeVarUint(e, SYNC_STEP2);
    encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(doc, stateVector));
  });

/** The answer to Tandem's state-vector query: proof of everything the room has stored. */
export const stateVectorMessage = (doc: Y.Doc): Uint8Array =>
  message(MESSAGE_STATE_VECTOR, (e) => encoding.writeVarUint8Array(e, Y.encodeStateVector(doc)));

export const updateMessage = (update: Uint8Array): Uint8Array =>
  message(MESSAGE_SYNC, (e) => {
    encoding.writeVarUint(e, SYNC_UPDATE);
    encoding.writeVarUint8Array(e, update);
  });

export const awarenessMessage = (awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array =>
  message(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients)));
