/**
 * Test support for the relay: real relay processes (or in-process relays) on loopback ports,
 * real SQLite in temp dirs, stock y-websocket clients.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createLogger, type Logger } from '../../../src/node/log.js';
import { MESSAGE_STATE_VECTOR } from '../../../src/shared/relay-protocol.js';

export const ROOT = new URL('../../../', import.meta.url).pathname;

/** Tests that start relay processes: a tsx start takes about a second, several on a loaded machine. */
export const SPAWNED_RELAY_TIMEOUT_MS = 30_000;

/** A port that was free a moment ago, so a restarted server comes back where its clients reconnect. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function tempDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'tandem-relay-test-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A room secret as invites make them: 256 bits, base64url. */
export const newSecret = (): string => randomBytes(32).toString('base64url');
export const newRoom = (): string => randomBytes(12).toString('hex');

/** Polls `check` (which may ask a server) until it holds, or throws naming `what` once `timeoutMs` have passed. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A logger keeping every line it writes, for an in-process relay: what the operator would read. */
export function memoryLogger(): { logger: Logger; lines: () => Record<string, unknown>[]; text: () => string } {
  const written: string[] = [];
  return {
    logger: createLogger({ write: (line: string) => void written.push(line) }),
    lines: () => written.map((l) => JSON.parse(l) as Record<string, unknown>),
    text: () => written.join(''),
  };
}

/** One value of the relay's /metrics text, by its full name with labels. */
export function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`metric ${name} missing`);
  return Number(line.split(' ')[1]);
}

/** The relay's /metrics text. */
export async function fetchMetrics(relay: { port: number }): Promise<string> {
  return (await fetch(`http://127.0.0.1:${relay.port}/metrics`)).text();
}

/** The relay's /readyz answer as `status text`, e.g. `200 ready`. */
export async function readyz(relay: { port: number }): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${relay.port}/readyz`);
  return `${res.status} ${await res.text()}`;
}

/** Waits until the relay's /readyz says it is ready, or with `ready` false that it is not. */
export async function waitReady(relay: { port: number }, ready = true, timeoutMs = 15_000): Promise<void> {
  await waitFor(async () => (await readyz(relay)).startsWith('200 ') === ready, `/readyz to say ${ready ? '' : 'not '}ready`, timeoutMs);
}

export interface RelayProcess {
  port: number;
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `node --import tsx server/main.ts …` and resolves once it logs that it is listening. */
export async function spawnRelay(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RelayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start:\n${out}`)), 15_000);
    const look = () => {
      const line = out.split('\n').find((l) => l.includes('"msg":"listening"'));
      if (!line) return;
      clearTimeout(timer);
      child.stdout!.off('data', look);
      resolve((JSON.parse(line) as { port: number }).port);
    };
    child.stdout!.on('data', look);
    void exited.then((code) => reject(new Error(`relay exited with ${code} before listening:\n${out}`)));
  });
  return {
    port,
    url: `ws://127.0.0.1:${port}`,
    child,
    output: () => out,
    exited,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs the CLI to completion and returns its exit code and output (for configuration errors). */
export function runRelayCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    }),
  );
}

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  text: Y.Text;
  destroy(): void;
}

