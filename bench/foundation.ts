/**
 * Foundation benchmark: a large local history, then cold open, opening a 1:1, adding an item and
 * projecting an agenda edit into the list, each measured in fresh processes.
 *
 * Method:
 *  - History: 30 1:1s, each with five years of weekly meetings (260, so 7,800 in all), 40,000
 *    agenda items spread over them, and for every meeting a check-in line and notes of three
 *    paragraphs written as Tiptap's Collaboration extension writes them (XmlElement('paragraph')
 *    holding XmlText). Each 1:1 is created through the core's API, then filled in one Y.Doc
 *    transaction with the series-doc functions (agenda items are built per meeting and cloned
 *    in, since appending one at a time rescans the whole agenda). Then the years before the last
 *    held meeting's (2021–2024) move into their archive documents, as the core does by itself
 *    (timed: "moving"). Closing the core compacts every document, so the log is empty and each
 *    1:1 and each archive is one snapshot, as after normal use.
 *  - Before / after moving: one 1:1 built the same way in a plain Y.Doc, its state before and after
 *    its old years move, each loaded into a fresh Y.Doc and encoded again (openSeries' work on it),
 *    alternating in this process: the effect of moving, whatever else loads the machine.
 *  - Each figure comes from a fresh Node process running this file as built JavaScript, bundled
 *    with its dependencies (all but the native better-sqlite3) into bench/.data/probe/ exactly as
 *    the desktop build bundles the core process (scripts/bundle-externals.ts), so
 *    nothing is warm in memory except the OS page cache and no TypeScript is compiled at start. One unrecorded warm-up run of each probe; then RUNS timed
 *    runs, reported as median and max.
 *      cold open    whole process: from spawn in the parent to the child's line reporting the
 *                   first listSeries() result (includes Node start and module loading);
 *                   the same on the child's own clock (performance.now(), from process start);
 *                   and, inside the child, from before TandemCore.open() to the list. SQLite's
 *                   check of the whole file runs once the list has gone out (docs/architecture.md,
 *                   "Opening"), so it is not in these figures, as it is not in the app's wait.
 *      open a 1:1   inside the child, core already open: openSeries() on a series not loaded
 *                   (the full state the UI receives: the stored snapshot when it is the whole
 *                   state, else the document loaded and encoded). Also the time until the core
 *                   has loaded its own copy too, which it does once the reply has gone out.
 *                   Then ("process warm") openSeries() on a second unloaded 1:1 in the same process.
 *                   Then openArchive() on the newest archived year (52 weekly meetings) of the first
 *                   1:1, not loaded before: what the History loads when that year is shown.
 *                   Each also as the process's CPU time (process.cpuUsage) over the same span: on a
 *                   machine shared with other work the wall time is mostly waiting for a core.
 *      add an item  inside the child, series already open as in the UI: addAgendaItem() awaited;
 *                   on return the child checks with a raw SELECT that the update is in
 *                   doc_updates (synchronous=FULL, so it is on disk). Also the ADDS following adds
 *                   in the same process: their median per process, and p50 / p99 over all processes.
 *      projection   inside the child, series open as in the UI: one agenda edit (an item of the
 *                   next meeting toggled between open and discussed, in core.docs.with) until
 *                   listSeries() returns the new open item count; the child then checks the item's
 *                   row in agenda_items. listSeries() projects pending changes before reading, so
 *                   the projection's debounce (a delay, not work) is not part of the figure.
 *                   EDIT_WARMUP edits per process unrecorded (the first change of a 1:1 in a
 *                   process projects it in full), then EDITS timed; p50 / p99 over all processes.
 *
 * Run: npm run bench (with the other benchmarks) or npx tsx bench/foundation.ts
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { archiveDocId, archiveOldYears, archivedYears } from '../src/shared/domain/archive.js';
import { agendaFor, agendaMap, listMeetings, meetingNotes, meetingsMap } from '../src/shared/domain/series-doc.js';
import { addAgendaItem, addMeeting, createSeries, setItemState } from '../src/shared/domain/commands.js';
import { DATABASE_FILE, TandemCore } from '../src/core/tandem-core.js';
import { NODE_BUNDLE_EXTERNAL } from '../scripts/bundle-externals.js';
import { cpuSince, percentiles, type Figures } from './figures.js';

const SERIES = 30;
const WEEKS = 260;
const ITEMS = 40_000;
const RUNS = 5;
/** Rounds of the before/after-moving comparison. */
const MOVE_RUNS = 10;
/** Adds timed after the first, and projection edits timed after the warm-up ones, per probe process. */
const ADDS = 100;
const EDITS = 200;
const EDIT_WARMUP = 20;
const TARGETS = { coldOpenMs: 500, openSeriesMs: 50, openHistoryYearMs: 100, addItemMs: 5 } as const;

