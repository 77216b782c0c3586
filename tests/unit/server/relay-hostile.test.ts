/**
 * Generated hostile input against a real relay process: 8,000 y-protocol messages (mutated real
 * updates, random sync and presence payloads, unknown types) and 2,000 raw WebSocket frames
 * (reserved bits, bad opcodes, truncated, oversized). Each bad one closes only its own connection
 * with a close code and a counted reason; after every batch a healthy pair in another room still
 * syncs; the log stays bounded and quotes nothing a client sent.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import fc from 'fast-check';
import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import { MESSAGE_STATE_VECTOR } from '../../../src/shared/relay-protocol.js';
import {
  SPAWNED_RELAY_TIMEOUT_MS,
  awarenessUpdate,
  clientPool,
  encodeMessage,
  fetchMetrics,
  newRoom,
  newSecret,
  openSocket,
  spawnRelay,
  tempDir,
  waitFor,
  type Client,
  type RelayProcess,
} from './helpers.js';

const MESSAGES = 8000;
const FRAMES = 2000;
const BATCH = 500;
const MARKER = 'HOSTILE-CLIENT-TEXT';
const MAX_MESSAGE_BYTES = 64 * 1024;

function realUpdates(): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  doc.getText('t').insert(0, 'hello');
  doc.getMap('m').set('k', { a: [1, 2] });
  doc.getXmlFragment('x').insert(0, [new Y.XmlElement('p')]);
  doc.getText('t').delete(1, 2);
  doc.getArray('a').insert(0, [new Y.Map(), 'x', 3]);
  return [...updates, Y.encodeStateAsUpdate(doc)];
}

const bytes = fc.uint8Array({ maxLength: 48 });
const mutated = fc
  .tuple(fc.constantFrom(...realUpdates()), fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 3 }), fc.option(fc.nat()))
  .map(([update, flips, cut]) => {
    const copy = update.slice();
    for (const [at, value] of flips) copy[at % copy.length] = value;
    return cut === null ? copy : copy.subarray(0, cut % (copy.length + 1));
  });
const presence = fc
  .array(fc.tuple(fc.nat(), fc.nat(), fc.oneof(fc.json(), fc.string(), fc.constant(`{"name":"${MARKER}`))), { maxLength: 4 })
  .map((states) => encodeMessage(1, awarenessUpdate(...states)));
const yMessage = fc.oneof(
  fc.tuple(fc.constantFrom(0, 1, 2, 7), fc.oneof(bytes, mutated)).map(([type, payload]) => encodeMessage(0, type, payload)),
  presence,
  bytes.map((b) => encodeMessage(1, b)),
  fc.constantFrom(encodeMessage(3), encodeMessage(MESSAGE_STATE_VECTOR), encodeMessage(0, 2, new TextEncoder().encode(MARKER))),
  fc.tuple(fc.nat(300), bytes).map(([type, rest]) => new Uint8Array([...encodeMessage(type), ...rest])),
);

/** A raw client frame: any first byte (FIN, reserved bits, opcode), masked or not, any length field, a payload maybe cut short. */
const rawFrame = fc
  .record({
    first: fc.nat(255),
    masked: fc.boolean(),
    length: fc.oneof(fc.nat(125), fc.constant(126), fc.constant(127)),
    extended: fc.uint8Array({ minLength: 8, maxLength: 8 }),
    payload: fc.uint8Array({ maxLength: 200 }),
    cut: fc.option(fc.nat(220)),
  })
  .map(({ first, masked, length, extended, payload, cut }) => {
    const header = [first, (masked ? 0x80 : 0) | length, ...(length === 126 ? extended.slice(0, 2) : length === 127 ? extended : [])];
    const whole = Buffer.concat([Buffer.from(header), masked ? randomBytes(4) : Buffer.alloc(0), Buffer.from(payload)]);
    return cut === null ? whole : whole.subarray(0, cut);
  });

