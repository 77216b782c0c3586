/**
 * The reference @y/websocket-server (in memory, no persistence, no auth) running in this
 * process: what benchmarks compare our relay with, and what tests use to prove the core works
 * with a stock y-websocket server.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { docs as referenceDocs, setupWSConnection } from '@y/websocket-server/utils';
import { pathToFileURL } from 'node:url';
import { WebSocketServer } from 'ws';

export const REFERENCE_NAME = '@y/websocket-server 0.1.1 (reference)';

export async function startReferenceServer(): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', setupWSConnection);
  const server = createServer();
  server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // Without persistence the reference keeps every room (and its awareness timer) forever.
      for (const doc of referenceDocs.values()) doc.destroy();
      referenceDocs.clear();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = await startReferenceServer();
  console.log(JSON.stringify({ msg: 'listening', port: Number(new URL(server.url).port) }));
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
}
