/**
 * The relay's strict reading of the y-websocket wire format: every message a client sends is
 * decoded in full, and each way of being wrong has its own close code.
 */
import * as encoding from 'lib0/encoding';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { Close, ProtocolViolation, parseClientMessage } from '../../../server/protocol.js';
import { MESSAGE_STATE_VECTOR } from '../../../src/shared/relay-protocol.js';
import { halfValidUpdate } from '../helpers/updates.js';

function message(...parts: (number | Uint8Array | string)[]): Uint8Array {
  const e = encoding.createEncoder();
  for (const p of parts) {
    if (typeof p === 'number') encoding.writeVarUint(e, p);
    else if (typeof p === 'string') encoding.writeVarString(e, p);
    else encoding.writeVarUint8Array(e, p);
  }
  return encoding.toUint8Array(e);
}

function awareness(...states: [client: number, clock: number, json: string][]): Uint8Array {
  return message(states.length, ...states.flat());
}

function violation(bytes: Uint8Array): ProtocolViolation {
  try {
    parseClientMessage(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolViolation);
    expect((error as ProtocolViolation).name).toBe('ProtocolViolation');
    return error as ProtocolViolation;
  }
  throw new Error('the message was accepted');
}

const someUpdate = () => {
  const doc = new Y.Doc();
  doc.getText('notes').insert(0, 'hello');
  return Y.encodeStateAsUpdate(doc);
};

describe('parseClientMessage', () => {
  test('reads each kind of message a client may send', () => {
    const doc = new Y.Doc();
    const update = someUpdate();
    const stateVector = Y.encodeStateVector(doc);
    expect(parseClientMessage(message(0, 0, stateVector))).toEqual({ kind: 'sync-step1', stateVector });
    expect(parseClientMessage(message(0, 1, update))).toEqual({ kind: 'update', update });
    expect(parseClientMessage(message(0, 2, update))).toEqual({ kind: 'update', update });
    const presence = awareness([7, 1, '{"user":{"name":"Ada"}}'], [8, 2, 'null']);
    expect(parseClientMessage(message(1, presence))).toEqual({ kind: 'awareness', update: presence });
    expect(parseClientMessage(message(3))).toEqual({ kind: 'query-awareness' });
    expect(parseClientMessage(message(MESSAGE_STATE_VECTOR))).toEqual({ kind: 'query-state-vector' });
  });

  test('an unknown message or sync type is unsupported data (1003), naming the type', () => {
    expect(violation(message(0x7f))).toMatchObject({
      code: Close.unsupportedData,
      message: 'unknown message type 127',
      updateRejected: false,
    });
    expect(violation(message(0, 9, new Uint8Array()))).toMatchObject({
      code: Close.unsupportedData,
      message: 'unknown sync message type 9',
      updateRejected: false,
    });
  });

  test('an update that does not decode in full is an invalid payload (1007) and counts as a rejected update', () => {
    for (const update of [Uint8Array.of(255, 255, 255), someUpdate().subarray(0, 8), halfValidUpdate(someUpdate())]) {
      for (const type of [1, 2]) {
        expect(violation(message(0, type, update))).toMatchObject({
          code: Close.invalidPayload,
          message: expect.stringMatching(/^malformed update: ./),
          updateRejected: true,
        });
      }
    }
  });

  test('a state vector that does not decode is an invalid payload (1007), not a rejected update', () => {
    expect(violation(message(0, 0, Uint8Array.of(5, 0xff)))).toMatchObject({
      code: Close.invalidPayload,
      message: expect.stringMatching(/^malformed state vector: ./),
      updateRejected: false,
    });
  });

  test('a message cut short or a malformed presence is an invalid payload (1007)', () => {
    for (const bytes of [new Uint8Array(), message(0), message(0, 2), Uint8Array.of(0, 2, 10, 1)]) {
      expect(violation(bytes)).toMatchObject({ code: Close.invalidPayload, message: expect.stringMatching(/^malformed message: ./) });
    }
    for (const presence of [awareness([1, 1, '{not json']), message(2, 1, 1, '{}'), Uint8Array.of(0xff)]) {
      expect(violation(message(1, presence))).toMatchObject({
        code: Close.invalidPayload,
        message: expect.stringMatching(/^malformed message: ./),
        updateRejected: false,
      });
    }
  });
});