describe('hostile input', { timeout: 600_000 }, () => {
  const dir = tempDir();
  let relay: RelayProcess;
  const clients = clientPool();
  let a: Client;
  let b: Client;
  const hostileRoom = newRoom();
  const hostileSecret = newSecret();

  beforeAll(async () => {
    relay = await spawnRelay([
      ...['--port', '0', '--data', dir.path, '--max-message-bytes', String(MAX_MESSAGE_BYTES)],
      ...['--rate-limit', '100000', '--rate-burst', '100000', '--max-connections-per-ip', '10000', '--sync-deadline-ms', '2000'],
    ]);
    [a, b] = await clients.pair(relay);
  }, SPAWNED_RELAY_TIMEOUT_MS);

  afterAll(async () => {
    clients.destroyAll();
    expect(await relay.stop()).toBe(0);
    dir.remove();
  });

  async function healthyPairSyncs(marker: string): Promise<void> {
    expect(relay.child.exitCode).toBeNull();
    a.text.insert(a.text.length, marker);
    await waitFor(() => b.text.toString().includes(marker), `the healthy pair to sync ${marker}`, 10_000);
  }

  interface Hostile {
    ws: WebSocket;
    /** The close code once closed. */
    closed: number | null;
  }

  async function openHostile(): Promise<Hostile> {
    const hostile: Hostile = { ws: await openSocket(`${relay.url}/${hostileRoom}?secret=${hostileSecret}`), closed: null };
    hostile.ws.once('close', (code) => (hostile.closed = code));
    return hostile;
  }

  /** Sends a message, then a state-vector query; resolves with the close code if the relay closed the socket, null if it answered. */
  function exchange(hostile: Hostile, message: Uint8Array): Promise<number | null> {
    const { ws } = hostile;
    if (hostile.closed !== null) return Promise.resolve(hostile.closed);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the relay neither answered nor closed after ${Buffer.from(message).toString('hex')}`)),
        5000,
      );
      const done = (code: number | null) => {
        clearTimeout(timer);
        ws.off('message', onMessage);
        ws.off('close', onClose);
        resolve(code);
      };
      const onMessage = (data: Buffer) => {
        if (decoding.readVarUint(decoding.createDecoder(new Uint8Array(data))) === MESSAGE_STATE_VECTOR) done(null);
      };
      const onClose = (code: number) => done(code);
      ws.on('message', onMessage);
      ws.on('close', onClose);
      ws.send(message);
      ws.send(encodeMessage(MESSAGE_STATE_VECTOR));
    });
  }

  it(`closes only the offending connection for each of ${MESSAGES} generated y-protocol messages`, async () => {
    const messages = fc.sample(yMessage, { numRuns: MESSAGES, seed: 20_261_126 });
    const codes = new Map<number, number>();
    let hostile: Hostile | null = null;
    for (let i = 0; i < messages.length; i++) {
      hostile ??= await openHostile();
      const code = await exchange(hostile, messages[i]!);
      if (code !== null) {
        codes.set(code, (codes.get(code) ?? 0) + 1);
        hostile = null;
      }
      if ((i + 1) % BATCH === 0) await healthyPairSyncs(`[batch ${i + 1}]`);
    }
    hostile?.ws.close();
    // Every close was the relay's own decision, with a protocol close code: none dropped abnormally (1006).
    expect(
      [...codes.keys()].every((code) => [1002, 1003, 1007, 1008, 1009].includes(code)),
      JSON.stringify([...codes]),
    ).toBe(true);
    expect(codes.size).toBeGreaterThan(1);
    const metrics = await fetchMetrics(relay);
    expect(metrics).toMatch(/^tandem_relay_closes_total\{reason="malformed-update"\} [1-9]/m);
    expect(metrics).toMatch(/^tandem_relay_updates_rejected_total [1-9]/m);
  });

  it(`survives ${FRAMES} generated raw frames, each on its own connection`, async () => {
    const frames = fc.sample(rawFrame, { numRuns: FRAMES, seed: 20_261_127 });
    const request = () =>
      `GET /${hostileRoom}?secret=${hostileSecret} HTTP/1.1\r\nHost: relay\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`;
    const send = (bytes: Uint8Array) =>
      new Promise<void>((resolve) => {
        const socket = connect(relay.port, '127.0.0.1');
        let upgraded = false;
        socket.on('error', () => {});
        socket.on('close', () => resolve());
        socket.on('connect', () => socket.write(request()));
        socket.on('data', (chunk: Buffer) => {
          if (upgraded || !chunk.includes('\r\n\r\n')) return;
          upgraded = true;
          // Half-closing after the frame: a frame cut short then ends the connection rather than wait.
          socket.end(bytes);
        });
      });
    for (let i = 0; i < frames.length; i += 50) {
      await Promise.all(frames.slice(i, i + 50).map(send));
      if ((i + 50) % BATCH === 0) await healthyPairSyncs(`[frames ${i + 50}]`);
    }
    const res = await fetch(`http://127.0.0.1:${relay.port}/healthz`);
    expect(res.status).toBe(200);
  });

  it('kept its log bounded and free of anything a client wrote', async () => {
    const metrics = await fetchMetrics(relay);
    expect(metrics).toMatch(/^tandem_relay_log_lines_dropped_total [1-9]/m);
    const lines = relay.output().split('\n');
    expect(lines.length).toBeLessThan(MESSAGES);
    expect(relay.output()).not.toContain(MARKER);
    for (const line of lines.filter(Boolean)) expect(() => JSON.parse(line), line).not.toThrow();
  });
});
