/**
 * A local socket (Unix domain socket, or a named pipe on Windows) as a protocol Port: each message
 * is one frame, `kind (0 text, 1 binary) · length (4 bytes, big-endian) · payload`. Used by the
 * command line to reach a running Tandem through its data dir.
 */
import type { Socket } from 'node:net';
import type { Port } from '../shared/protocol.js';

/** A frame larger than this closes the connection: no quick-add line or answer comes near it. */
const MAX_FRAME = 16 * 1024 * 1024;

export function socketPort(socket: Socket): Port {
  let buffered = Buffer.alloc(0);
  const handlers: ((message: string | Uint8Array) => void)[] = [];
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 5) {
      const length = buffered.readUInt32BE(1);
      if (length > MAX_FRAME) {
        socket.destroy();
        return;
      }
      if (buffered.length < 5 + length) return;
      const payload = buffered.subarray(5, 5 + length);
      const message = buffered[0] === 0 ? payload.toString('utf8') : new Uint8Array(payload);
      buffered = buffered.subarray(5 + length);
      for (const h of handlers) h(message);
    }
  });
  socket.on('error', () => socket.destroy());
  return {
    send(message) {
      if (socket.destroyed) return;
      const payload = typeof message === 'string' ? Buffer.from(message, 'utf8') : Buffer.from(message);
      const header = Buffer.alloc(5);
      header[0] = typeof message === 'string' ? 0 : 1;
      header.writeUInt32BE(payload.length, 1);
      socket.write(Buffer.concat([header, payload]));
    },
    onMessage(handler) {
      handlers.push(handler);
    },
    onClose(handler) {
      socket.on('close', handler);
    },
    close() {
      socket.end();
    },
  };
}
