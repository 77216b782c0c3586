/**
 * Offline merge, core to core: both people edit the same 1:1 offline, then reconnect.
 *
 * Method: two real TandemCores (A and B) in this process, each on its own temp data dir (real
 * SQLite, synchronous=FULL). They share one 1:1 (A creates it, B accepts the invite) through a
 * relay in its own process on loopback: our relay (server/main.ts, default synchronous=NORMAL), and in a
 * second round the reference @y/websocket-server with a second 1:1. Each core reaches the relay
 * through its own small TCP proxy that counts the bytes each way (WebSocket frames, upgrade
 * handshakes, awareness and the core's unsent-changes queries included). Before going offline the
 * 1:1 has 20 agenda items and a paragraph of notes, synced to both. Then both disconnect
 * (`core.sync.get(id).provider.disconnect()`) and each makes N edits offline (default 10,000), one
 * core.docs.with() call each (so each is its own update, persisted to SQLite with an fsync), with
 * a seeded random mix: 70% typing one character into the next meeting's notes (a new paragraph
 * every 80 characters), 8% adding an agenda item, 7% typing a character into an item's title, 3%
 * renaming an item (replaceText of the whole title), 6% moving an item to a random position, 6%
 * marking an item discussed (or open again). The loop yields to the event loop after every edit,
 * so compaction and projection run as they would. A's edits, then B's, are timed.
 * Then both reconnect (`provider.connect()`, A then B, same tick) and the clock runs from just
 * before A's connect() until, polled every 2 ms: both Y.Docs have the same state vector and the
 * same agenda (ids in order), and both cores report unsent 0. The bytes are what the proxies saw
 * from reconnect to that moment. Afterwards the notes and the agenda (ids, titles, states, order
 * keys) are compared in full. Also printed: the time per kind of edit, and a timeline of the
 * merge (each provider's status and sync, each remote update applied and its size). Everything
 * runs on one Node thread, so the relay's and both cores' work during the merge is serial.
 *
 * Run: npx tsx bench/sync-merge.ts [edits]   (MERGE_PROFILE=/tmp/x writes a CPU profile of the merge window)
 */
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { agendaMap, itemText, listAgenda, meetingNotes, nextMeeting } from '../src/shared/domain/series-doc.js';
import { addAgendaItem, editItemText, moveAgendaItem, setItemState } from '../src/shared/domain/commands.js';
import {
  kib,
  machine,
  ms,
  openPerson,
  shareSeries,
  startCountingProxy,
  startOurRelay,
  startReference,
  until,
  type BenchPerson,
  type CountingProxy,
  type RelayTarget,
} from './sync-common.js';
import { serverSuffix, type Figures } from './figures.js';

export interface MergeResult {
  server: string;
  /** Time for each side's offline edits (ms) and the mean per edit. */
  editMs: { a: number; b: number };
  /** Both sides' edits by kind: count and time inside the docs.with() calls. */
  profile: EditProfile;
  /** From reconnect until both documents are equal (state vector and agenda order). */
  equalMs: number | null;
  /** From reconnect until both cores report unsent 0 (null: not within the timeout). */
  unsentZeroMs: number | null;
  /** Bytes through each core's proxy from reconnect until done. */
  bytes: { aUp: number; aDown: number; bUp: number; bDown: number };
  /** Each side's offline changes as one Yjs update (what at least has to travel). */
  diffBytes: { a: number; b: number };
  /** Unsent counts when the run ended (non-zero when the server ignores the query). */
  unsentAtEnd: { a: number; b: number };
  /** What happened when after reconnect (ms from connect()): provider status, sync, remote updates applied. */
  timeline: string[];
  /** Notes and agenda identical in full afterwards. */
  identical: boolean;
  agendaItems: number;
  notesChars: number;
}

export interface MergeReport {
  machine: string;
  edits: number;
  results: MergeResult[];
}

export interface MergeOptions {
  edits?: number;
  /** Also run the same merge through the reference server (default true). */
  reference?: boolean;
}

