/**
 * 1:1 health on the bench history: 30 1:1s of five years of weekly meetings (7,800 meetings,
 * 40,000 agenda items, notes and check-ins, as bench/foundation.ts builds them through the core,
 * the four old years of each moved into their archive documents) plus two next steps per held
 * meeting (one due that day).
 *
 * Method: a core is opened on that data directory, as the app runs it (documents unload after
 * idleUnloadMs).
 * - insights_all_ms: the overview (`listHealth`: every signal and flag of all 30 1:1s) after one
 *   1:1 changed (a title edit in its next agenda, a different 1:1 each run, projected into the
 *   list tables before the overview is timed): what the overview computes each time a 1:1
 *   changes. Also, once, the first overview after the core opened on data no Tandem had read
 *   health from (every document loaded and read), and the overview after every document unloaded.
 * - insights_first_after_restart_ms (and _cpu_ms, its CPU time): once, the first overview after
 *   the core is closed and opened again on the same data: each document's part is read from the
 *   parts kept on disk, no document loaded.
 * - health_panel_open_ms: what opening the health panel of the longest 1:1 computes: the core's
 *   archived years (`archivedHealth`, through JSON as the window's transport carries them), then
 *   React's renderToString of the panel body on the window's replica of the series document
 *   (history read, joined with the archived years, flags, figures, the four charts' series and
 *   their SVG).
 * One unrecorded warm-up, then RUNS runs: median and max of wall time, and the process's CPU time
 * over the same runs (on a loaded machine the two part).
 *
 * Run: npm run bench (with the other benchmarks) or npx tsx --tsconfig tsconfig.web.json bench/insights.ts
 * (the web config gives the renderer's .tsx files their JSX runtime; `npm run bench` passes it too).
 */
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import * as Y from 'yjs';
import { editItemText } from '../src/shared/domain/commands.js';
import { addNextStep } from '../src/shared/domain/meetings.js';
import { agendaFor, listMeetings } from '../src/shared/domain/series-doc.js';
import type { HealthHistory } from '../src/shared/insights/history.js';
import { TandemCore } from '../src/core/tandem-core.js';
import { HealthBody } from '../src/renderer/insights/HealthPanel.js';
import { cpuSince, type Figures } from './figures.js';
import { buildHistory } from './foundation.js';

const RUNS = 15;
const TARGET_MS = 100;
const IDLE_UNLOAD_MS = 200;

function addSteps(doc: Y.Doc, userId: string): void {
  const ctx = { now: new Date(), userId };
  doc.transact(() => {
    for (const m of listMeetings(doc)) {
      if (m.status !== 'held') continue;
      addNextStep(doc, { meetingId: m.id, text: 'Follow up', ownerId: userId, due: m.scheduledFor.slice(0, 10) }, ctx);
      addNextStep(doc, { meetingId: m.id, text: 'Prepare', ownerId: userId }, ctx);
    }
  });
}

interface Samples {
  wall: number[];
  cpu: number[];
}

/** One unrecorded warm-up, then `runs` timed runs of `fn` (after `before`, untimed), sorted. */
async function time(runs: number, fn: () => unknown, before: (run: number) => unknown = () => {}): Promise<Samples> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run <= runs; run++) {
    await before(run);
    const c = process.cpuUsage();
    const t = performance.now();
    await fn();
    if (run > 0) {
      wall.push(performance.now() - t);
      cpu.push(cpuSince(c));
    }
  }
  return { wall: wall.sort((a, b) => a - b), cpu: cpu.sort((a, b) => a - b) };
}

const median = (s: number[]) => s[Math.floor(s.length / 2)]!;

async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function runInsightsBench(): Promise<Figures> {
  const history = await buildHistory(addSteps);
  const open = () => TandemCore.open({ dataDir: history.dataDir, sync: false, idleUnloadMs: IDLE_UNLOAD_MS });
  let core = await open();
  try {
    const api = core.connect();
    const me = core.requireProfile().id;
    const ids = history.seriesIds;

    let c = process.cpuUsage();
    let t = performance.now();
    const first = await api.listHealth();
    const cold = { wall: performance.now() - t, cpu: cpuSince(c) };

    const family = (await core.db.selectFrom('docs').select('doc_id').execute()).map((r) => r.doc_id);
    await until('every document to unload', () => family.every((id) => !core.docs.isLoaded(id)));
    c = process.cpuUsage();
    t = performance.now();
    await api.listHealth();
    const unloaded = { wall: performance.now() - t, cpu: cpuSince(c) };

    const edit = async (run: number) => {
      core.docs.with(ids[run % ids.length]!, (doc) => {
        const item = agendaFor(doc, null)[0];
        if (item) editItemText(doc, { itemId: item.id, field: 'title', value: `Edited ${run}` }, { now: new Date(), userId: me });
      });
      // The edit's projection into the list tables is the edit's cost (bench/foundation.ts), and
      // runs whether or not the overview is open: done before the overview is timed.
      await api.listSeries();
    };
    const all = await time(RUNS, () => api.listHealth(), edit);

    const longest = ids.at(-1)!;
    const replica = new Y.Doc();
    Y.applyUpdate(replica, core.docs.state(longest));
    const panel = await time(RUNS, async () => {
      const archived = JSON.parse(JSON.stringify(await api.archivedHealth({ seriesId: longest }))) as HealthHistory[];
      return renderToString(createElement(HealthBody, { doc: replica, archived }));
    });

    await core.close();
    core = await open();
    const loadBefore = loadavg()[0]!;
    c = process.cpuUsage();
    t = performance.now();
    const again = await core.connect().listHealth();
    const restarted = { wall: performance.now() - t, cpu: cpuSince(c) };
    const loaded = family.filter((id) => core.docs.isLoaded(id)).length;
    if (again.length !== first.length) throw new Error('the overview after the restart lists other 1:1s');

    const flags = first.reduce((n, e) => n + e.flags.length, 0);
    console.log(
      `\n1:1 health, ${ids.length} 1:1s, ${history.meetings} meetings, ${history.items} items, four years of each archived, ${flags} flags raised (bench/insights.ts)`,
    );
    const line = (label: string, { wall, cpu }: Samples) =>
      console.log(
        `  ${label} median ${median(wall).toFixed(1)} ms, max ${wall.at(-1)!.toFixed(1)} ms, CPU median ${median(cpu).toFixed(1)} ms (target < ${TARGET_MS} ms)`,
      );
    line('overview after one 1:1 changed        ', all);
    line('open the health panel (longest)       ', panel);
    console.log(
      `  first overview after the core opened   ${cold.wall.toFixed(0)} ms, CPU ${cold.cpu.toFixed(0)} ms (loads every document)`,
    );
    console.log(`  overview after every document unloaded ${unloaded.wall.toFixed(1)} ms, CPU ${unloaded.cpu.toFixed(1)} ms`);
    console.log(
      `  first overview after a restart         ${restarted.wall.toFixed(1)} ms, CPU ${restarted.cpu.toFixed(1)} ms, ${loaded} of ${family.length} documents loaded (load average ${loadBefore.toFixed(1)})`,
    );
    return {
      insights_all_ms: median(all.wall),
      health_panel_open_ms: median(panel.wall),
      insights_first_after_restart_ms: restarted.wall,
      insights_first_after_restart_cpu_ms: restarted.cpu,
    };
  } finally {
    await core.close();
    rmSync(history.dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runInsightsBench();
