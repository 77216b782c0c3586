/**
 * Meeting commands on a long history: starting a meeting and ending it (with the carry-over of 10
 * items not reached and the next meeting planned).
 *
 * Method: one series document with a year of weekly meetings (52, held), 520 agenda items
 * discussed in them, 104 next steps, and 10 open items on the current meeting, built with the
 * domain commands (five years take minutes to build this way: every command reads the whole agenda). Each run applies that state to a fresh Y.Doc (not timed), then times the
 * command alone (performance.now() around startMeeting, or endMeeting) in this process, and the
 * process's CPU time over the same span (on a shared machine the wall time is mostly waiting for
 * a core). One unrecorded warm-up, then RUNS runs: median and max.
 *
 * Run: npm run bench (with the other benchmarks) or npx tsx bench/meeting.ts
 */
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { addAgendaItem, createSeries } from '../src/shared/domain/commands.js';
import { addNextStep, currentMeeting, endMeeting, markDiscussed, startMeeting } from '../src/shared/domain/meetings.js';
import { cpuSince, type Figures } from './figures.js';

const WEEKS = 52;
const ITEMS_PER_MEETING = 10;
const RUNS = 30;

function history(): Uint8Array {
  const doc = new Y.Doc();
  const start = new Date('2021-01-04T10:00:00.000Z');
  const ctx = (week: number) => ({ now: new Date(start.getTime() + week * 7 * 86_400_000), userId: 'dana' });
  createSeries(
    doc,
    {
      kind: 'manager-report',
      cadence: { pattern: 'weekly', weekday: 1, time: '10:00', lengthMinutes: 30, timeZone: 'UTC', startsOn: '2030-01-07' },
      me: { name: 'Dana', role: 'manager' },
      partner: { name: 'Sam', role: 'report' },
      firstMeetingAt: start.toISOString(),
    },
    ctx(0),
  );
  for (let week = 0; week <= WEEKS; week++) {
    const meetingId = currentMeeting(doc)!.id;
    const items = Array.from({ length: ITEMS_PER_MEETING }, (_, i) => addAgendaItem(doc, { title: `Week ${week} topic ${i}` }, ctx(week)));
    if (week === WEEKS) break;
    for (const itemId of items) markDiscussed(doc, { meetingId, itemId, discussed: true }, ctx(week));
    addNextStep(doc, { meetingId, text: `Follow up ${week}`, ownerId: 'dana', due: '2030-01-01' }, ctx(week));
    addNextStep(doc, { meetingId, text: `Prepare ${week}`, ownerId: 'sam' }, ctx(week));
    endMeeting(doc, { meetingId }, ctx(week));
  }
  return Y.encodeStateAsUpdate(doc);
}

/** Wall and CPU times (this process's user + system) of each run, each list sorted. */
function time(state: Uint8Array, command: (doc: Y.Doc, meetingId: string) => void): { wall: number[]; cpu: number[] } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    const meetingId = currentMeeting(doc)!.id;
    const c = process.cpuUsage();
    const t = performance.now();
    command(doc, meetingId);
    if (run === 0) continue;
    wall.push(performance.now() - t);
    cpu.push(cpuSince(c));
  }
  return { wall: wall.sort((a, b) => a - b), cpu: cpu.sort((a, b) => a - b) };
}

const ctx = { now: new Date('2026-01-05T10:05:00.000Z'), userId: 'dana' };
const median = (s: number[]) => s[Math.floor(s.length / 2)]!;

export function runMeetingBench(): Figures {
  const state = history();
  const start = time(state, (doc, meetingId) => startMeeting(doc, { meetingId }, ctx));
  const end = time(state, (doc, meetingId) => endMeeting(doc, { meetingId }, ctx));
  console.log(`\nMeeting commands, ${WEEKS} weeks of history, ${state.byteLength} bytes (bench/meeting.ts)`);
  const line = (label: string, t: { wall: number[]; cpu: number[] }) =>
    console.log(
      `  ${label.padEnd(31)} median ${median(t.wall).toFixed(2)} ms, max ${t.wall.at(-1)!.toFixed(2)} ms; CPU median ${median(t.cpu).toFixed(2)} ms`,
    );
  line('start a meeting', start);
  line('end a meeting, 10 items carried', end);
  return {
    start_meeting_ms: median(start.wall),
    end_meeting_ms: median(end.wall),
    start_meeting_cpu_ms: median(start.cpu),
    end_meeting_cpu_ms: median(end.cpu),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runMeetingBench();
