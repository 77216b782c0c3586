import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import { halfValidUpdate, nestedChainUpdates, oneClientChainUpdates } from '../helpers/updates.js';
import { MAX_NESTING_DEPTH } from '../../../src/node/docstore/nesting.js';
import { startRelay, type Relay } from '../../../server/relay.js';
import {
  clientPool,
  closeCode,
  connectClient,
  encodeMessage,
  fetchMetrics,
  memoryLogger,
  newRoom,
  newSecret,
  openSocket,
  syncUpdateMessage,
  synced,
  tempDir,
  upgradeRequest,
  waitFor,
  type Client,
} from './helpers.js';

const MAX_MESSAGE_BYTES = 64 * 1024;

/** A real update, cut short so it no longer decodes. */
function brokenUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('notes').insert(0, 'this text must never reach the room');
  const update = Y.encodeStateAsUpdate(doc);
  return update.subarray(0, update.length - 12);
}

/**
 * Writes `text` on a raw socket and resets the connection (TCP RST) as soon as it is written, or
 * once the relay starts answering; resolves when the socket is gone.
 */
function writeThenReset(port: number, text: string, when: 'written' | 'answered'): Promise<void> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.on('close', () => resolve());
    socket.on('connect', () => socket.write(text, () => when === 'written' && socket.resetAndDestroy()));
    socket.on('data', () => socket.resetAndDestroy());
  });
}

/** Performs the WebSocket handshake by hand, then writes one masked binary frame with RSV1 set. */
function sendFrameWithReservedBit(port: number, path: string): Promise<{ status: string; closeCode: number | null; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let upgraded = false;
    socket.on('error', reject);
    socket.on('connect', () => {
      socket.write(upgradeRequest(path));
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const headerEnd = received.indexOf('\r\n\r\n');
      if (!upgraded && headerEnd >= 0) {
        upgraded = true;
        const payload = Buffer.from([1, 2, 3]);
        const mask = randomBytes(4);
        const masked = payload.map((b, i) => b ^ mask[i % 4]!);
        // FIN + RSV1 + binary opcode; RSV1 is only legal with a negotiated extension, and none was.
        socket.write(Buffer.concat([Buffer.from([0x80 | 0x40 | 0x2, 0x80 | payload.length]), mask, Buffer.from(masked)]));
      }
    });
    socket.on('close', () => {
      const headerEnd = received.indexOf('\r\n\r\n');
      const status = received.subarray(0, received.indexOf('\r\n')).toString();
      const frames = received.subarray(headerEnd + 4);
      // Server frames are unmasked: find the close frame (opcode 8) and read its code.
      let code: number | null = null;
      for (let i = 0; i + 1 < frames.length;) {
        const opcode = frames[i]! & 0x0f;
        const length = frames[i + 1]! & 0x7f;
        if (opcode === 8 && length >= 2) code = frames.readUInt16BE(i + 2);
        i += 2 + length;
      }
      resolve({ status, closeCode: code, ended: true });
    });
    setTimeout(() => reject(new Error('the relay neither closed nor answered')), 5000);
  });
}

/**
 * The relay runs in the test process: an error it failed to handle would surface as an uncaught
 * exception, which fails the run as surely as it would end a relay process.
 */
