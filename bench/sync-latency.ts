/**
 * Keystroke-to-peer latency, core to core: two real TandemCores share 1:1s through our relay and
 * through the reference @y/websocket-server, measured in the same run.
 *
 * Method: two TandemCores (A and B) in this process, each on its own temp data dir (real SQLite,
 * synchronous=FULL: every update is fsynced before anyone hears of it). The servers run in their
 * own processes, as deployed, on loopback ports: ours (server/main.ts) with synchronous=NORMAL (its
 * default, which the targets are checked against) and with synchronous=FULL, and the reference @y/websocket-server 0.1.1 (memory only). The same two
 * cores share one 1:1 through each (A creates it and an invite, B accepts), so the cores, their
 * databases and the machine are the same for every server. One edit is one keystroke in the next
 * meeting's notes: A inserts one character at the end of the notes' paragraph (an XmlText in an
 * XmlElement('paragraph') in the meeting's XmlFragment, as Tiptap writes it) in
 * core.docs.with(). The latency runs from just before that call until B's Y.Doc emits 'update'
 * with B's WebsocketProvider as origin and B's paragraph has the character (so it includes: A
 * persists the update, A's provider sends it, the relay applies it, forwards it and stores it,
 * B's provider applies it, and B persists it). "A's edit call" is the part spent in A's
 * docs.with() (A's fsync and the send). Edits are sequential (the next starts when B has the
 * previous one) and the servers alternate in blocks, so drift in machine load hits all alike. A
 * warm-up per server is discarded. Both cores share one Node thread, so their fsyncs (A's, then
 * B's) are serial, as they are on the wire; the relay's runs in its own process.
 *
 * Run: npx tsx bench/sync-latency.ts [edits]
 */
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import type { CoreOptions } from '../src/core/tandem-core.js';
import { meetingNotes, nextMeeting } from '../src/shared/domain/series-doc.js';
import { latencyFigures, serverSuffix, type Figures } from './figures.js';
import {
  machine,
  ms,
  openPerson,
  percentiles,
  shareSeries,
  startOurRelay,
  startReference,
  until,
  type BenchPerson,
  type Percentiles,
  type RelayTarget,
} from './sync-common.js';

export interface SyncLatencyResult {
  server: string;
  latency: Percentiles;
  /** Time inside A's docs.with() call: persist (fsync) and hand to the socket. */
  localEdit: Percentiles;
  /** After the run: what A's core reports for this 1:1. */
  aState: { status: string; unsent: number };
  /** Both documents equal at the end (state vectors and the notes text). */
  converged: boolean;
}

export interface SyncLatencyReport {
  machine: string;
  edits: number;
  warmup: number;
  block: number;
  setupMs: number;
  results: SyncLatencyResult[];
}

export interface SyncLatencyOptions {
  edits?: number;
  warmup?: number;
  block?: number;
  /** Core options for diagnosis (e.g. projectionDebounceMs); the bench itself uses the core's defaults. */
  core?: Partial<CoreOptions>;
}

/** The paragraph text of the next meeting's notes (created by A during setup). */
function notesText(doc: Y.Doc): Y.XmlText {
  const meeting = nextMeeting(doc);
  if (!meeting) throw new Error('the 1:1 has no next meeting');
  const paragraph = meetingNotes(doc, meeting.id).get(0);
  if (!(paragraph instanceof Y.XmlElement)) throw new Error('the notes have no paragraph');
  const text = paragraph.get(0);
  if (!(text instanceof Y.XmlText)) throw new Error('the paragraph has no text');
  return text;
}

interface Lane {
  target: RelayTarget;
  seriesId: string;
  /** One keystroke from A; resolves with [latency, time in A's edit call] once B has it. */
  keystroke(): Promise<[number, number]>;
  converged(): boolean;
  detach(): void;
}

async function lane(target: RelayTarget, a: BenchPerson, b: BenchPerson): Promise<Lane> {
  const seriesId = await shareSeries(a, b, target.url);
  a.core.docs.with(seriesId, (doc) => {
    const notes = meetingNotes(doc, nextMeeting(doc)!.id);
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('')]);
    notes.insert(0, [paragraph]);
  });
  // B's document stays loaded while its sync connection holds it, so this reference stays valid.
  const docB = b.core.docs.with(seriesId, (doc) => doc);
  const providerB = b.core.sync.get(seriesId)!.provider;
  await until(() => {
    try {
      notesText(docB);
      return true;
    } catch {
      return false;
    }
  }, `B to receive the notes paragraph through ${target.name}`);
  const textB = notesText(docB);
  let expected = textB.length;
  let waiting: (() => void) | null = null;
  const onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (waiting && origin === providerB && textB.length >= expected) {
      const resolve = waiting;
      waiting = null;
      resolve();
    }
  };
  docB.on('update', onUpdate);
  return {
    target,
    seriesId,
    keystroke: async () => {
      expected++;
      const seen = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`B did not receive a keystroke within 5 s through ${target.name}`)), 5000);
        waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      const start = performance.now();
      a.core.docs.with(seriesId, (doc) => {
        const text = notesText(doc);
        text.insert(text.length, String.fromCharCode(97 + (expected % 26)));
      });
      const local = performance.now() - start;
      await seen;
      return [performance.now() - start, local];
    },
    converged: () =>
      a.core.docs.with(seriesId, (docA) => {
        const sv = (d: Y.Doc) => Buffer.from(Y.encodeStateVector(d)).toString('hex');
        return sv(docA) === sv(docB) && notesText(docA).toString() === textB.toString();
      }),
    detach: () => docB.off('update', onUpdate),
  };
}

