/**
 * A relay the test drives by hand, on a real loopback WebSocket: it speaks the y-websocket sync
 * protocol over one document per room and forwards updates like any relay, but answers Tandem's
 * state-vector queries only as told (at once, when released, or never like a stock server), can
 * refuse upgrades or accept and stay silent, and can send anything, malformed frames included, or
 * close with any code.
 */
import type { AddressInfo } from 'node:net';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocketServer, type WebSocket } from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MESSAGE_STATE_VECTOR } from '../../../../src/shared/relay-protocol.js';

const MESSAGE_SYNC = 0;

export type Answering = 'at-once' | 'held' | 'never';

export interface ScriptedSocket {
  room: string;
  ws: WebSocket;
  closed: Promise<number>;
}

export interface ScriptedRelay {
  url: string;
  /** How state-vector queries are answered from now on. */
  answering: Answering;
  /** Whether upgrades are accepted (refused with 503 otherwise). */
  accepting: boolean;
  /** Accepted sockets neither read nor get the relay's sync step 1. */
  quiet: boolean;
  /** Sockets open now. */
  readonly open: ScriptedSocket[];
  /** Every socket accepted so far, in order. */
  readonly accepted: ScriptedSocket[];
  /** State-vector queries received so far. */
  asked: number;
  /** Queries held (answering 'held'); each answers with the room's state when released, or with `stateVector`. */
  readonly held: ((stateVector?: Uint8Array) => void)[];
  room(name: string): Y.Doc;
  /** Resolves with the next socket accepted, or the one already accepted at `index`. */
  connection(index: number): Promise<ScriptedSocket>;
  /** Sends a raw frame on a socket. */
  send(socket: ScriptedSocket, bytes: Uint8Array): void;
  close(): Promise<void>;
}

export const stateVectorAnswer = (stateVector: Uint8Array): Uint8Array => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_STATE_VECTOR);
  encoding.writeVarUint8Array(e, stateVector);
  return encoding.toUint8Array(e);
};

const syncMessage = (write: (e: encoding.Encoder) => void): Uint8Array => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  write(e);
  return encoding.toUint8Array(e);
};

export async function startScriptedRelay(answering: Answering = 'at-once'): Promise<ScriptedRelay> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', verifyClient: (_info, done) => done(relay.accepting, 503) });
  await new Promise((ok) => wss.once('listening', ok));
  const rooms = new Map<string, Y.Doc>();
  const waiters: (() => void)[] = [];
  const relay: ScriptedRelay = {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    answering,
    accepting: true,
    quiet: false,
    open: [],
    accepted: [],
    held: [],
    asked: 0,
    room(name) {
      let doc = rooms.get(name);
      if (!doc) {
        doc = new Y.Doc();
        rooms.set(name, doc);
        doc.on('update', (update: Uint8Array, origin: unknown) => {
          const message = syncMessage((e) => syncProtocol.writeUpdate(e, update));
          for (const s of relay.open) if (s.room === name && s.ws !== origin) s.ws.send(message);
        });
      }
      return doc;
    },
    async connection(index) {
      while (relay.accepted.length <= index) await new Promise<void>((ok) => waiters.push(ok));
      return relay.accepted[index]!;
    },
    send: (socket, bytes) => socket.ws.send(bytes),
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise((ok) => wss.close(ok));
      for (const doc of rooms.values()) doc.destroy();
    },
  };
  wss.on('connection', (ws, req) => {
    const room = new URL(req.url ?? '/', 'ws://x').pathname.slice(1);
    const doc = relay.room(room);
    const socket: ScriptedSocket = { room, ws, closed: new Promise((ok) => ws.once('close', (code) => ok(code))) };
    relay.open.push(socket);
    relay.accepted.push(socket);
    void socket.closed.then(() => relay.open.splice(relay.open.indexOf(socket), 1));
    for (const wake of waiters.splice(0)) wake();
    if (relay.quiet) return;
    ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      const type = decoding.readVarUint(decoder);
      if (type === MESSAGE_SYNC) {
        const e = encoding.createEncoder();
        encoding.writeVarUint(e, MESSAGE_SYNC);
        syncProtocol.readSyncMessage(decoder, e, doc, ws);
        if (encoding.length(e) > 1) ws.send(encoding.toUint8Array(e));
      } else if (type === MESSAGE_STATE_VECTOR) {
        relay.asked++;
        if (relay.answering === 'at-once') ws.send(stateVectorAnswer(Y.encodeStateVector(doc)));
        else if (relay.answering === 'held') relay.held.push((sv) => ws.send(stateVectorAnswer(sv ?? Y.encodeStateVector(doc))));
      }
    });
    ws.send(syncMessage((e) => syncProtocol.writeSyncStep1(e, doc)));
  });
  return relay;
}
