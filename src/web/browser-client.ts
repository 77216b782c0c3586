/**
 * The web shell's client, running in the browser: the TandemApi over a WebSocket to the shell
 * that served the page. The session token is in the page's address (`?token=…`, which reloads
 * keep, and the hash routes leave alone); the socket presents it as a subprotocol, since
 * browsers let a page set no other header on a WebSocket.
 */
import type { Port } from '../shared/protocol.js';
import { createRpcClient, type RpcClient } from '../shared/rpc-client.js';

export const RPC_PATH = '/rpc';
/** The subprotocol the shell answers with. */
export const RPC_PROTOCOL = 'tandem';
/** Followed by the session token: the subprotocol that authenticates a socket. */
export const TOKEN_PROTOCOL_PREFIX = 'tandem.token.';
/** Followed by a backup's file name: where the shell serves the backups folder for download. */
export const BACKUP_DOWNLOAD_PATH = '/backups/';

const tokenOf = (location: Location) => new URLSearchParams(location.search).get('token') ?? '';

/** The address a backup of the backups folder downloads from, behind the session token. */
export function backupDownloadUrl(name: string, location: Location = window.location): string {
  return `${BACKUP_DOWNLOAD_PATH}${encodeURIComponent(name)}?token=${encodeURIComponent(tokenOf(location))}`;
}

function browserSocketPort(url: string, protocols: string[]): Port {
  const socket = new WebSocket(url, protocols);
  socket.binaryType = 'arraybuffer';
  const queue: (string | Uint8Array)[] = [];
  socket.addEventListener('open', () => {
    for (const m of queue.splice(0)) socket.send(m);
  });
  return {
    send(message) {
      if (socket.readyState === WebSocket.OPEN) socket.send(message);
      else if (socket.readyState === WebSocket.CONNECTING) queue.push(message);
    },
    onMessage(handler) {
      socket.addEventListener('message', (e: MessageEvent<string | ArrayBuffer>) =>
        handler(typeof e.data === 'string' ? e.data : new Uint8Array(e.data)),
      );
    },
    onClose(handler) {
      socket.addEventListener('close', () => handler());
    },
    close() {
      socket.close();
    },
  };
}

export function connectToWebShell(location: Location = window.location): RpcClient {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return createRpcClient(
    browserSocketPort(`${scheme}//${location.host}${RPC_PATH}`, [RPC_PROTOCOL, TOKEN_PROTOCOL_PREFIX + tokenOf(location)]),
  );
}