export async function measureSyncLatency({
  edits = 1000,
  warmup = 100,
  block = 100,
  core = {},
}: SyncLatencyOptions = {}): Promise<SyncLatencyReport> {
  const setupStart = performance.now();
  const targets: RelayTarget[] = [];
  const people: BenchPerson[] = [];
  try {
    targets.push(await startOurRelay('full'), await startOurRelay('normal'), await startReference());
    const a = await openPerson('Alex', targets[0]!.url, core);
    people.push(a);
    const b = await openPerson('Blair', targets[0]!.url, core);
    people.push(b);
    const lanes: Lane[] = [];
    for (const t of targets) lanes.push(await lane(t, a, b));
    const setupMs = performance.now() - setupStart;

    for (const l of lanes) for (let i = 0; i < warmup; i++) await l.keystroke();
    const latency: number[][] = lanes.map(() => []);
    const local: number[][] = lanes.map(() => []);
    for (let done = 0; done < edits; done += block) {
      for (const [i, l] of lanes.entries()) {
        for (let j = 0; j < Math.min(block, edits - done); j++) {
          const [total, inCall] = await l.keystroke();
          latency[i]!.push(total);
          local[i]!.push(inCall);
        }
      }
    }
    // Give the unsent-changes queries (sent 20 ms after an edit) time to be answered.
    await new Promise((r) => setTimeout(r, 300));
    const results = lanes.map((l, i) => {
      l.detach();
      const state = a.core.syncState(l.seriesId);
      return {
        server: l.target.name,
        latency: percentiles(latency[i]!),
        localEdit: percentiles(local[i]!),
        aState: { status: state.status, unsent: state.unsent },
        converged: l.converged(),
      };
    });
    return { machine: machine(), edits, warmup, block, setupMs, results };
  } finally {
    for (const p of people) await p.close();
    for (const t of targets) await t.close();
  }
}

const TARGET_P99_MS = 10;

/** The figures by stable name (bench/figures.ts): `keystroke_peer_ms_*` is our relay at its default (NORMAL). */
export function syncLatencyFigures(report: SyncLatencyReport): Figures {
  return Object.assign({}, ...report.results.map((r) => latencyFigures(`keystroke_peer${serverSuffix(r.server)}`, r.latency))) as Figures;
}

export function formatSyncLatency(report: SyncLatencyReport): string {
  const { results } = report;
  const width = Math.max(6, ...results.map((r) => r.server.length));
  const col = (v: string, w = 10) => v.padStart(w);
  const reference = results.find((r) => r.server.includes('reference'));
  // The targets apply to the relay as shipped: synchronous=NORMAL (server/config.ts says why).
  const ours = results.find((r) => r.server.includes('NORMAL'));
  const lines = [
    `Machine: ${report.machine}. Loopback; both cores in one Node process, each server in its own.`,
    "Measured: core A inserts one character into the next meeting's notes (core.docs.with) -> A persists (SQLite, FULL)",
    "  and sends -> relay applies, forwards and stores it -> core B's Y.Doc emits 'update' from its provider with the character",
    `  (B has persisted it). ${report.edits} sequential edits per server after ${report.warmup} warm-up edits (discarded), servers`,
    `  alternating in blocks of ${report.block}; the same two cores share one 1:1 through each server.`,
    `  "A's call" = time inside A's docs.with() (A's fsync + send), part of the total.`,
    `${'server'.padEnd(width)}  ${col('edits', 6)}${col('p50')}${col('p95')}${col('p99')}${col('max')}   A's call p50 / p99   A's state after   equal`,
    ...results.map(
      (r) =>
        `${r.server.padEnd(width)}  ${col(String(r.latency.n), 6)}${col(ms(r.latency.p50))}${col(ms(r.latency.p95))}${col(ms(r.latency.p99))}${col(ms(r.latency.max))}` +
        `   ${ms(r.localEdit.p50)} / ${ms(r.localEdit.p99)}`.padEnd(22) +
        `   ${`${r.aState.status}, unsent ${r.aState.unsent}`.padEnd(17)} ${r.converged ? 'yes' : 'NO'}`,
    ),
  ];
  if (ours) {
    lines.push(
      `Target p99 < ${TARGET_P99_MS} ms through our relay (default, NORMAL): ${ours.latency.p99 < TARGET_P99_MS ? 'met' : 'MISSED'} (p99 ${ms(ours.latency.p99)}).`,
    );
    if (reference) {
      const slower = (['p50', 'p95', 'p99'] as const).filter((q) => ours.latency[q] > reference.latency[q]);
      lines.push(
        `Target no slower than the reference: ${slower.length === 0 ? 'met' : `MISSED at ${slower.join(', ')}`} ` +
          `(ours p50/p95/p99 ${ms(ours.latency.p50)} / ${ms(ours.latency.p95)} / ${ms(ours.latency.p99)} vs reference ` +
          `${ms(reference.latency.p50)} / ${ms(reference.latency.p95)} / ${ms(reference.latency.p99)}; the reference keeps rooms in memory only, ours also stores each update).`,
      );
      if (reference.aState.unsent > 0) {
        lines.push(
          `Through the reference, A's core still counts ${reference.aState.unsent} unsent changes: the reference silently ignores the core's`,
          '  state-vector query (message type 100), so the core is never told the server has them. Sync itself works.',
        );
      }
    }
  }
  lines.push(`(setup: ${ms(report.setupMs, 0)} for relays, cores and invites)`);
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const edits = Number(process.argv[2] ?? 1000);
  console.log(formatSyncLatency(await measureSyncLatency({ edits })));
}