const SELF = fileURLToPath(import.meta.url);
const PROBE_DIR = join(import.meta.dirname, '.data', 'probe');
const PROBE = join(PROBE_DIR, 'foundation.js');

/** Builds this file into plain JavaScript for the probe processes. */
async function buildProbe(): Promise<void> {
  const { build } = await import('vite');
  await build({
    configFile: false,
    logLevel: 'warn',
    ssr: { noExternal: true },
    build: {
      ssr: SELF,
      outDir: PROBE_DIR,
      emptyOutDir: true,
      minify: false,
      rollupOptions: { external: [...NODE_BUNDLE_EXTERNAL, 'vite'], output: { entryFileNames: 'foundation.js' } },
    },
  });
}
const WEEK_MS = 7 * 24 * 3600 * 1000;
const SENTENCE = 'We went through the quarter, what went well and what to change; agreed on next steps and owners. ';

export interface History {
  dataDir: string;
  seriesIds: string[];
  meetings: number;
  items: number;
  buildMs: number;
  dbBytes: number;
  /** Median time to move one 1:1's four old years into archives (a one-off, on the first load after the years end). */
  moveMs: number;
}

function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  return p;
}

/** Fills one series with its weekly meetings, notes and agenda items, in one transaction. */
export function fillSeries(doc: Y.Doc, firstMeetingId: string, start: number, items: number, authorId: string): number {
  let meetings = 0;
  doc.transact(() => {
    for (let week = 0; week < WEEKS; week++) {
      const upcoming = week === WEEKS - 1;
      const meetingId =
        week === 0
          ? firstMeetingId
          : addMeeting(doc, { scheduledFor: new Date(start + week * WEEK_MS).toISOString() }, { now: new Date(), userId: authorId });
      meetings++;
      const count = Math.floor(((week + 1) * items) / WEEKS) - Math.floor((week * items) / WEEKS);
      // Built in a scratch doc so each append scans only this meeting's few items.
      const scratch = new Y.Doc();
      for (let k = 0; k < count; k++) {
        const id = addAgendaItem(
          scratch,
          {
            title: `Topic ${k + 1} of week ${week + 1}`,
            context: upcoming ? '' : 'Some context written before the meeting.',
            meetingId: upcoming ? null : meetingId,
          },
          { now: new Date(), userId: authorId },
        );
        if (!upcoming) setItemState(scratch, { itemId: id, state: 'discussed' }, { now: new Date(), userId: 'me' });
      }
      agendaMap(scratch).forEach((item, id) => agendaMap(doc).set(id, (item as Y.Map<unknown>).clone()));
      scratch.destroy();
      if (upcoming) continue;
      const meeting = meetingsMap(doc).get(meetingId) as Y.Map<unknown>;
      meeting.set('status', 'held');
      (meeting.get('checkIn') as Y.Text).insert(0, `Week ${week + 1}: busy but good.`);
      meetingNotes(doc, meetingId).insert(0, [paragraph(SENTENCE.repeat(2)), paragraph(SENTENCE.repeat(3)), paragraph(SENTENCE)]);
    }
  });
  return meetings;
}

/**
 * The series document of one 1:1 of the history before and after its old years move, each loaded
 * into a fresh Y.Doc and encoded again (the work of openSeries on it), alternating, MOVE_RUNS times
 * each after one unrecorded round: the effect of moving, side by side under the same machine load.
 */
