/**
 * Meeting commands on a long history: starting a meeting and ending it (with the carry-over of 10
 * items not reached and the next meeting planned).
 *
 * Method: one series document with a year of weekly meetings (52, held), 520 agenda items
 * discussed in them, 104 next steps, and 10 open items on the current meeting, built with the
 * domain commands (five years take minutes to build this way: every command reads the whole agenda). Each run applies that state to a fresh Y.Doc (not timed), then times the
 * command alone (performance.now() around startMeeting, or endMeeting) in this process. One
 * unrecorded warm-up, then RUNS runs: median and max.
 *
 * Run: npm run bench (with the other benchmarks) or npx tsx bench/meeting.ts
 */
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { addAgendaItem, createSeries } from '../src/shared/domain/commands.js';
import { addNextStep, currentMeeting, endMeeting, markDiscussed, startMeeting } from '../src/shared/domain/meetings.js';
import type { Figures } from './figures.js';

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

function time(state: Uint8Array, command: (doc: Y.Doc, meetingId: string) => void): number[] {
  const samples: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    const meetingId = currentMeeting(doc)!.id;
    const t = performance.now();
    command(doc, meetingId);
    if (run > 0) samples.push(performance.now() - t);
  }
  return samples.sort((a, b) => a - b);
}

const ctx = { now: new Date('2026-01-05T10:05:00.000Z'), userId: 'dana' };
const median = (s: number[]) => s[Math.floor(s.length / 2)]!;

export function runMeetingBench(): Figures {
  const state = history();
  const start = time(state, (doc, meetingId) => startMeeting(doc, { meetingId }, ctx));
  const end = time(state, (doc, meetingId) => endMeeting(doc, { meetingId }, ctx));
  console.log(`\nMeeting commands, ${WEEKS} weeks of history, ${state.byteLength} bytes (bench/meeting.ts)`);
  console.log(`  start a meeting                median ${median(start).toFixed(2)} ms, max ${start.at(-1)!.toFixed(2)} ms`);
  console.log(`  end a meeting, 10 items carried median ${median(end).toFixed(2)} ms, max ${end.at(-1)!.toFixed(2)} ms`);
  return { start_meeting_ms: median(start), end_meeting_ms: median(end) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runMeetingBench();
