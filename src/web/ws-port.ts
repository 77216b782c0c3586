/** A `ws` WebSocket as a protocol Port (Node side of the web shell). */
import type { WebSocket } from 'ws';
import type { Port } from '../shared/protocol.js';

export function wsPort(socket: WebSocket): Port {
  return {
    send(message) {
      if (socket.readyState === socket.OPEN) socket.send(message, { binary: typeof message !== 'string' });
    },
    onMessage(handler) {
      socket.on('message', (data, isBinary) => {
        const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        handler(isBinary ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes.toString('utf8'));
      });
    },
    onClose(handler) {
      socket.on('close', handler);
    },
    close() {
      socket.close();
    },
  };
}