function beforeAndAfterMoving(): { beforeBytes: number; afterBytes: number; beforeMs: number; afterMs: number } {
  const doc = new Y.Doc();
  const start = Date.UTC(2021, 0, 4, 10);
  const ctx = { now: new Date(start), userId: 'me' };
  const cadence = { pattern: 'weekly', weekday: 1, time: '10:00', lengthMinutes: 30, timeZone: 'UTC', startsOn: '2021-01-04' } as const;
  const people = { me: { name: 'Dana', role: 'peer' }, partner: { name: 'Sam', role: 'peer' } } as const;
  createSeries(doc, { kind: 'peer', cadence, ...people, firstMeetingAt: new Date(start).toISOString() }, ctx);
  fillSeries(doc, firstMeeting(doc), start, Math.floor(ITEMS / SERIES), 'me');
  const before = Y.encodeStateAsUpdate(doc);
  archiveOldYears(doc, {}, ctx);
  const after = Y.encodeStateAsUpdate(doc);
  const open = (state: Uint8Array) => {
    const t = performance.now();
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, state);
    Y.encodeStateAsUpdate(loaded);
    return performance.now() - t;
  };
  const beforeMs: number[] = [];
  const afterMs: number[] = [];
  for (let r = 0; r <= MOVE_RUNS; r++) {
    const b = open(before);
    const a = open(after);
    if (r === 0) continue;
    beforeMs.push(b);
    afterMs.push(a);
  }
  return { beforeBytes: before.length, afterBytes: after.length, beforeMs: median(beforeMs), afterMs: median(afterMs) };
}

/** Creates the history in a new temp data dir and closes the core (everything compacted). */
/** `more` adds to each 1:1 after its meetings are filled in and before its old years move. */
export async function buildHistory(more?: (doc: Y.Doc, userId: string) => void): Promise<History> {
  const t0 = performance.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'tandem-bench-'));
  const core = await TandemCore.open({ dataDir });
  const api = core.connect();
  const me = await api.setProfile({ name: 'Dana' });
  const start = Date.UTC(2021, 0, 4, 10);
  const seriesIds: string[] = [];
  const moveMs: number[] = [];
  let meetings = 0;
  for (let s = 0; s < SERIES; s++) {
    const summary = await api.createSeries({
      partnerName: `Person ${s + 1}`,
      kind: s % 3 === 0 ? 'peer' : 'manager-report',
      ...(s % 3 === 0 ? {} : { myRole: 'manager' as const }),
      firstMeetingAt: new Date(start).toISOString(),
    });
    seriesIds.push(summary.id);
    const items = Math.floor(((s + 1) * ITEMS) / SERIES) - Math.floor((s * ITEMS) / SERIES);
    meetings += core.docs.with(summary.id, (doc) => fillSeries(doc, firstMeeting(doc), start, items, me.id));
    if (more) core.docs.with(summary.id, (doc) => more(doc, me.id));
    // What the core does by itself once the meetings changed, done here to time it: the years
    // before the last held meeting's move into their archive documents.
    const t = performance.now();
    const years = core.docs.with(summary.id, (doc) => archiveOldYears(doc, {}, { now: new Date(), userId: me.id }));
    moveMs.push(performance.now() - t);
    if (years.length !== 4) throw new Error(`expected 4 years to move, moved ${years.length}`);
  }
  await api.listSeries();
  await core.close();
  const dbBytes = statSync(join(dataDir, DATABASE_FILE)).size;
  return { dataDir, seriesIds, meetings, items: ITEMS, buildMs: performance.now() - t0, dbBytes, moveMs: median(moveMs) };
}

function firstMeeting(doc: Y.Doc): string {
  const [id] = meetingsMap(doc).keys();
  if (!id) throw new Error('a new series has no first meeting');
  return id;
}

// ---------------------------------------------------------------------------------------------
// Probes: each runs in its own process and prints one JSON line.

type ProbeKind = 'cold' | 'open' | 'add' | 'project';

