/**
 * Real processes for end-to-end tests: web shells (the core plus the built renderer) and relays,
 * started the way users and operators start them, each on its own data dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');

export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), `tandem-e2e-${prefix}-`));

export interface Running {
  proc: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** Graceful stop (SIGTERM), resolved when the process has exited. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash or a pulled plug would. */
  kill(): Promise<void>;
}

function startTs(script: string, args: string[], ready: RegExp, timeoutMs = 30_000): Promise<Running & { match: RegExpMatchArray }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: process.env });
  let out = '';
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const end = async (signal: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start in time:\n${out}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(ready);
      if (match) {
        clearTimeout(timer);
        resolve({ proc, match, output: () => out, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready:\n${out}`));
    });
  });
}

export interface WebShellProcess extends Running {
  /** The address the shell printed, with its session token. */
  url: string;
  origin: string;
  token: string;
}

export async function startWebShell(
  dataDir: string,
  env: { relay?: string; port?: string; newToken?: boolean } = {},
): Promise<WebShellProcess> {
  const args = ['--data-dir', dataDir, ...(env.relay ? ['--relay', env.relay] : []), ...(env.port ? ['--port', env.port] : [])];
  if (env.newToken) args.push('--new-token');
  const running = await startTs('src/web/main.ts', args, /Tandem is running at (http:\/\/\S+)/);
  const url = new URL(running.match[1]!);
  return { ...running, url: url.href, origin: url.origin, token: url.searchParams.get('token')! };
}

export interface RelayProcess extends Running {
  port: number;
  url: string;
}

export async function startRelay(dataDir: string, port = 0): Promise<RelayProcess> {
  const running = await startTs(
    'server/main.ts',
    ['--port', String(port), '--data', dataDir],
    /^(?=[^\n]*"msg":"listening")[^\n]*"port":(\d+)/m,
  );
  const actual = Number(running.match[1]);
  return { ...running, port: actual, url: `ws://127.0.0.1:${actual}` };
}
