/**
 * A running Tandem answers on a local socket in its data dir (a named pipe on Windows), so the
 * command line adds through it instead of opening the same SQLite file a second time. The socket
 * lives in the data dir, which only its user can enter; a socket left behind by a crash is
 * replaced, one another Tandem still answers on is left alone.
 */
import { createHash } from 'node:crypto';
import { chmodSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { socketPort } from '../node/socket-port.js';
import type { Logger } from '../node/log.js';
import { serveSession } from './rpc-server.js';
import type { TandemCore } from './tandem-core.js';

export function localSocketPath(dataDir: string): string {
  if (process.platform === 'win32') return `\\\\.\\pipe\\tandem-${createHash('sha256').update(dataDir).digest('hex').slice(0, 24)}`;
  return join(dataDir, 'tandem.sock');
}

/** Resolves true when something answers on `path`. */
export function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/** Serves core sessions on the data dir's local socket until closed; null when another Tandem already does, or it cannot listen. */
export async function serveLocalSocket(core: TandemCore, dataDir: string, log: Logger): Promise<{ close(): Promise<void> } | null> {
  const path = localSocketPath(dataDir);
  if (await answers(path)) {
    log.warn('another Tandem answers on this data dir: the command line goes to it');
    return null;
  }
  if (process.platform !== 'win32') rmSync(path, { force: true });
  const server: Server = createServer((socket) => {
    serveSession(socketPort(socket), core.connect(), {
      onProtocolError: (error) => log.warn({ error: error.message }, 'refused a message on the local socket'),
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
  } catch (error) {
    // Tandem works without it (e.g. a data dir path too long for a socket); the command line then opens the files itself.
    log.warn({ error: (error as Error).message }, 'the command line cannot reach this Tandem: no local socket');
    return null;
  }
  if (process.platform !== 'win32') chmodSync(path, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        if (process.platform !== 'win32') rmSync(path, { force: true });
      }),
  };
}
