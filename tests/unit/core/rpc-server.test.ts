import * as Y from 'yjs';
import { describe, expect, test, vi } from 'vitest';
import { TandemError } from '../../../src/shared/errors.js';
import { FrameKind, createPortPair, encodeFrame, type Port } from '../../../src/shared/protocol.js';
import { createRpcClient, type RpcClient } from '../../../src/shared/rpc-client.js';
import { listAgenda } from '../../../src/shared/domain/series-doc.js';
import { addAgendaItem } from '../../../src/shared/domain/commands.js';
import { serveSession } from '../../../src/core/rpc-server.js';
import { openCore } from '../helpers/core.js';

interface Wired {
  client: RpcClient;
  /** The client's raw port, to send what a well-behaved client never would. */
  port: Port;
  /** Responses the core sent that the client does not route (to catch replies to raw sends). */
  raw: (string | Uint8Array)[];
  protocolErrors: Error[];
  close(): Promise<void>;
}

/** A core served over an in-memory port pair, exactly as a transport would serve it. */
async function wired(): Promise<Wired> {
  const { core } = await openCore();
  const [uiSide, coreSide] = createPortPair();
  const protocolErrors: Error[] = [];
  serveSession(coreSide, core.connect(), { onProtocolError: (e) => protocolErrors.push(e) });
  const raw: (string | Uint8Array)[] = [];
  uiSide.onMessage((m) => raw.push(m));
  const client = createRpcClient(uiSide);
  return {
    client,
    port: uiSide,
    raw,
    protocolErrors,
    close: async () => {
      client.close();
      await core.close();
    },
  };
}

async function rejection(call: Promise<unknown>): Promise<TandemError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TandemError);
  return error as TandemError;
}

/** Resolves once the core has reported `count` protocol errors. */
const reported = (w: Wired, count = 1) => vi.waitFor(() => expect(w.protocolErrors).toHaveLength(count));