describe('a malformed message or frame closes only that connection', () => {
  const dir = tempDir();
  const room = newRoom();
  const secret = newSecret();
  const log = memoryLogger();
  const clients = clientPool();
  let relay: Relay;
  let bystanderA: Client;
  let bystanderB: Client;
  const roomUrl = () => `${relay.url}/${room}?secret=${secret}`;

  beforeAll(async () => {
    relay = await startRelay({ port: 0, data: dir.path, maxMessageBytes: MAX_MESSAGE_BYTES }, log.logger);
    [bystanderA, bystanderB] = await clients.pair(relay, room, secret);
  });

  afterAll(async () => {
    clients.destroyAll();
    await relay.close();
    dir.remove();
  });

  /** The bystanders' connections were never dropped, and they still sync. */
  async function othersStillServed(marker: string): Promise<void> {
    expect(bystanderA.provider.wsconnected && bystanderB.provider.wsconnected).toBe(true);
    bystanderA.text.insert(bystanderA.text.length, marker);
    await waitFor(() => bystanderB.text.toString().includes(marker), `the bystanders to sync ${marker}`);
    const res = await fetch(`http://127.0.0.1:${relay.port}/healthz`);
    expect(res.status).toBe(200);
  }

  it('closes with 1003 on a message type the protocol does not have', async () => {
    const ws = await openSocket(roomUrl());
    ws.send(Buffer.from([0x7f, 1, 2, 3]));
    expect(await closeCode(ws)).toBe(1003);
    await othersStillServed('[unknown type]');
  });

  it('closes with 1007 on random binary garbage that starts like a sync message', async () => {
    const ws = await openSocket(roomUrl());
    ws.send(Buffer.concat([Buffer.from([0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f]), randomBytes(64)]));
    expect(await closeCode(ws)).toBe(1007);
    await othersStillServed('[garbage]');
  });

  it('closes with 1003 on a text frame', async () => {
    const ws = await openSocket(roomUrl());
    ws.send('{"hello":"relay"}');
    expect(await closeCode(ws)).toBe(1003);
    await othersStillServed('[text]');
  });

  it('closes with 1007 on a sync update that does not decode, and none of it reaches the room', async () => {
    const ws = await openSocket(roomUrl());
    ws.send(syncUpdateMessage(brokenUpdate()));
    expect(await closeCode(ws)).toBe(1007);
    await othersStillServed('[broken update]');
    const late = connectClient(relay.url, room, { secret });
    try {
      await synced(late);
      expect(late.text.toString()).not.toContain('must never reach');
      expect(late.text.toString()).toContain('[broken update]');
    } finally {
      late.destroy();
    }
    const metrics = await fetchMetrics(relay);
    expect(metrics).toMatch(/^tandem_relay_updates_rejected_total [1-9]/m);
  });

  it('closes with 1007 on an update whose structs decode but whose delete set is cut short, and applies, stores and forwards none of it', async () => {
    const ws = await openSocket(roomUrl());
    const doc = new Y.Doc();
    doc.getText('notes').insert(0, 'half an update must not reach the room');
    ws.send(syncUpdateMessage(halfValidUpdate(Y.encodeStateAsUpdate(doc))));
    expect(await closeCode(ws)).toBe(1007);
    await othersStillServed('[half update]');
    expect(bystanderB.text.toString()).not.toContain('half an update');
    const late = connectClient(relay.url, room, { secret });
    try {
      await synced(late);
      expect(late.text.toString()).toContain('[half update]');
      expect(late.text.toString()).not.toContain('half an update');
    } finally {
      late.destroy();
    }
  });

  it('closes with 1007 on an update that nests types past the bound, counting the levels the room already holds', async () => {
    const ws = await openSocket(roomUrl());
    const author = new Y.Doc();
    let parent: Y.XmlFragment | Y.XmlElement = author.getXmlFragment('deep');
    for (let i = 0; i < MAX_NESTING_DEPTH; i++) {
      const quote: Y.XmlElement = new Y.XmlElement('blockquote');
      parent.insert(0, [quote]);
      parent = quote;
    }
    ws.send(syncUpdateMessage(Y.encodeStateAsUpdate(author)));
    await waitFor(() => bystanderB.doc.getXmlFragment('deep').length === 1, 'the bystanders to receive nesting at the bound');
    const before = Y.encodeStateVector(author);
    parent.insert(0, [new Y.XmlElement('one-too-many')]);
    ws.send(syncUpdateMessage(Y.encodeStateAsUpdate(author, before)));
    expect(await closeCode(ws)).toBe(1007);
    await othersStillServed('[too deep]');
    expect(bystanderB.doc.getXmlFragment('deep').toString()).not.toContain('one-too-many');
    bystanderA.doc.getXmlFragment('deep').delete(0, 1);
    await waitFor(() => bystanderB.doc.getXmlFragment('deep').length === 0, 'the deletion of the nested blocks to sync');
    await othersStillServed('[deleted deep]');
  });

  /** The sender's close code, or 'forwarded' should any of `fragment` reach a bystander first. */
  const closedOrForwarded = (ws: WebSocket, fragment: string) =>
    new Promise<number | 'forwarded'>((resolve) => {
      ws.once('close', (code) => resolve(code));
      bystanderB.doc.on('update', () => bystanderB.doc.getXmlFragment(fragment).length > 0 && resolve('forwarded'));
    });

  it('closes with 1007 on nesting past the bound delivered innermost part first, held pending, and forwards none of it', async () => {
    const ws = await openSocket(roomUrl());
    // Two parts, each within the bound, together past it: the inner part waits in the room for the outer one.
    const [outer, inner] = nestedChainUpdates(2, MAX_NESTING_DEPTH / 2 + 1, 'reversed');
    ws.send(syncUpdateMessage(inner!));
    ws.send(syncUpdateMessage(outer!));
    expect(await closedOrForwarded(ws, 'reversed')).toBe(1007);
    await othersStillServed('[reversed]');
    expect(bystanderB.doc.getXmlFragment('reversed').length).toBe(0);
    expect(log.lines().some((l) => l.msg === 'closing connection' && String(l.reason).includes('nests types more than'))).toBe(true);
    const metrics = await fetchMetrics(relay);
    expect(metrics).toMatch(/^tandem_relay_closes_total\{reason="update-refused"\} [1-9]/m);
  });

  it('closes with 1007 on nesting past the bound in an update that skips the clocks of a part the room holds pending', async () => {
    const ws = await openSocket(roomUrl());
    // The middle part waits in the room for the first; the first and last arrive merged, skipping the middle's clocks.
    const [first, middle, last] = oneClientChainUpdates('skipped', 100, 100, 100);
    ws.send(syncUpdateMessage(middle!));
    ws.send(syncUpdateMessage(Y.mergeUpdates([first!, last!])));
    expect(await closedOrForwarded(ws, 'skipped')).toBe(1007);
    await othersStillServed('[skipped]');
    expect(bystanderB.doc.getXmlFragment('skipped').length).toBe(0);
  });

  it('closes with 1007 on a malformed awareness update', async () => {
    const ws = await openSocket(roomUrl());
    // One state (client 42, clock 1) whose JSON does not parse.
    ws.send(encodeMessage(1, encodeMessage(1, 42, 1, '{not json')));
    expect(await closeCode(ws)).toBe(1007);
    await othersStillServed('[bad awareness]');
  });

  it('closes with 1009 on a message over the size limit', async () => {
    const ws = await openSocket(roomUrl());
    ws.on('error', () => {});
    ws.send(Buffer.alloc(MAX_MESSAGE_BYTES + 1));
    expect(await closeCode(ws)).toBe(1009);
    await othersStillServed('[oversized]');
  });

  it('survives clients that reset their connection before, during and after the upgrade', async () => {
    const admitted = () => upgradeRequest(`/${room}?secret=${secret}`);
    for (let i = 0; i < 20; i++) {
      // Before: the request is cut off mid-headers.
      await writeThenReset(relay.port, admitted().slice(0, 40), 'written');
      // During: the relay answers a refused upgrade (wrong secret) or an admitted one on a socket already reset.
      await writeThenReset(relay.port, upgradeRequest(`/${room}?secret=${newSecret()}`), 'written');
      await writeThenReset(relay.port, admitted(), 'written');
      // After: the handshake has completed.
      await writeThenReset(relay.port, admitted(), 'answered');
    }
    await othersStillServed('[resets]');
    // Answering a socket already reset fails: the relay logs it and goes on.
    expect(log.lines()).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: 'socket error before upgrade', error: expect.any(String) }),
    );
  });

  it('survives a raw frame with a reserved bit set (the reference server dies on it) and closes it with 1002', async () => {
    const result = await sendFrameWithReservedBit(relay.port, `/${room}?secret=${secret}`);
    expect(result.status).toBe('HTTP/1.1 101 Switching Protocols');
    expect(result.closeCode).toBe(1002);
    await othersStillServed('[reserved bit]');
  });
});