/** A stock y-websocket client; BroadcastChannel is off so peers in one process meet only via the relay. */
export function connectClient(url: string, room: string, params: Record<string, string>): Client {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, room, doc, {
    params,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
  return {
    doc,
    provider,
    text: doc.getText('notes'),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

export async function synced(client: Client, timeoutMs = 5000): Promise<void> {
  await waitFor(() => client.provider.synced, 'the client to sync', timeoutMs);
}

/** The clients a test (or a file) connects, destroyed together when it is done. */
export function clientPool() {
  const clients: Client[] = [];
  const connect = (relay: { url: string }, room: string, secret: string): Client => {
    const c = connectClient(relay.url, room, { secret });
    clients.push(c);
    return c;
  };
  return {
    connect,
    /** Two clients of one room, both synced: both on `relay`, or the second on `other`. */
    async pair(relay: { url: string }, room = newRoom(), secret = newSecret(), other = relay): Promise<[Client, Client]> {
      const pair: [Client, Client] = [connect(relay, room, secret), connect(other, room, secret)];
      await Promise.all(pair.map((c) => synced(c)));
      return pair;
    },
    destroyAll(): void {
      for (const c of clients.splice(0)) c.destroy();
    },
  };
}

/**
 * Asks the relay, as Tandem does, which changes it has stored: it answers with its stored state
 * vector once everything it received from this connection is stored. `answer()` is null until then.
 */
export function askStored(client: Client): {
  answer(): Map<number, number> | null;
  answered(timeoutMs?: number): Promise<Map<number, number>>;
} {
  let answer: Map<number, number> | null = null;
  client.provider.messageHandlers[MESSAGE_STATE_VECTOR] = (_encoder, decoder) => {
    answer = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
  };
  client.provider.ws!.send(stateVectorQuery());
  return {
    answer: () => answer,
    async answered(timeoutMs = 10_000) {
      await waitFor(() => answer !== null, 'the relay to answer the state-vector query', timeoutMs);
      return answer!;
    },
  };
}

/** Whether a relay's stored state vector holds everything `client` wrote. */
export const coversAll = (client: Client, answer: Map<number, number> | null): boolean =>
  answer !== null && answer.get(client.doc.clientID) === Y.decodeStateVector(Y.encodeStateVector(client.doc)).get(client.doc.clientID);

/** Resolves once the relay confirms it has stored everything `client` wrote so far. */
export async function confirmedAll(client: Client, timeoutMs = 5000): Promise<void> {
  const asked = askStored(client);
  await waitFor(() => coversAll(client, asked.answer()), 'the relay to confirm it stored every edit', timeoutMs);
}

/** Attempts an upgrade and reports the HTTP status of the refusal, or 101 if it was accepted. */
export function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      resolve(101);
      ws.close();
    });
    ws.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

/** A WebSocket upgrade request for `path`, written by hand. */
export const upgradeRequest = (path: string): string =>
  `GET ${path} HTTP/1.1\r\nHost: relay\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`;

/** Writes raw bytes on a fresh TCP connection; resolves with everything the relay answered once it closes, and how long that took. */
export function rawExchange(port: number, text: string): Promise<{ answer: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    // A reset ends the exchange like a close: the answer so far is what the test judges.
    socket.on('error', () => {});
    socket.on('close', () => resolve({ answer, ms: performance.now() - started }));
    socket.on('connect', () => socket.write(text));
  });
}

/** Opens a raw, admitted WebSocket and resolves with it once open. */
export function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Resolves with the close code the relay sent. */
export function closeCode(ws: WebSocket, timeoutMs = 5000): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the relay did not close the connection')), timeoutMs);
    ws.once('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** A message as y-protocols writes one: numbers as var-uints, strings as var-strings, bytes as var-length arrays. */
export function encodeMessage(...parts: (number | string | Uint8Array)[]): Uint8Array {
  const e = encoding.createEncoder();
  for (const p of parts) {
    if (typeof p === 'number') encoding.writeVarUint(e, p);
    else if (typeof p === 'string') encoding.writeVarString(e, p);
    else encoding.writeVarUint8Array(e, p);
  }
  return encoding.toUint8Array(e);
}

/** An awareness update (what a presence message carries): each client's state, as JSON text, at its clock. */
export const awarenessUpdate = (...states: [client: number, clock: number, json: string][]): Uint8Array =>
  encodeMessage(states.length, ...states.flat());

/** A y-websocket sync message carrying one document update. */
export const syncUpdateMessage = (update: Uint8Array): Uint8Array => encodeMessage(0, 2, update);

/** A sync step 2: a client's answer to the relay's state vector, its first sync (which may be a whole document). */
export const syncStep2Message = (update: Uint8Array): Uint8Array => encodeMessage(0, 1, update);

/** Tandem's state-vector query, which the relay answers once everything it received on that connection is stored. */
export const stateVectorQuery = (): Uint8Array => encodeMessage(MESSAGE_STATE_VECTOR);

/** A y-websocket awareness message from a client that speaks for `client`: its state at `clock`, null when it leaves. */
export const presenceMessage = (client: number, clock: number, state: unknown): Uint8Array =>
  encodeMessage(1, awarenessUpdate([client, clock, JSON.stringify(state)]));

/** The presences an awareness message carries, by client (null: that client left); empty for any other message. */
export function presencesIn(message: Uint8Array): Map<number, unknown> {
  const presences = new Map<number, unknown>();
  const d = decoding.createDecoder(message);
  if (decoding.readVarUint(d) !== 1) return presences;
  const update = decoding.createDecoder(decoding.readVarUint8Array(d));
  for (let n = decoding.readVarUint(update); n > 0; n--) {
    const client = decoding.readVarUint(update);
    decoding.readVarUint(update);
    presences.set(client, JSON.parse(decoding.readVarString(update)));
  }
  return presences;
}
