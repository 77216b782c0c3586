/** An Electron MessagePortMain as a protocol Port (main and utility process side). */
import type { MessagePortMain } from 'electron';
import type { Port } from '../shared/protocol.js';

export function messagePortMain(port: MessagePortMain): Port {
  const closeHandlers: (() => void)[] = [];
  port.on('close', () => closeHandlers.forEach((h) => h()));
  return {
    send: (message) => port.postMessage(message),
    onMessage: (handler) => {
      port.on('message', (e) => handler(e.data as string | Uint8Array));
      port.start();
    },
    onClose: (handler) => void closeHandlers.push(handler),
    close: () => port.close(),
  };
}