describe('bad inputs through the real message protocol', () => {
  test.each([
    ['empty name', 'createSeries', { partnerName: '', kind: 'peer' }, /^Please enter a name\.$/],
    ['unknown kind', 'createSeries', { partnerName: 'Sam', kind: 'boss' }, /^Something in that request is not valid \(kind: /],
    [
      'missing myRole for manager-report',
      'createSeries',
      { partnerName: 'Sam', kind: 'manager-report' },
      /^Choose whether you are the manager or the report in this 1:1\.$/,
    ],
    ['non-uuid seriesId', 'openSeries', { seriesId: '42' }, /^That 1:1 or item could not be found \(its id is not valid\)\.$/],
    ['extra fields', 'setProfile', { name: 'Dana', admin: true }, /^Something in that request is not valid \(.*"admin"/],
    [
      'over-long title',
      'addAgendaItem',
      { seriesId: crypto.randomUUID(), title: 'x'.repeat(501) },
      /^An item title can be at most 500 characters\.$/,
    ],
    ['no input at all', 'createSeries', undefined, /^Something in that request is not valid \(/],
  ])('%s is answered with invalid-input and a sentence about the action', async (_, method, input, message) => {
    const w = await wired();
    const call = (w.client as unknown as Record<string, (i: unknown) => Promise<unknown>>)[method]!(input);
    const error = await rejection(call);
    expect(error.code).toBe('invalid-input');
    expect(error.message).toMatch(message);
    expect(await w.client.listSeries()).toEqual([]);
    await w.close();
  });

  test('a well-formed id of no series is answered with not-found', async () => {
    const w = await wired();
    const error = await rejection(w.client.openSeries({ seriesId: crypto.randomUUID() }));
    expect(error.code).toBe('not-found');
    await w.close();
  });

  test('an unknown method is answered with a protocol error naming the method field', async () => {
    const w = await wired();
    w.port.send(JSON.stringify({ t: 'req', id: 9001, method: 'dropEverything', input: {} }));
    const reply = await vi.waitFor(() => {
      const found = w.raw
        .filter((m): m is string => typeof m === 'string')
        .map((m) => JSON.parse(m))
        .find((m) => m.id === 9001);
      expect(found).toBeDefined();
      return found;
    });
    expect(reply).toMatchObject({ t: 'res', id: 9001, ok: false, error: { code: 'protocol' } });
    expect(reply.error.message).toMatch(/method: unknown method/);
    expect(await w.client.listSeries()).toEqual([]);
    await w.close();
  });

  test('text that is not JSON is reported as a protocol error and the core keeps answering', async () => {
    const w = await wired();
    w.port.send('{this is not json');
    await reported(w);
    expect(w.protocolErrors.map((e) => e.message)).toEqual(['a text message is not JSON']);
    const s = await w.client.createSeries({ partnerName: 'Sam', kind: 'peer' });
    expect((await w.client.listSeries()).map((x) => x.id)).toEqual([s.id]);
    await w.close();
  });

  test('a request without a usable id is dropped and reported, never answered', async () => {
    const w = await wired();
    w.port.send(JSON.stringify({ t: 'req', id: -1, method: 'listSeries' }));
    await reported(w);
    expect(w.protocolErrors[0]!.message).toMatch(/malformed request: id: /);
    // Messages are answered in order: once a later request is answered, no answer to the bad one can follow.
    expect(await w.client.listSeries()).toEqual([]);
    expect(w.raw).toHaveLength(1);
    await w.close();
  });

  test.each([
    ['shorter than its header', new Uint8Array([1, 0, 0])],
    ['of an unknown kind', new Uint8Array([77, 0, 0, 0, 0, 0])],
    ['claiming a longer series id than it has', new Uint8Array([1, 0, 0, 0, 1, 200, 65])],
  ])('a garbage binary frame %s is reported as a protocol error and the core keeps answering', async (_, frame) => {
    const w = await wired();
    w.port.send(frame);
    await reported(w);
    expect(w.protocolErrors[0]!.name).toBe('ProtocolError');
    expect(await w.client.listSeries()).toEqual([]);
    await w.close();
  });

  test('a UI may not send state frames', async () => {
    const w = await wired();
    w.port.send(encodeFrame({ kind: FrameKind.state, id: 0, seriesId: crypto.randomUUID(), payload: new Uint8Array() }));
    await reported(w);
    expect(w.protocolErrors.map((e) => e.message)).toEqual(['a UI may not send frames of kind 3']);
    await w.close();
  });

  test('an update frame for a series not open is answered with invalid-input naming the series', async () => {
    const w = await wired();
    const s = await w.client.createSeries({ partnerName: 'Sam', kind: 'peer' });
    const error = await rejection(w.client.sendDocUpdate(s.id, Y.encodeStateAsUpdate(new Y.Doc())));
    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain(s.id);
    expect(error.message).toMatch(/not open/);
    await w.close();
  });

  test('an update frame whose payload does not decode is answered with invalid-input and the series stays usable', async () => {
    const w = await wired();
    const s = await w.client.createSeries({ partnerName: 'Sam', kind: 'peer' });
    await w.client.openSeries({ seriesId: s.id });
    const error = await rejection(w.client.sendDocUpdate(s.id, new Uint8Array([255, 255, 255])));
    expect(error.code).toBe('invalid-input');
    expect(error.message).toMatch(/^sendDocUpdate: the update does not decode/);
    await w.client.addAgendaItem({ seriesId: s.id, title: 'still works' });
    expect((await w.client.listSeries())[0]!.openItemCount).toBe(1);
    await w.close();
  });
});

describe('the happy path through the protocol', () => {
  test('openSeries returns the full state as a binary frame and edits sent back are stored', async () => {
    const w = await wired();
    const s = await w.client.createSeries({ partnerName: 'Sam', kind: 'peer' });
    const replica = new Y.Doc();
    Y.applyUpdate(replica, await w.client.openSeries({ seriesId: s.id }));
    const before = Y.encodeStateVector(replica);
    addAgendaItem(replica, { title: 'Over the wire' }, { now: new Date(), userId: 'me' });
    await w.client.sendDocUpdate(s.id, Y.encodeStateAsUpdate(replica, before));
    expect((await w.client.listSeries())[0]!.openItemCount).toBe(1);

    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, await w.client.openSeries({ seriesId: s.id }));
    expect(listAgenda(fresh).map((i) => i.title)).toEqual(['Over the wire']);
    await w.close();
  });

  test('a change made in the core reaches the client as an update frame', async () => {
    const w = await wired();
    const s = await w.client.createSeries({ partnerName: 'Sam', kind: 'peer' });
    const replica = new Y.Doc();
    Y.applyUpdate(replica, await w.client.openSeries({ seriesId: s.id }));
    w.client.onDocUpdate((id, u) => id === s.id && Y.applyUpdate(replica, u));
    await w.client.addAgendaItem({ seriesId: s.id, title: 'Tray quick-add' });
    await vi.waitFor(() => expect(listAgenda(replica).map((i) => i.title)).toEqual(['Tray quick-add']));
    await w.close();
  });

  test('closing the port fails pending and later calls with a protocol error', async () => {
    const w = await wired();
    const pending = w.client.listSeries();
    w.port.close();
    const error = await rejection(pending);
    expect(error.code).toBe('protocol');
    await expect(w.client.listSeries()).rejects.toMatchObject({ code: 'protocol' });
    await w.close();
  });
});
