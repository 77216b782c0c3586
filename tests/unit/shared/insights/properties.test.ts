import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { addAgendaItem } from '../../../../src/shared/domain/commands.js';
import {
  addNextStep,
  claimNotesAuthorship,
  currentMeeting,
  endMeeting,
  markDiscussed,
  setNextStepDone,
  startMeeting,
} from '../../../../src/shared/domain/meetings.js';
import { moveMeeting, skipMeeting } from '../../../../src/shared/domain/series-commands.js';
import { joinSeries } from '../../../../src/shared/domain/commands.js';
import { meetingNotes } from '../../../../src/shared/domain/series-doc.js';
import { Purpose } from '../../../../src/shared/schemas.js';
import { assessHealth } from '../../../../src/shared/insights/flags.js';
import { combineHistories, readHealthHistory, type HealthHistory, type ItemRecord } from '../../../../src/shared/insights/history.js';
import { healthSignals, purposes, recentHeld } from '../../../../src/shared/insights/signals.js';
import { exchange, seedSeries } from '../../helpers/series-doc.js';

const DAY = 86_400_000;
const NOW = new Date('2030-07-01T12:00:00.000Z');
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();

const purpose = fc.option(fc.constantFrom(...Purpose.options), { nil: null });
const author = fc.constantFrom('dana', 'sam', 'someone-else');

/** Any history: meetings over the last three years and the next month, items and steps pointing anywhere. */
const anyHistory: fc.Arbitrary<HealthHistory> = fc
  .record({
    kind: fc.constantFrom('manager-report' as const, 'peer' as const, 'skip-level' as const),
    people: fc.constantFrom<HealthHistory['people'][]>(
      { dana: 'manager', sam: 'report' },
      { dana: 'manager' },
      { dana: 'peer', sam: 'peer' },
    ),
    meetings: fc.array(
      fc.record({
        day: fc.integer({ min: -1100, max: 30 }),
        status: fc.constantFrom('scheduled' as const, 'held' as const, 'canceled' as const, 'moved' as const),
        started: fc.boolean(),
        notesBy: fc.dictionary(author, fc.nat(500)),
        hasNotes: fc.boolean(),
      }),
      { maxLength: 40 },
    ),
    items: fc.array(
      fc.record({
        meeting: fc.option(fc.nat(39), { nil: null }),
        purpose,
        state: fc.constantFrom('open' as const, 'discussed' as const, 'carried' as const, 'dropped' as const),
        authorId: author,
        createdDay: fc.integer({ min: -1200, max: 0 }),
        discussedDay: fc.option(fc.integer({ min: -1100, max: 0 }), { nil: null }),
        carriedCount: fc.nat(6),
        hasContext: fc.boolean(),
        contextDay: fc.option(fc.integer({ min: -1200, max: 0 }), { nil: null }),
        contextBy: author,
      }),
      { maxLength: 60 },
    ),
    steps: fc.array(
      fc.record({
        dueDay: fc.option(fc.integer({ min: -400, max: 60 }), { nil: null }),
        done: fc.boolean(),
        doneDay: fc.integer({ min: -400, max: 0 }),
      }),
      { maxLength: 20 },
    ),
    moves: fc.array(fc.integer({ min: -400, max: 0 }), { maxLength: 5 }),
  })
  .map(({ kind, people, meetings, items, steps, moves }) => {
    const ms = meetings
      .map((m, k) => ({
        id: `m${k}`,
        scheduledFor: at(m.day),
        status: m.status,
        startedAt: m.started ? at(m.day) : null,
        endedAt: null,
        notesBy: m.notesBy,
        hasNotes: m.hasNotes,
      }))
      .sort((a, b) => a.scheduledFor.localeCompare(b.scheduledFor));
    return {
      kind,
      people,
      createdAt: at(-1200),
      timeZone: 'Europe/Berlin',
      meetings: ms,
      items: items.map((i, k): ItemRecord => ({
        id: `i${k}`,
        meetingId: i.meeting === null ? null : `m${i.meeting}`,
        purpose: i.purpose,
        state: i.state,
        authorId: i.authorId,
        createdAt: at(i.createdDay),
        discussedAt: i.discussedDay === null ? null : at(i.discussedDay),
        carriedFrom: null,
        carriedCount: i.carriedCount,
        hasContext: i.hasContext,
        contextAt: i.hasContext && i.contextDay !== null ? at(i.contextDay) : null,
        contextBy: i.hasContext && i.contextDay !== null ? i.contextBy : null,
        async: false,
      })),
      steps: steps.map((s, k) => ({
        id: `s${k}`,
        ownerId: 'sam',
        due: s.dueDay === null ? null : at(s.dueDay).slice(0, 10),
        done: s.done,
        doneAt: s.done ? at(s.doneDay) : null,
        meetingId: null,
      })),
      changes: moves.map((day, k) => ({
        id: `c${k}`,
        meetingId: 'm0',
        kind: 'moved' as const,
        at: at(day),
        from: at(day - 1),
        to: at(day + 1),
      })),
    };
  });

