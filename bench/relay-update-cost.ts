/**
 * How long the relay's event loop is held by the heaviest update its budgets admit: one update of
 * `maxStructs` structs (the cap of a connection's first sync step 2; the struct burst of one
 * connection), and one of the default `--synced-max-structs` (the cap on every other update), in
 * the shapes that cost most per struct. Each stage the relay runs on a received update is timed on its own, in this
 * process, on a fresh room document: the struct count from the bytes (update-scan.ts), the full
 * decode (Y.decodeUpdate), the nesting check (nesting.ts), and Yjs integrating it into the room's
 * document (Y.applyUpdate), which only the thread holding the document can do. Figures are the
 * median of five runs, wall time (a loaded machine inflates them all alike); the CPU time of the
 * whole measurement and the load average are printed beside them.
 *
 * Run: npx tsx bench/relay-update-cost.ts
 */
import * as Y from 'yjs';
import { checkNesting } from '../src/node/docstore/nesting.js';
import { loadavg } from 'node:os';
import { RelaySettings } from '../server/config.js';
import { DEFAULT_MESSAGE_LIMITS } from '../server/protocol.js';
import { countStructs } from '../server/update-scan.js';

const RUNS = 5;

function build(fill: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => fill(doc));
  return Y.encodeStateAsUpdate(doc);
}

export const heavyUpdates = (N: number): Record<string, () => Uint8Array> => ({
  'map sets (distinct keys)': () =>
    build((doc) => {
      for (let i = 0; i < N; i++) doc.getMap('m').set(`k${i}`, i);
    }),
  'text, each insert at the start': () =>
    build((doc) => {
      for (let i = 0; i < N; i++) doc.getText('t').insert(0, 'ab');
    }),
  'nested elements, 250 deep': () =>
    build((doc) => {
      for (let r = 0; r < N / 250; r++) {
        let parent: Y.XmlFragment | Y.XmlElement = doc.getXmlFragment(`f${r}`);
        for (let i = 0; i < 250; i++) {
          const child: Y.XmlElement = new Y.XmlElement('q');
          parent.insert(0, [child]);
          parent = child;
        }
      }
    }),
});

export interface UpdateCost {
  structs: number;
  shape: string;
  kib: number;
  scanMs: number;
  decodeMs: number;
  nestingMs: number;
  applyMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

export function measureUpdateCosts(N: number): UpdateCost[] {
  return Object.entries(heavyUpdates(N)).map(([shape, make]) => {
    const update = make();
    const runs = Array.from({ length: RUNS }, () => {
      let decoded: ReturnType<typeof Y.decodeUpdate> | null = null;
      return {
        scanMs: time(() => countStructs(update, N)),
        decodeMs: time(() => (decoded = Y.decodeUpdate(update))),
        nestingMs: time(() => checkNesting(decoded!, new Y.Doc())),
        applyMs: time(() => Y.applyUpdate(new Y.Doc(), update)),
      };
    });
    const pick = (k: keyof (typeof runs)[number]) => median(runs.map((r) => r[k]));
    return {
      structs: N,
      shape,
      kib: update.byteLength / 1024,
      scanMs: pick('scanMs'),
      decodeMs: pick('decodeMs'),
      nestingMs: pick('nestingMs'),
      applyMs: pick('applyMs'),
    };
  });
}

export function formatUpdateCosts(costs: UpdateCost[]): string {
  const lines = [
    `one update of ${costs[0]!.structs} structs, median of ${RUNS} runs (ms): scan | decode | nesting | apply (on the loop whatever happens)`,
  ];
  for (const c of costs) {
    lines.push(
      `  ${c.shape.padEnd(32)} ${c.kib.toFixed(0).padStart(6)} KiB  ${c.scanMs.toFixed(1)} | ${c.decodeMs.toFixed(1)} | ${c.nestingMs.toFixed(1)} | ${c.applyMs.toFixed(1)}`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (const structs of [DEFAULT_MESSAGE_LIMITS.maxStructs, RelaySettings.shape.syncedMaxStructs.parse(undefined)])
    console.log(formatUpdateCosts(measureUpdateCosts(structs)));
  const used = process.cpuUsage(cpu);
  console.log(
    `wall ${((performance.now() - start) / 1000).toFixed(1)} s, CPU ${((used.user + used.system) / 1e6).toFixed(1)} s, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}