async function probe(kind: ProbeKind, dataDir: string, seriesId: string): Promise<void> {
  const report = (result: ProbeResult) => process.stdout.write(`${JSON.stringify(result)}\n`);
  if (kind === 'cold') {
    const t0 = performance.now();
    const core = await TandemCore.open({ dataDir });
    const list = await core.connect().listSeries();
    const t1 = performance.now();
    report({ sinceProcessStartMs: t1, inCoreMs: t1 - t0, series: list.length });
    await core.close();
    return;
  }
  const core = await TandemCore.open({ dataDir });
  const api = core.connect();
  if (kind === 'open') {
    if (core.docs.isLoaded(seriesId)) throw new Error('the series was loaded before openSeries');
    const t0 = performance.now();
    let cpu = process.cpuUsage();
    const state = await api.openSeries({ seriesId });
    const ms = performance.now() - t0;
    const cpuMs = cpuSince(cpu);
    // The core loads its own copy once the state has gone out: the whole work of opening, with that.
    while (!core.docs.isLoaded(seriesId)) await new Promise((resolve) => setImmediate(resolve));
    const loadedMs = performance.now() - t0;
    const loadedCpuMs = cpuSince(cpu);
    // The same for another unloaded 1:1, now that the process and its code paths are warm.
    const other = core.store.db.selectFrom('docs').select('doc_id').where('kind', '=', 'series').where('doc_id', '!=', seriesId);
    const { doc_id: warmId } = await other.executeTakeFirstOrThrow();
    const t1 = performance.now();
    cpu = process.cpuUsage();
    await api.openSeries({ seriesId: warmId });
    const warmMs = performance.now() - t1;
    const warmCpuMs = cpuSince(cpu);
    // One archived year of the first 1:1, as the history loads it when that year is shown.
    const year = Math.max(...core.docs.with(seriesId, archivedYears));
    if (core.docs.isLoaded(archiveDocId(seriesId, year))) throw new Error('the archive was loaded before openArchive');
    const t2 = performance.now();
    cpu = process.cpuUsage();
    const archive = await api.openArchive({ seriesId, year });
    const historyYearMs = performance.now() - t2;
    const historyYearCpuMs = cpuSince(cpu);
    const archived = new Y.Doc();
    Y.applyUpdate(archived, archive);
    report({
      ms,
      cpuMs,
      loadedMs,
      loadedCpuMs,
      warmMs,
      warmCpuMs,
      historyYearCpuMs,
      stateBytes: state.length,
      historyYearMs,
      historyYearBytes: archive.length,
      historyYearMeetings: listMeetings(archived).length,
    });
  } else if (kind === 'add') {
    await api.openSeries({ seriesId });
    const count = core.store.sqlite.prepare('select count(*) as n from doc_updates where doc_id = ?');
    const rows = () => (count.get(seriesId) as { n: number }).n;
    const before = rows();
    const t0 = performance.now();
    await api.addAgendaItem({ seriesId, title: 'Benchmark item' });
    const ms = performance.now() - t0;
    if (rows() !== before + 1) throw new Error('addAgendaItem returned before its update was in doc_updates');
    const more: number[] = [];
    for (let i = 0; i < ADDS; i++) {
      const t = performance.now();
      await api.addAgendaItem({ seriesId, title: `Benchmark item ${i}` });
      more.push(performance.now() - t);
    }
    report({ ms, steadyMedianMs: median(more), samples: more });
  } else {
    await api.openSeries({ seriesId });
    const items = core.docs.with(seriesId, (doc) => agendaFor(doc, null));
    const itemState = core.store.sqlite.prepare('select state from agenda_items where series_id = ? and id = ?');
    const samples: number[] = [];
    for (let i = 0; i < EDIT_WARMUP + EDITS; i++) {
      const item = items[i % items.length]!;
      const state = item.state === 'open' ? 'discussed' : 'open';
      const expected = (await api.listSeries()).find((s) => s.id === seriesId)!.openItemCount + (state === 'open' ? 1 : -1);
      const t = performance.now();
      core.docs.with(seriesId, (doc) => setItemState(doc, { itemId: item.id, state }, { now: new Date(), userId: 'me' }));
      const listed = (await api.listSeries()).find((s) => s.id === seriesId)!;
      const ms = performance.now() - t;
      item.state = state;
      if (listed.openItemCount !== expected) throw new Error('the list did not reflect the edit');
      if ((itemState.get(seriesId, item.id) as { state: string }).state !== state) throw new Error('agenda_items did not reflect the edit');
      if (i >= EDIT_WARMUP) samples.push(ms);
    }
    report({ samples });
  }
  await core.close();
}

interface ProbeResult {
  sinceProcessStartMs?: number;
  inCoreMs?: number;
  series?: number;
  ms?: number;
  warmMs?: number;
  stateBytes?: number;
  historyYearMs?: number;
  /** CPU time (user + system) of this process during the same span: the work, without waiting for a busy machine. */
  cpuMs?: number;
  /** From the same start until the core has loaded its own copy of the 1:1 (after the reply). */
  loadedMs?: number;
  loadedCpuMs?: number;
  warmCpuMs?: number;
  historyYearCpuMs?: number;
  historyYearBytes?: number;
  historyYearMeetings?: number;
  steadyMedianMs?: number;
  samples?: number[];
}