/** A small seeded PRNG (mulberry32), so every run makes the same edits. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'roadmap',
  'hiring',
  'feedback',
  'launch',
  'budget',
  'onboarding',
  'review',
  'goals',
  'blockers',
  'career',
  'team',
  'offsite',
];
const TYPED = 'we talked through the plan and agreed on next steps ';

function lastParagraphText(doc: Y.Doc): Y.XmlText {
  const notes = meetingNotes(doc, nextMeeting(doc)!.id);
  const last = notes.get(notes.length - 1);
  if (last instanceof Y.XmlElement && last.get(0) instanceof Y.XmlText) return last.get(0) as Y.XmlText;
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText('')]);
  notes.insert(notes.length, [paragraph]);
  return paragraph.get(0) as Y.XmlText;
}

/** N offline edits by one person, each its own docs.with() call (one update, one fsync). */
const KINDS = ['notes keystroke', 'add item', 'title keystroke', 'rename', 'reorder', 'mark discussed'] as const;
type Kind = (typeof KINDS)[number];
const kindOf = (r: number): Kind =>
  r < 0.7
    ? 'notes keystroke'
    : r < 0.78
      ? 'add item'
      : r < 0.85
        ? 'title keystroke'
        : r < 0.88
          ? 'rename'
          : r < 0.94
            ? 'reorder'
            : 'mark discussed';

/** Per kind of edit: how many, and the total time in its docs.with() call (the edit, its fsync, routing). */
export type EditProfile = Record<Kind, { count: number; ms: number }>;

