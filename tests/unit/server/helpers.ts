/**
 * Test support for the relay: real relay processes (or in-process relays) on loopback ports,
 * real SQLite in temp dirs, stock y-websocket clients.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createLogger, type Logger } from '../../../src/node/log.js';

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

export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
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

/** A y-websocket sync message carrying one document update. */
function syncMessage(type: number, update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

export const syncUpdateMessage = (update: Uint8Array): Uint8Array => syncMessage(2, update);

/** A sync step 2: a client's answer to the relay's state vector, its first sync (which may be a whole document). */
export const syncStep2Message = (update: Uint8Array): Uint8Array => syncMessage(1, update);

/** A y-websocket awareness message from a client that speaks for `client`: its state at `clock`, null when it leaves. */
export function presenceMessage(client: number, clock: number, state: unknown): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, 1);
  encoding.writeVarUint(update, client);
  encoding.writeVarUint(update, clock);
  encoding.writeVarString(update, JSON.stringify(state));
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(update));
  return encoding.toUint8Array(e);
}

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
