/** A TCP hop in front of a relay that keeps every byte going either way, to prove what never crosses. */
import { readFileSync, readdirSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';

export interface RecordingProxy {
  url: string;
  bytes(): Buffer;
  close(): Promise<void>;
}

export async function recordingProxy(relayPort: number): Promise<RecordingProxy> {
  const chunks: Buffer[] = [];
  const sockets = new Set<{ destroy(): void }>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: relayPort });
    sockets.add(client).add(upstream);
    client.on('data', (d: Buffer) => chunks.push(d));
    upstream.on('data', (d: Buffer) => chunks.push(d));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}`,
    bytes: () => Buffer.concat(chunks),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

/** Every file under `dir`, concatenated: to look for a text anywhere a process may have stored it. */
export function bytesOnDisk(dir: string): Buffer {
  return Buffer.concat(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => readFileSync(join(entry.parentPath, entry.name))),
  );
}
