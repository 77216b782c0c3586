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
import { NestingTooDeep, checkAnchors, heldStructs, nestingAnchors, type Anchors } from '../src/node/docstore/nesting.js';
import { MESSAGE_STATE_VECTOR } from '../src/shared/relay-protocol.js';
import { countStructs } from './update-scan.js';

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
  messageTooBig: 1009,
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
  /** `structs`: how many it decoded to, the measure of the work of applying it. */
  | { kind: 'update'; update: Uint8Array; structs: number }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'query-awareness' }
  | { kind: 'query-state-vector' };

function invalid(what: string, error: unknown, updateRejected = false): ProtocolViolation {
  return new ProtocolViolation(Close.invalidPayload, `${what}: ${error instanceof Error ? error.message : String(error)}`, updateRejected);
}

/** Who pays for the structs of an update (its sender): false refuses them. An object, not a callback: a closure per connection adds up. */
export interface StructBudget {
  takeStructs(structs: number): boolean;
}

const UNLIMITED: StructBudget = { takeStructs: () => true };

/** What one message may hold, whatever its sender's budget. */
export interface MessageLimits {
  /** Structs one update may decode to (300k map sets in one update kept a relay busy for seconds). */
  maxStructs: number;
  /** These are the limits of a connection past its first sync (said in the reason of a refusal). */
  synced?: boolean;
  /** Bytes of a state vector (one asking for the diff against half a million clients cost seconds). */
  maxStateVectorBytes: number;
  /** Bytes of one presence state (JSON), and presence states in one message. */
  maxPresenceBytes: number;
  maxPresenceStates: number;
}

export const DEFAULT_MESSAGE_LIMITS: MessageLimits = {
  maxStructs: 50_000,
  maxStateVectorBytes: 128 * 1024,
  maxPresenceBytes: 16 * 1024,
  maxPresenceStates: 8,
};

/** Checks an awareness update's structure: clients, clocks and JSON states, within the limits. */
function checkAwareness(update: Uint8Array, limits: MessageLimits): void {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  if (count > limits.maxPresenceStates)
    throw new ProtocolViolation(Close.policyViolation, `more than ${limits.maxPresenceStates} presence states in one message`);
  for (let i = 0; i < count; i++) {
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    const state = decoding.readVarString(decoder);
    if (state.length > limits.maxPresenceBytes)
      throw new ProtocolViolation(Close.policyViolation, `a presence state over ${limits.maxPresenceBytes} bytes`);
    try {
      JSON.parse(state);
    } catch {
      // JSON.parse quotes the text in its message, and a client's text never reaches the log.
      throw new Error('a presence state is not JSON');
    }
  }
}

function parseSync(decoder: decoding.Decoder, doc: Y.Doc | null, limits: MessageLimits, budget: StructBudget): ClientMessage {
  const type = decoding.readVarUint(decoder);
  const payload = decoding.readVarUint8Array(decoder);
  switch (type) {
    case SYNC_STEP1:
      if (payload.byteLength > limits.maxStateVectorBytes) {
        throw new ProtocolViolation(Close.policyViolation, `a state vector over ${limits.maxStateVectorBytes} bytes`);
      }
      try {
        Y.decodeStateVector(payload);
      } catch (error) {
        throw invalid('malformed state vector', error);
      }
      return { kind: 'sync-step1', stateVector: payload };
    case SYNC_STEP2:
    case SYNC_UPDATE: {
      // Counted before decoding, so neither the cap nor the sender's budget is spent on decoding first.
      const structs = countUpdate(payload, limits);
      const held = doc ? heldStructs(doc) : [];
      charge(structs, held.length, limits, budget);
      checkUpdateNesting(measureUpdate(payload, held), doc);
      return { kind: 'update', update: payload, structs };
    }
    default:
      throw new ProtocolViolation(Close.unsupportedData, `unknown sync message type ${type}`);
  }
}

function countUpdate(payload: Uint8Array, limits: MessageLimits): number {
  let structs;
  try {
    structs = countStructs(payload, limits.maxStructs);
  } catch (error) {
    throw invalid('malformed update', error, true);
  }
  if (structs > limits.maxStructs) throw tooManyStructs(limits, 0);
  return structs;
}

const tooManyStructs = (limits: MessageLimits, held: number) =>
  new ProtocolViolation(
    Close.policyViolation,
    `an update of more than ${limits.maxStructs} structs${limits.synced ? ' once synced' : ''}${held ? `: with ${held} the room holds pending` : ''}`,
    true,
  );

/**
 * Structs the room holds pending are measured again with each update (nesting.ts) and merged again
 * by Yjs: they count as part of it, which also bounds what a room can be made to hold.
 */
