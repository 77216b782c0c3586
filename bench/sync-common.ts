/**
 * Shared by bench/sync-latency.ts and bench/sync-merge.ts: relays in their own processes (ours
 * and the reference @y/websocket-server), real TandemCores on temp data dirs sharing a 1:1 through
 * one of them, a counting TCP proxy, and percentiles.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createTcpServer, connect, type AddressInfo, type Socket } from 'node:net';
import { cpus, tmpdir, type as osType, release } from 'node:os';
import { join } from 'node:path';
import { REFERENCE_NAME } from './reference-server.js';
import { RELAY_BUNDLE, RELAY_NODE_OPTIONS } from '../vite.relay.config.js';
import { TandemCore, type CoreOptions, type CoreSession } from '../src/core/tandem-core.js';

export interface RelayTarget {
  name: string;
  url: string;
  /** The server's process, for measuring its CPU and memory. */
  pid: number;
  close(): Promise<void>;
}

const ROOT = join(import.meta.dirname, '..');

export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), `tandem-bench-${prefix}-`));

/**
 * A server in its own process, as deployed: the relay's synchronous fsync then blocks only the
 * relay, not the cores measuring it (in one process it would stall them too and hide the effect
 * of forwarding before storing).
 */
function spawnServer(name: string, nodeArgs: string[], onClose: () => void = () => {}): Promise<RelayTarget> {
  const child = spawn(process.execPath, nodeArgs, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const port = /"port":(\d+)/.exec(out)?.[1];
      if (!port) return;
      child.stdout.off('data', onData);
      resolve({
        name,
        url: `ws://127.0.0.1:${port}`,
        pid: child.pid!,
        close: async () => {
          child.kill('SIGTERM');
          await exited;
          onClose();
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}: ${out}`)));
  });
}

let relayBuilt: Promise<unknown> | null = null;

/** Our relay in its own process, as deployed (the bundle of `npm run build:relay`, built once per run, run with the node options it is deployed with), on a loopback port, with its own temp data dir. */
export async function startOurRelay(synchronous: 'full' | 'normal' = 'normal', extraArgs: string[] = []): Promise<RelayTarget> {
  relayBuilt ??= import('vite').then(({ build }) => build({ configFile: join(ROOT, 'vite.relay.config.ts') }));
  await relayBuilt;
  const dir = tempDir('relay');
  return spawnServer(
    `tandem relay (SQLite, synchronous=${synchronous.toUpperCase()})`,
    [...RELAY_NODE_OPTIONS, RELAY_BUNDLE, '--port', '0', '--data', dir, '--synchronous', synchronous, ...extraArgs],
    () => rmSync(dir, { recursive: true, force: true }),
  );
}

/** The reference server (bench/reference-server.ts) in its own process. */
export function startReference(): Promise<RelayTarget> {
  return spawnServer(REFERENCE_NAME, ['--import', 'tsx', 'bench/reference-server.ts']);
}

/** A TCP proxy in front of a relay that counts the bytes each way (WebSocket frames, upgrade handshake included). */
export interface CountingProxy {
  url: string;
  /** Bytes from the client (core) to the relay, and back, since start or the last reset. */
  up: number;
  down: number;
  reset(): void;
  close(): Promise<void>;
}

export async function startCountingProxy(upstreamUrl: string): Promise<CountingProxy> {
  const upstream = new URL(upstreamUrl);
  const sockets = new Set<Socket>();
  const proxy: CountingProxy = {
    url: '',
    up: 0,
    down: 0,
    reset() {
      proxy.up = 0;
      proxy.down = 0;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createTcpServer((client) => {
    const relay = connect(Number(upstream.port), upstream.hostname);
    client.setNoDelay(true);
    relay.setNoDelay(true);
    for (const s of [client, relay]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        relay.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      proxy.up += chunk.byteLength;
      relay.write(chunk);
    });
    relay.on('data', (chunk: Buffer) => {
      proxy.down += chunk.byteLength;
      client.write(chunk);
    });
    client.on('end', () => relay.end());
    relay.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

export interface BenchPerson {
  name: string;
  core: TandemCore;
  api: CoreSession;
  dataDir: string;
  close(): Promise<void>;
}

/** A real core on its own temp data dir (real SQLite, synchronous=FULL as the core opens it), with a profile. */
export async function openPerson(name: string, relayUrl: string, options: Partial<CoreOptions> = {}): Promise<BenchPerson> {
  const dataDir = tempDir(`core-${name.toLowerCase()}`);
  const core = await TandemCore.open({ dataDir, defaultRelay: { url: relayUrl }, joinTimeoutMs: 10_000, ...options });
  const api = core.connect();
  await api.setProfile({ name });
  return {
    name,
    core,
    api,
    dataDir,
    close: async () => {
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A creates a 1:1 shared through `relayUrl` and B joins it with the invite code. `bRelayUrl`, when
 * given, replaces the relay address in the code B pastes (to put B behind its own proxy).
 */
export async function shareSeries(a: BenchPerson, b: BenchPerson, relayUrl: string, bRelayUrl?: string): Promise<string> {
  await a.api.setRelay({ url: relayUrl });
  const series = await a.api.createSeries({ partnerName: b.name, kind: 'manager-report', myRole: 'manager' });
  let { code } = await a.api.createInvite({ seriesId: series.id });
  if (bRelayUrl) {
    const payload = JSON.parse(Buffer.from(code, 'base64url').toString('utf8')) as { relay: string };
    payload.relay = bRelayUrl;
    code = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  }
  await b.api.acceptInvite({ code });
  return series.id;
}

export async function until(check: () => boolean, what: string, timeoutMs = 10_000, pollMs = 5): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export { percentile, percentiles, type Percentiles } from './figures.js';

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} x ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${osType()} ${release()}, Node ${process.version}`;
}

export const ms = (v: number, digits = 2) => `${v.toFixed(digits)} ms`;
export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
