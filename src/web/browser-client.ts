/**
 * The web shell's client, running in the browser: the TandemApi over a WebSocket to the shell
 * that served the page. The session cookie set with the page authenticates the socket.
 */
import type { Port } from '../shared/protocol.js';
import { createRpcClient, type RpcClient } from '../shared/rpc-client.js';

export const RPC_PATH = '/rpc';

function browserSocketPort(url: string): Port {
  const socket = new WebSocket(url);
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
  return createRpcClient(browserSocketPort(`${scheme}//${location.host}${RPC_PATH}`));
}