function charge(structs: number, held: number, limits: MessageLimits, budget: StructBudget): void {
  if (structs + held > limits.maxStructs) throw tooManyStructs(limits, held);
  if (!budget.takeStructs(structs + held)) throw new ProtocolViolation(Close.policyViolation, 'work budget exceeded', true);
}

function measureUpdate(payload: Uint8Array, held: Parameters<typeof nestingAnchors>[1]): Anchors {
  try {
    return nestingAnchors(Y.decodeUpdate(payload).structs, held);
  } catch (error) {
    throw invalid(error instanceof NestingTooDeep ? 'update refused' : 'malformed update', error, true);
  }
}

function checkUpdateNesting(anchors: Anchors, doc: Y.Doc | null): void {
  try {
    checkAnchors(anchors, doc);
  } catch (error) {
    throw invalid('update refused', error, true);
  }
}

/**
 * Whether the message is a sync step 2, a peer's answer to the relay's state vector: what it lacks
 * of the peer's document, the one update of a connection that may be a whole document. Read from
 * the first two bytes: an unusual encoding of the same numbers reads as no, the stricter answer.
 */
export const isSyncStep2 = (bytes: Uint8Array): boolean => bytes[0] === MESSAGE_SYNC && bytes[1] === SYNC_STEP2;

/** The document update a sync step 2 or update message carries, or null for any other message (or one cut short). */
export function updatePayload(bytes: Uint8Array): Uint8Array | null {
  try {
    const decoder = decoding.createDecoder(bytes);
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return null;
    const type = decoding.readVarUint(decoder);
    return type === SYNC_STEP2 || type === SYNC_UPDATE ? decoding.readVarUint8Array(decoder) : null;
  } catch {
    return null;
  }
}

/** What can be known of an update without its room: measured on a worker thread for large ones (scan-pool.ts). */
export interface ScannedUpdate {
  structs: number;
  /** Structs of `held` (the room's pending structs, as Yjs encodes them) measured with it. */
  held: number;
  anchors: Anchors;
}

/** Counts, decodes and measures an update with the room's pending structs `held`; throws a ProtocolViolation as parsing would. */
export function scanUpdate(payload: Uint8Array, held: Uint8Array | null, limits: MessageLimits): ScannedUpdate {
  const structs = countUpdate(payload, limits);
  const heldStructs = held ? (Y.decodeUpdateV2(held).structs as Parameters<typeof nestingAnchors>[1]) : [];
  return { structs, held: heldStructs.length, anchors: measureUpdate(payload, heldStructs) };
}

/**
 * The update message of a scanned update, once charged to its sender and checked against the
 * room's document (which must hold the same pending structs as when it was scanned).
 */
export function admitScanned(
  payload: Uint8Array,
  scan: ScannedUpdate,
  doc: Y.Doc,
  limits: MessageLimits,
  budget: StructBudget,
): ClientMessage {
  charge(scan.structs, scan.held, limits, budget);
  checkUpdateNesting(scan.anchors, doc);
  return { kind: 'update', update: payload, structs: scan.structs };
}

/**
 * Parses a message for the room holding `doc`, against which updates are checked (nesting.ts;
 * without it, from the update alone). `budget` is asked for an update's structs before it is
 * decoded, and refusing them refuses the message.
 */
export function parseClientMessage(
  bytes: Uint8Array,
  doc: Y.Doc | null = null,
  limits: MessageLimits = DEFAULT_MESSAGE_LIMITS,
  budget: StructBudget = UNLIMITED,
): ClientMessage {
  const decoder = decoding.createDecoder(bytes);
  let type: number;
  try {
    type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC:
        return parseSync(decoder, doc, limits, budget);
      case MESSAGE_AWARENESS: {
        const update = decoding.readVarUint8Array(decoder);
        checkAwareness(update, limits);
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

/** Written straight into a buffer of its size: it is made for every update forwarded. */
export function updateMessage(update: Uint8Array): Uint8Array {
  let lengthBytes = 1;
  for (let n = update.byteLength; n > 0x7f; n >>>= 7) lengthBytes++;
  const out = new Uint8Array(2 + lengthBytes + update.byteLength);
  out[0] = MESSAGE_SYNC;
  out[1] = SYNC_UPDATE;
  let at = 2;
  let n = update.byteLength;
  for (; n > 0x7f; n >>>= 7) out[at++] = 0x80 | (n & 0x7f);
  out[at++] = n;
  out.set(update, at);
  return out;
}

export const awarenessMessage = (awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array =>
  message(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients)));
