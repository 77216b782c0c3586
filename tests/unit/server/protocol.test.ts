/**
 * The relay's strict reading of the y-websocket wire format: every message a client sends is
 * decoded in full, and each way of being wrong has its own close code.
 */
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { Close, DEFAULT_MESSAGE_LIMITS, ProtocolViolation, parseClientMessage, updateMessage } from '../../../server/protocol.js';
import { MESSAGE_STATE_VECTOR } from '../../../src/shared/relay-protocol.js';
import { halfValidUpdate, nestedChainUpdates } from '../helpers/updates.js';
import { awarenessUpdate, encodeMessage } from './helpers.js';

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
    expect(parseClientMessage(encodeMessage(0, 0, stateVector))).toEqual({ kind: 'sync-step1', stateVector });
    expect(parseClientMessage(encodeMessage(0, 1, update))).toEqual({ kind: 'update', update, structs: 1 });
    expect(parseClientMessage(encodeMessage(0, 2, update))).toEqual({ kind: 'update', update, structs: 1 });
    const presence = awarenessUpdate([7, 1, '{"user":{"name":"Ada"}}'], [8, 2, 'null']);
    expect(parseClientMessage(encodeMessage(1, presence))).toEqual({ kind: 'awareness', update: presence });
    expect(parseClientMessage(encodeMessage(3))).toEqual({ kind: 'query-awareness' });
    expect(parseClientMessage(encodeMessage(MESSAGE_STATE_VECTOR))).toEqual({ kind: 'query-state-vector' });
  });

  test('an unknown message or sync type is unsupported data (1003), naming the type', () => {
    expect(violation(encodeMessage(0x7f))).toMatchObject({
      code: Close.unsupportedData,
      message: 'unknown message type 127',
      updateRejected: false,
    });
    expect(violation(encodeMessage(0, 9, new Uint8Array()))).toMatchObject({
      code: Close.unsupportedData,
      message: 'unknown sync message type 9',
      updateRejected: false,
    });
  });

  test('an update that does not decode in full is an invalid payload (1007) and counts as a rejected update', () => {
    for (const update of [Uint8Array.of(255, 255, 255), someUpdate().subarray(0, 8), halfValidUpdate(someUpdate())]) {
      for (const type of [1, 2]) {
        expect(violation(encodeMessage(0, type, update))).toMatchObject({
          code: Close.invalidPayload,
          message: expect.stringMatching(/^malformed update: ./),
          updateRejected: true,
        });
      }
    }
  });

  test('a state vector that does not decode is an invalid payload (1007), not a rejected update', () => {
    expect(violation(encodeMessage(0, 0, Uint8Array.of(5, 0xff)))).toMatchObject({
      code: Close.invalidPayload,
      message: expect.stringMatching(/^malformed state vector: ./),
      updateRejected: false,
    });
  });

  test('a message cut short or a malformed presence is an invalid payload (1007)', () => {
    for (const bytes of [new Uint8Array(), encodeMessage(0), encodeMessage(0, 2), Uint8Array.of(0, 2, 10, 1)]) {
      expect(violation(bytes)).toMatchObject({ code: Close.invalidPayload, message: expect.stringMatching(/^malformed message: ./) });
    }
    for (const presence of [awarenessUpdate([1, 1, '{not json']), encodeMessage(2, 1, 1, '{}'), Uint8Array.of(0xff)]) {
      expect(violation(encodeMessage(1, presence))).toMatchObject({
        code: Close.invalidPayload,
        message: expect.stringMatching(/^malformed message: ./),
        updateRejected: false,
      });
    }
  });

  test('a presence never quotes its text in the error, which the log keeps', () => {
    expect(violation(encodeMessage(1, awarenessUpdate([1, 1, '{"name":"Ada Lovelace']))).message).not.toContain('Lovelace');
  });

  test('each message stays within the work limits: structs per update, state vector size, presence size and count (1008)', () => {
    const limits = { ...DEFAULT_MESSAGE_LIMITS, maxStructs: 10, maxStateVectorBytes: 64, maxPresenceBytes: 32, maxPresenceStates: 2 };
    const doc = new Y.Doc();
    const map = doc.getMap('m');
    for (let i = 0; i < 10; i++) map.set(`k${i}`, i);
    expect(parseClientMessage(encodeMessage(0, 2, Y.encodeStateAsUpdate(doc)), null, limits)).toMatchObject({ structs: 10 });
    map.set('k10', 10);
    expect(() => parseClientMessage(encodeMessage(0, 2, Y.encodeStateAsUpdate(doc)), null, limits)).toThrow(
      expect.objectContaining({ code: Close.policyViolation, message: 'an update of more than 10 structs', updateRejected: true }),
    );
    // Structs the room holds pending count with each update, in the cap and in the sender's budget.
    const room = new Y.Doc();
    Y.applyUpdate(room, nestedChainUpdates(2, 6)[1]!);
    const spent: number[] = [];
    const spend = { takeStructs: (structs: number) => spent.push(structs) > 0 };
    const fits = new Y.Doc();
    for (let i = 0; i < 4; i++) fits.getMap('m').set(`k${i}`, i);
    expect(parseClientMessage(encodeMessage(0, 2, Y.encodeStateAsUpdate(fits)), room, limits, spend)).toMatchObject({ structs: 4 });
    expect(spent).toEqual([10]);
    fits.getMap('m').set('k4', 4);
    expect(() => parseClientMessage(encodeMessage(0, 2, Y.encodeStateAsUpdate(fits)), room, limits, spend)).toThrow(
      expect.objectContaining({ code: Close.policyViolation, message: 'an update of more than 10 structs: with 6 the room holds pending' }),
    );
    expect(() => parseClientMessage(encodeMessage(0, 0, new Uint8Array(65)), null, limits)).toThrow(
      expect.objectContaining({ code: Close.policyViolation, message: 'a state vector over 64 bytes' }),
    );
    expect(parseClientMessage(encodeMessage(1, awarenessUpdate([1, 1, `"${'x'.repeat(30)}"`])), null, limits)).toMatchObject({
      kind: 'awareness',
    });
    expect(() => parseClientMessage(encodeMessage(1, awarenessUpdate([1, 1, `"${'x'.repeat(31)}"`])), null, limits)).toThrow(
      expect.objectContaining({ code: Close.policyViolation }),
    );
    expect(() => parseClientMessage(encodeMessage(1, awarenessUpdate([1, 1, '1'], [2, 1, '2'], [3, 1, '3'])), null, limits)).toThrow(
      expect.objectContaining({ code: Close.policyViolation }),
    );
  });

  test('an update forwarded is the sync update message y-websocket reads, whatever its length', () => {
    for (const length of [0, 1, 127, 128, 16_383, 16_384, 300_000]) {
      const update = new Uint8Array(length).map((_, i) => i % 251);
      expect(Buffer.from(updateMessage(update)).equals(encodeMessage(0, 2, update)), `an update of ${length} bytes`).toBe(true);
    }
  });
});