interface ProbeRun {
  /** Parent's view: spawn to the child's result line. */
  wallMs: number;
  result: ProbeResult;
}

function runProbe(kind: ProbeKind, dataDir: string, seriesId: string): Promise<ProbeRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [PROBE, 'probe', kind, dataDir, seriesId], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let run: ProbeRun | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const nl = out.indexOf('\n');
      if (!run && nl >= 0) run = { wallMs: performance.now() - t0, result: JSON.parse(out.slice(0, nl)) as ProbeResult };
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && run) resolve(run);
      else reject(new Error(`probe ${kind} exited with ${code}: ${err.trim()}`));
    });
  });
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface Figure {
  label: string;
  values: number[];
  target?: number;
}

async function repeat(kind: ProbeKind, dataDir: string, seriesIds: (run: number) => string): Promise<ProbeRun[]> {
  await runProbe(kind, dataDir, seriesIds(-1)); // warm-up, not recorded
  const runs: ProbeRun[] = [];
  for (let r = 0; r < RUNS; r++) runs.push(await runProbe(kind, dataDir, seriesIds(r)));
  return runs;
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

function formatFigure({ label, values, target }: Figure): string {
  const med = median(values);
  const max = Math.max(...values);
  const verdict =
    target === undefined
      ? ''
      : `  target < ${target} ms: ${med < target ? 'MET' : 'NOT MET'} (median)${max >= target ? `, max over target` : ''}`;
  return `  ${label.padEnd(44)} median ${fmt(med).padStart(10)}   max ${fmt(max).padStart(10)}${verdict}`;
}

/** Builds the history, measures the figures and prints them with the method; returns them by stable name. */
export async function runFoundationBench(): Promise<Figures> {
  console.log('Foundation benchmark (method: see the header of bench/foundation.ts)');
  const history = await buildHistory();
  try {
    console.log(
      `  history: ${history.seriesIds.length} 1:1s, ${history.meetings} meetings, ${history.items} agenda items, ` +
        `notes of 3 paragraphs per held meeting; built in ${(history.buildMs / 1000).toFixed(1)} s; ` +
        `database ${(history.dbBytes / 1024 / 1024).toFixed(1)} MiB`,
    );
    console.log(`  moving 2021–2024 of one 1:1 into its archive documents (once, when loaded): median ${fmt(history.moveMs)}`);
    const moved = beforeAndAfterMoving();
    console.log(
      `  one 1:1's series document before / after moving: ${(moved.beforeBytes / 1024).toFixed(0)} / ${(moved.afterBytes / 1024).toFixed(0)} KiB; ` +
        `load + encode (what openSeries does with it), alternating in this process, median ${fmt(moved.beforeMs)} / ${fmt(moved.afterMs)}`,
    );
    console.log(`  each figure: ${RUNS} fresh processes after one warm-up; Node ${process.version}, ${process.platform}`);
    await buildProbe();
    const pick = (r: number) => history.seriesIds[(r + history.seriesIds.length) % history.seriesIds.length]!;
    const cold = await repeat('cold', history.dataDir, pick);
    const open = await repeat('open', history.dataDir, pick);
    const add = await repeat('add', history.dataDir, (r) => pick(r + 10));
    const project = await repeat('project', history.dataDir, (r) => pick(r + 20));
    const figures: Figure[] = [
      { label: 'cold open to first list (whole process)', values: cold.map((r) => r.wallMs), target: TARGETS.coldOpenMs },
      { label: 'cold open to first list (child clock, boot)', values: cold.map((r) => r.result.sinceProcessStartMs!) },
      { label: 'cold open to first list (in process, core)', values: cold.map((r) => r.result.inCoreMs!) },
      { label: 'open a 1:1 (unloaded, to full state)', values: open.map((r) => r.result.ms!), target: TARGETS.openSeriesMs },
      { label: 'open a 1:1 (unloaded, process warm)', values: open.map((r) => r.result.warmMs!), target: TARGETS.openSeriesMs },
      { label: 'open one archived year (unloaded)', values: open.map((r) => r.result.historyYearMs!), target: TARGETS.openHistoryYearMs },
      { label: 'open a 1:1, CPU time of the process', values: open.map((r) => r.result.cpuMs!) },
      { label: 'open a 1:1, until the core loaded it too', values: open.map((r) => r.result.loadedMs!) },
      { label: 'open a 1:1, core loaded too, CPU time', values: open.map((r) => r.result.loadedCpuMs!) },
      { label: 'open a 1:1, process warm, CPU time', values: open.map((r) => r.result.warmCpuMs!) },
      { label: 'open one archived year, CPU time', values: open.map((r) => r.result.historyYearCpuMs!) },
      { label: 'add an agenda item, persisted (first)', values: add.map((r) => r.result.ms!), target: TARGETS.addItemMs },
      {
        label: `add an agenda item, persisted (next ${ADDS})`,
        values: add.map((r) => r.result.steadyMedianMs!),
        target: TARGETS.addItemMs,
      },
    ];
    for (const f of figures) console.log(formatFigure(f));
    const adds = percentiles(add.flatMap((r) => r.result.samples!));
    const edits = percentiles(project.flatMap((r) => r.result.samples!));
    const dist = (label: string, d: typeof adds) =>
      `  ${label.padEnd(44)} p50 ${fmt(d.p50).padStart(13)}   p99 ${fmt(d.p99).padStart(10)}   max ${fmt(d.max)} (${d.n} in ${RUNS} processes)`;
    console.log(dist(`add an agenda item, persisted (next ${ADDS})`, adds));
    console.log(dist('agenda edit to updated list rows', edits));
    console.log(`  full state of one 1:1: ${(open[0]!.result.stateBytes! / 1024).toFixed(0)} KiB`);
    const year = open[0]!.result;
    console.log(`  one archived year: ${year.historyYearMeetings} meetings, ${(year.historyYearBytes! / 1024).toFixed(0)} KiB`);
    const medianOf = (runs: ProbeRun[], f: (r: ProbeRun) => number) => median(runs.map(f));
    const maxOf = (runs: ProbeRun[], f: (r: ProbeRun) => number) => Math.max(...runs.map(f));
    return {
      cold_open_ms: medianOf(cold, (r) => r.wallMs),
      cold_open_max_ms: maxOf(cold, (r) => r.wallMs),
      cold_open_child_clock_ms: medianOf(cold, (r) => r.result.sinceProcessStartMs!),
      cold_open_in_core_ms: medianOf(cold, (r) => r.result.inCoreMs!),
      open_series_5y_cold_ms: medianOf(open, (r) => r.result.ms!),
      open_series_5y_cold_max_ms: maxOf(open, (r) => r.result.ms!),
      open_series_5y_warm_ms: medianOf(open, (r) => r.result.warmMs!),
      open_series_5y_warm_max_ms: maxOf(open, (r) => r.result.warmMs!),
      open_series_5y_state_bytes: open[0]!.result.stateBytes!,
      archive_move_4y_ms: history.moveMs,
      series_doc_before_moving_bytes: moved.beforeBytes,
      series_doc_after_moving_bytes: moved.afterBytes,
      series_doc_load_encode_before_moving_ms: moved.beforeMs,
      series_doc_load_encode_after_moving_ms: moved.afterMs,
      open_history_year_ms: medianOf(open, (r) => r.result.historyYearMs!),
      open_series_5y_cold_cpu_ms: medianOf(open, (r) => r.result.cpuMs!),
      open_series_5y_core_loaded_ms: medianOf(open, (r) => r.result.loadedMs!),
      open_series_5y_core_loaded_cpu_ms: medianOf(open, (r) => r.result.loadedCpuMs!),
      open_series_5y_warm_cpu_ms: medianOf(open, (r) => r.result.warmCpuMs!),
      open_history_year_cpu_ms: medianOf(open, (r) => r.result.historyYearCpuMs!),
      open_history_year_max_ms: maxOf(open, (r) => r.result.historyYearMs!),
      open_history_year_state_bytes: open[0]!.result.historyYearBytes!,
      add_item_first_ms: medianOf(add, (r) => r.result.ms!),
      add_item_first_max_ms: maxOf(add, (r) => r.result.ms!),
      add_item_ms_p50: adds.p50,
      add_item_ms_p99: adds.p99,
      add_item_ms_max: adds.max,
      projection_update_ms_p50: edits.p50,
      projection_update_ms_p99: edits.p99,
      projection_update_ms_max: edits.max,
    };
  } finally {
    rmSync(history.dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [mode, kind, dataDir, seriesId] = process.argv.slice(2);
  if (mode === 'probe') await probe(kind as ProbeKind, dataDir!, seriesId!);
  else await runFoundationBench();
}
