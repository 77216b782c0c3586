import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRelay, type Relay } from '../../../server/relay.js';
import { silentLogger } from '../../../src/node/log.js';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import {
  askStored,
  awarenessUpdate,
  clientPool,
  encodeMessage,
  newRoom,
  newSecret,
  openSocket,
  synced,
  tempDir,
  waitFor,
} from './helpers.js';

describe('relay speaks the y-websocket protocol', () => {
  let dir: ReturnType<typeof tempDir>;
  let relay: Relay;
  const clients = clientPool();

  beforeEach(async () => {
    dir = tempDir();
    relay = await startRelay({ port: 0, data: dir.path }, silentLogger);
  });

  afterEach(async () => {
    clients.destroyAll();
    await relay.close();
    dir.remove();
  });

  const client = (room: string, secret: string) => clients.connect(relay, room, secret);

  it('syncs text between two stock WebsocketProvider clients in both directions', async () => {
    const room = newRoom();
    const secret = newSecret();
    const a = client(room, secret);
    const b = client(room, secret);
    await Promise.all([synced(a), synced(b)]);
    a.text.insert(0, 'hello from A');
    await waitFor(() => b.text.toString() === 'hello from A', 'B to see A');
    b.text.insert(b.text.length, ', and B');
    await waitFor(() => a.text.toString() === 'hello from A, and B', 'A to see B');
  });

  it('gives a client that joins later the full state the room already has', async () => {
    const room = newRoom();
    const secret = newSecret();
    const a = client(room, secret);
    await synced(a);
    a.text.insert(0, 'agenda: career');
    const late = client(room, secret);
    await synced(late);
    await waitFor(() => late.text.toString() === 'agenda: career', 'the late client to catch up');
  });

  it('answers Tandem’s state-vector query with what the room has stored', async () => {
    const room = newRoom();
    const secret = newSecret();
    const a = client(room, secret);
    await synced(a);
    a.text.insert(0, 'stored');
    const answered = await askStored(a).answered();
    expect(answered.get(a.doc.clientID)).toBe(Y.decodeStateVector(Y.encodeStateVector(a.doc)).get(a.doc.clientID));
    expect(a.provider.wsconnected).toBe(true);
  });

  it('keeps rooms apart', async () => {
    const secret = newSecret();
    const a = client(newRoom(), secret);
    const b = client(newRoom(), secret);
    await Promise.all([synced(a), synced(b)]);
    a.text.insert(0, 'only in room A');
    const probe = client(a.provider.roomname, secret);
    await waitFor(() => probe.text.toString() === 'only in room A', 'a probe in room A to see it');
    expect(b.text.toString()).toBe('');
  });

  it('relays presence between clients and removes it when a client disconnects', async () => {
    const room = newRoom();
    const secret = newSecret();
    const a = client(room, secret);
    const b = client(room, secret);
    await Promise.all([synced(a), synced(b)]);
    a.provider.awareness.setLocalStateField('user', { name: 'Ada' });
    const aId = a.doc.clientID;
    await waitFor(
      () => (b.provider.awareness.getStates().get(aId) as { user?: { name: string } } | undefined)?.user?.name === 'Ada',
      'B to see A present',
    );
    // Drop A's socket without the polite goodbye so only the relay can tell B that A left.
    a.provider.shouldConnect = false;
    a.provider.ws?.close();
    (a.provider.ws as unknown as { terminate?: () => void } | null)?.terminate?.();
    await waitFor(() => !b.provider.awareness.getStates().has(aId), 'B to see A leave');
  });

  it('echoes a presence update to its sender, which keeps a client alone in a room from timing out', async () => {
    const ws: WebSocket = await openSocket(`${relay.url}/${newRoom()}?secret=${newSecret()}`);
    const received: Buffer[] = [];
    ws.on('message', (data: Buffer) => received.push(data));
    ws.send(encodeMessage(1, awarenessUpdate([4242, 1, JSON.stringify({ user: { name: 'alone' } })])));
    await waitFor(() => received.some((m) => m[0] === 1), 'the presence echo');
    const echo = decoding.createDecoder(received.find((m) => m[0] === 1)!);
    expect(decoding.readVarUint(echo)).toBe(1);
    const states = decoding.createDecoder(decoding.readVarUint8Array(echo));
    expect(decoding.readVarUint(states)).toBe(1);
    expect(decoding.readVarUint(states)).toBe(4242);
    expect(decoding.readVarUint(states)).toBe(1);
    expect(JSON.parse(decoding.readVarString(states))).toEqual({ user: { name: 'alone' } });
    ws.close();
  });
});
