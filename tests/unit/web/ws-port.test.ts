/**
 * The web shell's transport: the message protocol over a real `ws` WebSocket on loopback, with a
 * real core served on one end and the RPC client on the other.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { serveSession } from '../../../src/core/rpc-server.js';
import { listAgenda } from '../../../src/shared/domain/series-doc.js';
import { addAgendaItem } from '../../../src/shared/domain/commands.js';
import type { Port } from '../../../src/shared/protocol.js';
import { createRpcClient } from '../../../src/shared/rpc-client.js';
import { wsPort } from '../../../src/web/ws-port.js';
import { openCore } from '../helpers/core.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Two ports joined by a WebSocket through a server on a random loopback port. */
async function connectedPorts(): Promise<{ server: Port; client: Port; clientSocket: WebSocket }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  cleanups.push(() => new Promise((r) => wss.close(r)));
  await new Promise((r) => wss.once('listening', r));
  const accepted = new Promise<WebSocket>((r) => wss.once('connection', r));
  const clientSocket = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  cleanups.push(() => clientSocket.terminate());
  await new Promise((r, j) => clientSocket.once('open', r).once('error', j));
  return { server: wsPort(await accepted), client: wsPort(clientSocket), clientSocket };
}

describe('wsPort', () => {
  test('text stays text and bytes stay bytes, exactly, both ways', async () => {
    const { server, client } = await connectedPorts();
    const atServer: (string | Uint8Array)[] = [];
    const atClient: (string | Uint8Array)[] = [];
    server.onMessage((m) => atServer.push(m));
    client.onMessage((m) => atClient.push(m));
    // A view into a larger buffer, as frames often are: only its own bytes may travel.
    const backing = Uint8Array.from([9, 9, 1, 2, 3, 255, 0, 9]);
    const view = backing.subarray(2, 7);
    client.send('{"t":"req","id":1}');
    client.send(view);
    client.send(new Uint8Array(0));
    server.send('{"t":"res","id":1}');
    server.send(Uint8Array.from([7, 0, 7]));

    await vi.waitFor(() => expect(atServer).toHaveLength(3));
    await vi.waitFor(() => expect(atClient).toHaveLength(2));
    expect(atServer[0]).toBe('{"t":"req","id":1}');
    expect(atServer[1]).toBeInstanceOf(Uint8Array);
    expect([...(atServer[1] as Uint8Array)]).toEqual([1, 2, 3, 255, 0]);
    expect([...(atServer[2] as Uint8Array)]).toEqual([]);
    expect(atClient[0]).toBe('{"t":"res","id":1}');
    expect([...(atClient[1] as Uint8Array)]).toEqual([7, 0, 7]);
  });

  test('a binary message that spells text is still delivered as bytes', async () => {
    const { server, client } = await connectedPorts();
    const got: (string | Uint8Array)[] = [];
    server.onMessage((m) => got.push(m));
    client.send(new TextEncoder().encode('{"t":"req"}'));
    await vi.waitFor(() => expect(got).toHaveLength(1));
    expect(got[0]).toBeInstanceOf(Uint8Array);
  });

  test('closing one end is seen by the other, and sending on a closed port is dropped without an error', async () => {
    const { server, client, clientSocket } = await connectedPorts();
    let serverSawClose = false;
    server.onClose(() => (serverSawClose = true));
    client.close();
    await vi.waitFor(() => expect(serverSawClose).toBe(true));
    await vi.waitFor(() => expect(clientSocket.readyState).toBe(WebSocket.CLOSED));
    expect(() => client.send('after close')).not.toThrow();
    expect(() => server.send(Uint8Array.of(1))).not.toThrow();
  });

  test('carries the whole protocol: a core served on one end answers requests and takes document updates', async () => {
    const { core, api } = await openCore();
    cleanups.push(() => core.close());
    const { server, client: clientPort } = await connectedPorts();
    serveSession(server, core.connect());
    const client = createRpcClient(clientPort);
    cleanups.push(() => client.close());

    const series = await client.createSeries({ partnerName: 'Sam', kind: 'peer' });
    expect(await client.listSeries()).toEqual(await api.listSeries());
    const replica = new Y.Doc();
    Y.applyUpdate(replica, await client.openSeries({ seriesId: series.id }));
    client.onDocUpdate((id, update) => id === series.id && Y.applyUpdate(replica, update));
    const before = Y.encodeStateVector(replica);
    addAgendaItem(replica, { title: 'Over a WebSocket' }, { now: new Date(), userId: 'me' });
    await client.sendDocUpdate(series.id, Y.encodeStateAsUpdate(replica, before));
    expect(core.docs.with(series.id, listAgenda).map((i) => i.title)).toEqual(['Over a WebSocket']);

    await api.addAgendaItem({ seriesId: series.id, title: 'From the core' });
    await vi.waitFor(() => expect(listAgenda(replica).map((i) => i.title)).toEqual(['Over a WebSocket', 'From the core']));
  });
});
