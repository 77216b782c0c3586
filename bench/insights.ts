/**
 * 1:1 health on the bench history: 30 1:1s of five years of weekly meetings (7,800 meetings,
 * 40,000 agenda items, notes and check-ins, as bench/foundation.ts builds them) plus two next
 * steps per held meeting.
 *
 * Method: the 30 documents are built in memory (not timed) and stay loaded, as a running core
 * keeps them.
 * - insights_all_ms: every signal and flag for all 30 (readHealthHistory from each document, then
 *   assessHealth), in this process. Loading documents from disk is not included: it is the cost
 *   of opening a 1:1, measured by the foundation bench.
 * - health_panel_open_ms: what opening the health panel of the longest 1:1 computes and renders:
 *   React's renderToString of the panel body (history read, flags, figures, the four charts'
 *   series and their SVG).
 * One unrecorded warm-up, then RUNS runs: median and max.
 *
 * Run: npm run bench (with the other benchmarks) or npx tsx --tsconfig tsconfig.web.json bench/insights.ts
 * (the web config gives the renderer's .tsx files their JSX runtime; `npm run bench` passes it too).
 */
import { pathToFileURL } from 'node:url';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import * as Y from 'yjs';
import { createSeries } from '../src/shared/domain/commands.js';
import { addNextStep } from '../src/shared/domain/meetings.js';
import { listMeetings } from '../src/shared/domain/series-doc.js';
import { assessHealth } from '../src/shared/insights/flags.js';
import { readHealthHistory } from '../src/shared/insights/history.js';
import { HealthBody } from '../src/renderer/insights/HealthPanel.js';
import type { Figures } from './figures.js';
import { fillSeries } from './foundation.js';

const SERIES = 30;
const ITEMS = 40_000;
const RUNS = 15;
const TARGET_MS = 100;

function buildSeries(s: number, start: number): Y.Doc {
  const doc = new Y.Doc();
  const ctx = { now: new Date(start), userId: 'dana' };
  createSeries(
    doc,
    {
      kind: 'manager-report',
      cadence: { pattern: 'weekly', weekday: 1, time: '10:00', lengthMinutes: 30, timeZone: 'UTC', startsOn: '2021-01-04' },
      me: { name: 'Dana', role: 'manager' },
      partner: { name: `Person ${s + 1}`, role: 'report' },
      firstMeetingAt: new Date(start).toISOString(),
    },
    ctx,
  );
  const items = Math.floor(((s + 1) * ITEMS) / SERIES) - Math.floor((s * ITEMS) / SERIES);
  fillSeries(doc, listMeetings(doc)[0]!.id, start, items, 'dana');
  doc.transact(() => {
    for (const m of listMeetings(doc)) {
      if (m.status !== 'held') continue;
      addNextStep(doc, { meetingId: m.id, text: 'Follow up', ownerId: 'dana', due: m.scheduledFor.slice(0, 10) }, ctx);
      addNextStep(doc, { meetingId: m.id, text: 'Prepare', ownerId: 'sam' }, ctx);
    }
  });
  return doc;
}

/** Wall-clock samples, and this process's CPU time for the same runs (on a loaded machine the two part). */
function time(runs: number, fn: () => void): { wall: number[]; cpu: number[] } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run <= runs; run++) {
    const c = process.cpuUsage();
    const t = performance.now();
    fn();
    const used = process.cpuUsage(c);
    if (run > 0) {
      wall.push(performance.now() - t);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  return { wall: wall.sort((a, b) => a - b), cpu: cpu.sort((a, b) => a - b) };
}

const median = (s: number[]) => s[Math.floor(s.length / 2)]!;

export function runInsightsBench(): Figures {
  const start = Date.UTC(2021, 0, 4, 10);
  const docs = Array.from({ length: SERIES }, (_, s) => buildSeries(s, start));
  const now = new Date(start + 260 * 7 * 86_400_000);
  let flags = 0;
  const all = time(RUNS, () => {
    flags = 0;
    for (const doc of docs) flags += assessHealth(readHealthHistory(doc), now).flags.length;
  });
  const longest = docs.at(-1)!;
  const panel = time(RUNS, () => renderToString(createElement(HealthBody, { doc: longest })));
  const meetings = docs.reduce((n, d) => n + listMeetings(d).length, 0);
  console.log(`\n1:1 health, ${SERIES} 1:1s, ${meetings} meetings, ${ITEMS} items, ${flags} flags raised (bench/insights.ts)`);
  const line = (label: string, { wall, cpu }: { wall: number[]; cpu: number[] }) =>
    console.log(
      `  ${label} median ${median(wall).toFixed(1)} ms, max ${wall.at(-1)!.toFixed(1)} ms, CPU median ${median(cpu).toFixed(1)} ms (target < ${TARGET_MS} ms)`,
    );
  line('every signal for all 1:1s      ', all);
  line('open the health panel (longest)', panel);
  return { insights_all_ms: median(all.wall), health_panel_open_ms: median(panel.wall) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runInsightsBench();