describe('properties of the signals', () => {
  test('every share is between 0 and 1, or null when there is nothing to share out', () => {
    fc.assert(
      fc.property(anyHistory, (h) => {
        const s = healthSignals(h, NOW);
        const shares = [
          s.cancellations.canceledShare,
          s.authorship.itemShare,
          s.authorship.notesShare,
          s.reverseBriefing.statusShare,
          s.followThrough.onTimeShare,
          s.preparation.preparedShare,
        ];
        for (const value of shares) if (value !== null) expect(value >= 0 && value <= 1).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test('adding a discussed career item resets "career neglected"', () => {
    fc.assert(
      fc.property(anyHistory, fc.option(fc.nat(39), { nil: null }), (h, meeting) => {
        const career: ItemRecord = {
          id: 'career-now',
          meetingId: meeting === null || !h.meetings[meeting] ? null : h.meetings[meeting]!.id,
          purpose: 'career',
          state: 'discussed',
          authorId: 'sam',
          createdAt: NOW.toISOString(),
          discussedAt: NOW.toISOString(),
          carriedFrom: null,
          carriedCount: 0,
          hasContext: false,
          contextAt: null,
          contextBy: null,
          async: false,
        };
        const after = { ...h, items: [...h.items, career] };
        expect(purposes(after, NOW)).toMatchObject({ careerNeglected: false, careerDays: 0 });
        expect(assessHealth(after, NOW).flags.map((f) => f.id)).not.toContain('career-neglected');
      }),
      { numRuns: 300 },
    );
  });

  test('an archive combined in is counted once, whichever order the parts come in', () => {
    fc.assert(
      fc.property(anyHistory, fc.nat(40), (h, cut) => {
        const older = { ...h, meetings: h.meetings.slice(0, cut), items: h.items.slice(0, cut) };
        const both = combineHistories(h, older);
        expect(healthSignals(both, NOW)).toEqual(healthSignals(combineHistories(older, h), NOW));
        expect(both.items).toHaveLength(h.items.length);
      }),
      { numRuns: 100 },
    );
  });

  test('the last held meetings are those held at or before the time, oldest first, however often a history is asked', () => {
    fc.assert(
      fc.property(anyHistory, fc.integer({ min: -1200, max: 40 }), fc.integer({ min: 1, max: 8 }), (h, day, n) => {
        const now = new Date(NOW.getTime() + day * 86_400_000);
        const byDefinition = h.meetings.filter((m) => m.status === 'held' && Date.parse(m.scheduledFor) <= now.getTime()).slice(-n);
        expect(recentHeld(h, now, n)).toEqual(byDefinition);
        expect(recentHeld(h, now, n)).toEqual(byDefinition);
      }),
      { numRuns: 300 },
    );
  });
});

/** Writes `text` into a meeting's shared notes from `doc`, as an editor would. */
function typeNotes(doc: Y.Doc, meetingId: string, text: string, userId: string): void {
  claimNotesAuthorship(doc, {}, { now: NOW, userId });
  doc.transact(() => {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(text)]);
    meetingNotes(doc, meetingId).push([paragraph]);
  });
}

function pair(): [Y.Doc, Y.Doc] {
  const dana = seedSeries(new Y.Doc(), 'manager-report', { now: new Date('2030-01-01T00:00:00.000Z'), userId: 'dana' });
  const sam = new Y.Doc();
  exchange(dana, sam);
  joinSeries(sam, { name: 'Sam' }, { now: new Date('2030-01-02T00:00:00.000Z'), userId: 'sam' });
  exchange(dana, sam);
  return [dana, sam];
}

describe('read from documents', () => {
  test('the notes are counted per person through the clients each one claimed', () => {
    const [dana, sam] = pair();
    const id = currentMeeting(dana)!.id;
    typeNotes(dana, id, 'x'.repeat(30), 'dana');
    typeNotes(sam, id, 'y'.repeat(10), 'sam');
    exchange(dana, sam);
    const meeting = readHealthHistory(sam).meetings.find((m) => m.id === id)!;
    expect(meeting).toMatchObject({ notesBy: { dana: 30, sam: 10 }, hasNotes: true });
  });

  test('signals are the same whichever peer computes them, after both act offline and sync', () => {
    const ops = fc.array(
      fc.record({
        who: fc.constantFrom(0, 1),
        op: fc.constantFrom('add', 'discuss', 'end', 'skip', 'move', 'step', 'done', 'notes', 'sync', 'start'),
        purpose,
        day: fc.integer({ min: 0, max: 200 }),
        pick: fc.nat(),
      }),
      { maxLength: 25 },
    );
    fc.assert(
      fc.property(ops, (steps) => {
        const docs = pair();
        const users = ['dana', 'sam'];
        for (const s of steps) {
          const doc = docs[s.who]!;
          const ctx = { now: new Date(Date.parse('2030-01-07T10:00:00.000Z') + s.day * DAY), userId: users[s.who]! };
          const meeting = currentMeeting(doc);
          try {
            if (s.op === 'sync') exchange(docs[0], docs[1]);
            else if (!meeting) continue;
            else if (s.op === 'add') addAgendaItem(doc, { title: 'Topic', ...(s.purpose ? { purpose: s.purpose } : {}) }, ctx);
            else if (s.op === 'start') startMeeting(doc, { meetingId: meeting.id }, ctx);
            else if (s.op === 'discuss') {
              const open = readHealthHistory(doc).items.filter((i) => i.meetingId === null);
              const target = open[s.pick % Math.max(1, open.length)];
              if (target) markDiscussed(doc, { meetingId: meeting.id, itemId: target.id, discussed: true }, ctx);
            } else if (s.op === 'end') endMeeting(doc, { meetingId: meeting.id }, ctx);
            else if (s.op === 'skip') skipMeeting(doc, { meetingId: meeting.id, reason: 'busy' }, ctx);
            else if (s.op === 'move')
              moveMeeting(
                doc,
                { meetingId: meeting.id, to: new Date(Date.parse(meeting.scheduledFor) + DAY).toISOString(), reason: 'clash' },
                ctx,
              );
            else if (s.op === 'step')
              addNextStep(doc, { meetingId: meeting.id, text: 'Do it', due: ctx.now.toISOString().slice(0, 10) }, ctx);
            else if (s.op === 'done') {
              const open = readHealthHistory(doc).steps.filter((x) => !x.done);
              const target = open[s.pick % Math.max(1, open.length)];
              if (target) setNextStepDone(doc, { stepId: target.id, done: true }, ctx);
            } else if (s.op === 'notes') typeNotes(doc, meeting.id, 'note '.repeat(1 + (s.pick % 5)), ctx.userId);
          } catch {
            // A command refusing the state it finds (e.g. moving a meeting no longer scheduled) changes nothing.
          }
        }
        exchange(docs[0], docs[1]);
        const now = new Date('2030-09-01T00:00:00.000Z');
        const [a, b] = docs.map((d) => assessHealth(readHealthHistory(d), now));
        expect(a).toEqual(b);
      }),
      { numRuns: 60 },
    );
  });
});