async function editOffline(p: BenchPerson, seriesId: string, edits: number, seed: number, profile: EditProfile): Promise<number> {
  const rand = random(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const authorId = p.core.currentProfile!.id;
  const ids = p.core.docs.with(seriesId, (doc) => listAgenda(doc).map((i) => i.id));
  let typed = 0;
  const start = performance.now();
  for (let i = 0; i < edits; i++) {
    const r = rand();
    const t0 = performance.now();
    p.core.docs.with(seriesId, (doc) => {
      if (r < 0.7) {
        const text = lastParagraphText(doc);
        if (text.length >= 80) {
          const paragraph = new Y.XmlElement('paragraph');
          paragraph.insert(0, [new Y.XmlText(TYPED[typed++ % TYPED.length]!)]);
          const notes = meetingNotes(doc, nextMeeting(doc)!.id);
          notes.insert(notes.length, [paragraph]);
        } else {
          text.insert(text.length, TYPED[typed++ % TYPED.length]!);
        }
      } else if (r < 0.78) {
        ids.push(addAgendaItem(doc, { title: `${pick(WORDS)} ${pick(WORDS)}` }, { now: new Date(), userId: authorId }));
      } else if (r < 0.85) {
        const title = itemText(doc, pick(ids), 'title');
        title.insert(title.length, TYPED[typed++ % TYPED.length]!);
      } else if (r < 0.88) {
        editItemText(
          doc,
          { itemId: pick(ids), field: 'title', value: `${pick(WORDS)}: ${pick(WORDS)} and ${pick(WORDS)}` },
          { now: new Date(), userId: 'me' },
        );
      } else if (r < 0.94) {
        moveAgendaItem(doc, { itemId: pick(ids), toIndex: Math.floor(rand() * ids.length) }, { now: new Date(), userId: 'me' });
      } else {
        const id = pick(ids);
        setItemState(
          doc,
          {
            itemId: id,
            state: (agendaMap(doc).get(id) as Y.Map<unknown> | undefined)?.get('state') === 'discussed' ? 'open' : 'discussed',
          },
          { now: new Date(), userId: 'me' },
        );
      }
    });
    const entry = profile[kindOf(r)];
    entry.count++;
    entry.ms += performance.now() - t0;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return performance.now() - start;
}

/** MERGE_PROFILE=path: a CPU profile of the merge window (diagnostics only). */
async function startProfiler(): Promise<(file: string) => Promise<void>> {
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return async (file) => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

const stateVector = (p: BenchPerson, id: string) => p.core.docs.with(id, (doc) => Buffer.from(Y.encodeStateVector(doc)));
const agendaOrder = (p: BenchPerson, id: string) =>
  p.core.docs.with(id, (doc) =>
    listAgenda(doc)
      .map((i) => i.id)
      .join(','),
  );
const fullView = (p: BenchPerson, id: string) =>
  p.core.docs.with(id, (doc) =>
    JSON.stringify({
      agenda: listAgenda(doc).map((i) => [i.id, i.title, i.state, i.order]),
      notes: meetingNotes(doc, nextMeeting(doc)!.id).toString(),
    }),
  );

async function mergeRound(target: RelayTarget, a: BenchPerson, b: BenchPerson, edits: number): Promise<MergeResult> {
  const proxyA = await startCountingProxy(target.url);
  const proxyB = await startCountingProxy(target.url);
  try {
    const seriesId = await shareSeries(a, b, proxyA.url, proxyB.url);
    const authorId = a.core.currentProfile!.id;
    a.core.docs.with(seriesId, (doc) => {
      for (let i = 0; i < 20; i++) addAgendaItem(doc, { title: `Topic ${i + 1}` }, { now: new Date(), userId: authorId });
      lastParagraphText(doc).insert(0, 'Before the flight: ');
    });
    await until(
      () => stateVector(a, seriesId).equals(stateVector(b, seriesId)) && agendaOrder(a, seriesId) === agendaOrder(b, seriesId),
      `both sides to have the starting 1:1 through ${target.name}`,
    );
    const syncA = a.core.sync.get(seriesId)!;
    const syncB = b.core.sync.get(seriesId)!;
    syncA.provider.disconnect();
    syncB.provider.disconnect();
    await until(() => !syncA.provider.wsconnected && !syncB.provider.wsconnected, 'both to go offline');
    const svBefore = {
      a: Y.encodeStateVector(a.core.docs.with(seriesId, (d) => d)),
      b: Y.encodeStateVector(b.core.docs.with(seriesId, (d) => d)),
    };

    const profile = Object.fromEntries(KINDS.map((k) => [k, { count: 0, ms: 0 }])) as EditProfile;
    const editMs = { a: await editOffline(a, seriesId, edits, 1, profile), b: await editOffline(b, seriesId, edits, 2, profile) };
    const diffBytes = {
      a: a.core.docs.with(seriesId, (d) => Y.encodeStateAsUpdate(d, svBefore.a).byteLength),
      b: b.core.docs.with(seriesId, (d) => Y.encodeStateAsUpdate(d, svBefore.b).byteLength),
    };

    proxyA.reset();
    proxyB.reset();
    const timeline: string[] = [];
    const mark = (what: string) => timeline.push(`${what} ${(performance.now() - start).toFixed(0)}`);
    const watchers: (() => void)[] = [];
    for (const [who, p, sync] of [
      ['A', a, syncA],
      ['B', b, syncB],
    ] as const) {
      const onStatus = ({ status }: { status: string }) => mark(`${who} ${status}`);
      const onSync = (synced: boolean) => synced && mark(`${who} synced`);
      const doc = p.core.docs.with(seriesId, (d) => d);
      const onUpdate = (u: Uint8Array, origin: unknown) => origin === sync.provider && mark(`${who} got ${kib(u.byteLength)}`);
      sync.provider.on('status', onStatus);
      sync.provider.on('sync', onSync);
      doc.on('update', onUpdate);
      watchers.push(() => {
        sync.provider.off('status', onStatus);
        sync.provider.off('sync', onSync);
        doc.off('update', onUpdate);
      });
    }
    const profiler = process.env.MERGE_PROFILE ? await startProfiler() : null;
    const start = performance.now();
    syncA.provider.connect();
    syncB.provider.connect();
    let equalMs: number | null = null;
    let unsentZeroMs: number | null = null;
    const bytes = (p: CountingProxy) => ({ up: p.up, down: p.down });
    let atDone = { a: bytes(proxyA), b: bytes(proxyB) };
    try {
      await until(
        () => {
          const now = performance.now() - start;
          if (
            equalMs === null &&
            stateVector(a, seriesId).equals(stateVector(b, seriesId)) &&
            agendaOrder(a, seriesId) === agendaOrder(b, seriesId)
          ) {
            equalMs = now;
          }
          if (unsentZeroMs === null && syncA.state().unsent === 0 && syncB.state().unsent === 0) unsentZeroMs = now;
          atDone = { a: bytes(proxyA), b: bytes(proxyB) };
          return equalMs !== null && unsentZeroMs !== null;
        },
        'the merge',
        // Through the reference the unsent counts never reach 0 (it ignores the query); stop waiting then.
        target.name.includes('reference') ? 3000 : 15_000,
        2,
      );
    } catch (error) {
      if (equalMs === null) throw error;
    }
    if (profiler) await profiler(`${process.env.MERGE_PROFILE}-${target.name.includes('reference') ? 'reference' : 'tandem'}.cpuprofile`);
    for (const w of watchers) w();
    mark('stopped watching at');
    return {
      server: target.name,
      editMs,
      profile,
      equalMs,
      unsentZeroMs,
      bytes: { aUp: atDone.a.up, aDown: atDone.a.down, bUp: atDone.b.up, bDown: atDone.b.down },
      diffBytes,
      timeline,
      unsentAtEnd: { a: syncA.state().unsent, b: syncB.state().unsent },
      identical: fullView(a, seriesId) === fullView(b, seriesId),
      agendaItems: a.core.docs.with(seriesId, (d) => listAgenda(d).length),
      notesChars: a.core.docs.with(seriesId, (d) => meetingNotes(d, nextMeeting(d)!.id).toString().length),
    };
  } finally {
    await proxyA.close();
    await proxyB.close();
  }
}

export async function measureSyncMerge({ edits = 10_000, reference = true }: MergeOptions = {}): Promise<MergeReport> {
  const targets: RelayTarget[] = [];
  const people: BenchPerson[] = [];
  try {
    targets.push(await startOurRelay());
    if (reference) targets.push(await startReference());
    const a = await openPerson('Alex', targets[0]!.url);
    people.push(a);
    const b = await openPerson('Blair', targets[0]!.url);
    people.push(b);
    const results: MergeResult[] = [];
    for (const t of targets) results.push(await mergeRound(t, a, b, edits));
    return { machine: machine(), edits, results };
  } finally {
    for (const p of people) await p.close();
    for (const t of targets) await t.close();
  }
}

const TARGET_MERGE_MS = 1000;

/**
 * The figures by stable name (bench/figures.ts): until both documents are equal and (through our
 * relay) both cores report unsent 0; `_reference` through the reference server, equal only.
 */
export function syncMergeFigures(report: MergeReport): Figures {
  const name = `offline_merge_2x${report.edits / 1000}k`;
  const figures: Figures = {};
  for (const r of report.results) {
    if (r.equalMs === null) continue;
    figures[`${name}${serverSuffix(r.server)}_ms`] = Math.max(r.equalMs, r.unsentZeroMs ?? r.equalMs);
    figures[`${name}${serverSuffix(r.server)}_wire_bytes`] = r.bytes.aUp + r.bytes.aDown + r.bytes.bUp + r.bytes.bDown;
  }
  return figures;
}

export function formatSyncMerge(report: MergeReport): string {
  const n = report.edits;
  const lines = [
    `Machine: ${report.machine}. Loopback; both cores in one Node process, the relay in its own, each core behind its own counting TCP proxy.`,
    `Measured: both cores disconnect, each makes ${n.toLocaleString('en')} offline edits (seeded mix: 70% notes keystrokes, 8% add item,`,
    '  7% title keystrokes, 3% rename, 6% reorder, 6% mark discussed; each edit one update persisted with an fsync), then both',
    '  reconnect: time from connect() until both Y.Docs have equal state vectors and agenda order, and until both cores report',
    '  unsent 0 (polled every 2 ms); bytes on the wire (WebSocket frames incl. handshake) per core and direction in that time.',
  ];
  for (const r of report.results) {
    const total = r.equalMs === null ? null : Math.max(r.equalMs, r.unsentZeroMs ?? r.equalMs);
    lines.push(
      `${r.server}:`,
      `  offline edits: A ${ms(r.editMs.a, 0)} (${ms(r.editMs.a / n, 3)}/edit), B ${ms(r.editMs.b, 0)} (${ms(r.editMs.b / n, 3)}/edit)`,
      `  time per edit inside docs.with() by kind (both sides): ${KINDS.map((k) => `${k} ${ms(r.profile[k].ms / Math.max(1, r.profile[k].count), 2)}`).join(', ')}`,
      `  merge: documents equal after ${r.equalMs === null ? 'NEVER' : ms(r.equalMs, 1)}; both unsent 0 after ${
        r.unsentZeroMs === null
          ? `never (A ${r.unsentAtEnd.a}, B ${r.unsentAtEnd.b} still unsent when the run stopped)`
          : ms(r.unsentZeroMs, 1)
      }; identical in full: ${r.identical ? 'yes' : 'NO'} (${r.agendaItems} items, ${r.notesChars.toLocaleString('en')} notes chars)`,
      `  bytes: A->relay ${kib(r.bytes.aUp)}, relay->A ${kib(r.bytes.aDown)}, B->relay ${kib(r.bytes.bUp)}, relay->B ${kib(r.bytes.bDown)}` +
        ` (each side's offline changes as one Yjs update: A ${kib(r.diffBytes.a)}, B ${kib(r.diffBytes.b)})`,
    );
    lines.push(`  timeline (ms after connect()): ${r.timeline.join(', ')}`);
    if (!r.server.includes('reference') && total !== null) {
      lines.push(
        `  Target merge < ${TARGET_MERGE_MS} ms: ${total < TARGET_MERGE_MS ? 'met' : 'MISSED'} (${ms(total, 1)} until equal and unsent 0).`,
      );
    }
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const edits = Number(process.argv[2] ?? 10_000);
  console.log(formatSyncMerge(await measureSyncMerge({ edits })));
}
