/**
 * One load-generator process for bench/relay-load.ts, driven over the IPC channel of `fork`.
 *
 * 'active': two stock y-websocket clients per room; each room edits once a second (the two clients
 * take turns, rooms spread evenly over the second), and the latency of an edit is the time from
 * one client's insert until the other client's observer sees it (both in this process, one clock).
 * 'idle': raw WebSockets that complete a sync (send step 1, receive the server's answer) and then
 * stay silent, the cheapest client that still counts as a real one.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export type LoadCommand =
  /** Each room's clients go to the servers of `urls` in turn, so with several instances a room's two clients are on different ones. */
  | { type: 'connect'; mode: 'active' | 'idle'; urls: string[]; params: Record<string, string>; rooms: string[]; perRoom: number }
  /** Each room edits once every `intervalMs`. */
  | { type: 'edit'; warmupMs: number; measureMs: number; intervalMs: number }
  | { type: 'stop' };

export type LoadReport = { type: 'connected' } | { type: 'samples'; samples: number[]; lost: number } | { type: 'failed'; error: string };

const send = (report: LoadReport) => process.send!(report);
// Each y-websocket provider listens for the process's exit; a thousand of them are expected here.
process.setMaxListeners(0);

/** Opens connections in waves: a server admits a burst of handshakes more slowly than it serves them. */
const WAVE = 100;

interface Room {
  texts: [Y.Text, Y.Text];
  pending: { length: number; start: number; reader: 0 | 1 } | null;
}

let stopAll: () => void = () => {};

async function connectActive(urls: string[], params: Record<string, string>, names: string[]): Promise<Room[]> {
  const providers: WebsocketProvider[] = [];
  const rooms: Room[] = [];
  for (let i = 0; i < names.length; i += WAVE / 2) {
    const wave = names.slice(i, i + WAVE / 2).map((name, k) => {
      const pair = [0, 1].map((j) => {
        const doc = new Y.Doc();
        const provider = new WebsocketProvider(urls[(i + k + j) % urls.length]!, name, doc, {
          params,
          WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
          disableBc: true,
        });
        providers.push(provider);
        return { doc, provider };
      });
      const room: Room = { texts: [pair[0]!.doc.getText('t'), pair[1]!.doc.getText('t')], pending: null };
      for (const reader of [0, 1] as const) {
        const text = room.texts[reader];
        text.observe(() => {
          const pending = room.pending;
          if (pending && pending.reader === reader && text.length >= pending.length) {
            samples.push(performance.now() - pending.start);
            room.pending = null;
          }
        });
      }
      rooms.push(room);
      return Promise.all(pair.map(({ provider }) => new Promise<void>((r) => (provider.synced ? r() : provider.once('sync', () => r())))));
    });
    await Promise.all(wave);
  }
  stopAll = () => {
    for (const p of providers) p.destroy();
  };
  return rooms;
}

let samples: number[] = [];
let lost = 0;

/** Each room edits once every `intervalMs` at its own offset; an edit not seen by the next one counts as lost. */
async function edit(rooms: Room[], warmupMs: number, measureMs: number, intervalMs: number): Promise<void> {
  const timers: NodeJS.Timeout[] = [];
  let turn = 0;
  rooms.forEach((room, i) => {
    const fire = () => {
      if (room.pending) lost++;
      const writer = (turn++ & 1) as 0 | 1;
      const text = room.texts[writer];
      room.pending = { length: text.length + 1, start: performance.now(), reader: (1 - writer) as 0 | 1 };
      text.insert(text.length, 'x');
    };
    timers.push(
      setTimeout(
        () => {
          fire();
          timers.push(setInterval(fire, intervalMs));
        },
        (i * intervalMs) / rooms.length,
      ),
    );
  });
  await new Promise((r) => setTimeout(r, warmupMs));
  samples = [];
  lost = 0;
  await new Promise((r) => setTimeout(r, measureMs));
  for (const t of timers) clearTimeout(t);
}

function syncStep1(): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()));
  return encoding.toUint8Array(e);
}

async function connectIdle(urls: string[], params: Record<string, string>, names: string[], perRoom: number): Promise<void> {
  const sockets: WebSocket[] = [];
  const query = new URLSearchParams(params).toString();
  const step1 = syncStep1();
  const targets = names.flatMap((name, i) =>
    Array.from({ length: perRoom }, (_, j) => `${urls[(i + j) % urls.length]}/${name}${query ? `?${query}` : ''}`),
  );
  for (let i = 0; i < targets.length; i += WAVE) {
    await Promise.all(
      targets.slice(i, i + WAVE).map(
        (target) =>
          new Promise<void>((resolve, reject) => {
            const ws = new WebSocket(target, { perMessageDeflate: false });
            sockets.push(ws);
            ws.once('error', reject);
            ws.once('open', () => ws.send(step1));
            ws.on('message', (data: Buffer) => {
              // The server's sync step 2 answers ours: the connection is synced.
              const d = decoding.createDecoder(new Uint8Array(data));
              if (decoding.readVarUint(d) === 0 && decoding.readVarUint(d) === 1) resolve();
            });
          }),
      ),
    );
  }
  stopAll = () => {
    for (const ws of sockets) ws.terminate();
  };
}

let rooms: Room[] = [];
process.on('message', (command: LoadCommand) => {
  const run = async () => {
    switch (command.type) {
      case 'connect':
        if (command.mode === 'active') rooms = await connectActive(command.urls, command.params, command.rooms);
        else await connectIdle(command.urls, command.params, command.rooms, command.perRoom);
        return send({ type: 'connected' });
      case 'edit':
        await edit(rooms, command.warmupMs, command.measureMs, command.intervalMs);
        return send({ type: 'samples', samples, lost });
      case 'stop':
        stopAll();
        process.disconnect();
        return;
    }
  };
  run().catch((error: unknown) => send({ type: 'failed', error: String((error as Error).stack ?? error) }));
});
