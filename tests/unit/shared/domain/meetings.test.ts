import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { addAgendaItem } from '../../../../src/shared/domain/commands.js';
import { CHECK_IN_PROMPTS, checkInPrompt } from '../../../../src/shared/domain/check-in-prompts.js';
import {
  addNextStep,
  currentMeeting,
  endMeeting,
  itemElapsedMs,
  markDiscussed,
  meetingAgenda,
  meetingElapsedMs,
  nextStepsFor,
  notReachedIn,
  readCheckIns,
  readMeetingState,
  setCurrentItem,
  setNextStepDone,
  settleItem,
  startMeeting,
  summarizeMeeting,
  writeCheckIn,
} from '../../../../src/shared/domain/meetings.js';
import { listAgenda, listMeetings, meetingsMap } from '../../../../src/shared/domain/series-doc.js';
import { exchange, replicaOf, seedSeries } from '../../helpers/series-doc.js';

const T0 = new Date('2030-01-07T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const dana = (minutes = 0) => ({ now: at(minutes), userId: 'dana' });
const sam = (minutes = 0) => ({ now: at(minutes), userId: 'sam' });

const newSeries = (): Y.Doc => seedSeries(new Y.Doc(), 'manager-report', { now: new Date('2030-01-01T00:00:00.000Z'), userId: 'dana' });

const meetingId = (doc: Y.Doc) => currentMeeting(doc)!.id;

describe('meeting state', () => {
  test('starting records who started and when, once; the current item and timers come from stored timestamps', () => {
    const doc = newSeries();
    const id = meetingId(doc);
    const first = addAgendaItem(doc, { title: 'Promotion' }, dana());
    const second = addAgendaItem(doc, { title: 'Offsite' }, sam());
    startMeeting(doc, { meetingId: id }, dana(0));
    startMeeting(doc, { meetingId: id }, sam(1));
    expect(readMeetingState(doc, id)).toMatchObject({ startedAt: at(0).toISOString(), startedBy: 'dana', currentItemId: null });

    setCurrentItem(doc, { meetingId: id, itemId: first }, sam(2));
    setCurrentItem(doc, { meetingId: id, itemId: second }, dana(7));
    const peer = replicaOf(doc);
    const state = readMeetingState(peer, id)!;
    expect(state.currentItemId).toBe(second);
    expect(itemElapsedMs(peer, state, first, at(20))).toBe(5 * 60_000);
    expect(itemElapsedMs(peer, state, second, at(10))).toBe(3 * 60_000);
    expect(meetingElapsedMs(state, at(10))).toBe(10 * 60_000);
  });

  test('a discussed item stays in its meeting; the summary lists discussed and not reached', () => {
    const doc = newSeries();
    const id = meetingId(doc);
    const a = addAgendaItem(doc, { title: 'A' }, dana());
    addAgendaItem(doc, { title: 'B' }, dana());
    markDiscussed(doc, { meetingId: id, itemId: a, discussed: true }, dana(3));
    const summary = summarizeMeeting(doc, id);
    expect(summary.discussed.map((i) => i.title)).toEqual(['A']);
    expect(summary.notReached.map((i) => i.title)).toEqual(['B']);
    endMeeting(doc, { meetingId: id }, dana(30));
    expect(meetingAgenda(doc, id).map((i) => i.title)).toEqual(['A']);
    expect(meetingAgenda(doc, meetingId(doc)).map((i) => [i.title, i.state, i.carriedCount])).toEqual([['B', 'carried', 1]]);
    expect(readMeetingState(doc, id)).toMatchObject({ status: 'held', startedAt: at(30).toISOString(), endedAt: at(30).toISOString() });
  });

  test('each person writes their own check-in line at once without conflict; an old shared check-in is still read', () => {
    const doc = newSeries();
    const id = meetingId(doc);
    const peer = replicaOf(doc);
    writeCheckIn(doc, { meetingId: id, value: 'Tired but fine' }, dana());
    writeCheckIn(peer, { meetingId: id, value: 'Great weekend' }, sam());
    exchange(doc, peer);
    expect(readCheckIns(doc, id).byUser).toEqual({ dana: 'Tired but fine', sam: 'Great weekend' });
    expect(readCheckIns(peer, id)).toEqual(readCheckIns(doc, id));
    const old = meetingsMap(doc).get(id) as Y.Map<unknown>;
    (old.get('checkIn') as Y.Text).insert(0, 'from before');
    expect(readCheckIns(doc, id).shared).toBe('from before');
  });

  test('both see the same check-in prompt, drawn from at least twelve', () => {
    expect(new Set(CHECK_IN_PROMPTS).size).toBeGreaterThanOrEqual(12);
    const doc = newSeries();
    expect(checkInPrompt(meetingId(replicaOf(doc)))).toBe(checkInPrompt(meetingId(doc)));
    const ids = Array.from({ length: 60 }, (_, i) => `meeting-${i}`);
    expect(new Set(ids.map(checkInPrompt)).size).toBeGreaterThan(6);
  });
});

describe('carry-over', () => {
  test('items not reached carry over with their count, and ending again changes nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 4 }), (discussed, rounds) => {
        const doc = newSeries();
        const ids = discussed.map((_, i) => addAgendaItem(doc, { title: `item ${i}` }, dana()));
        const heldIn: string[] = [];
        for (let r = 0; r < rounds; r++) {
          const id = meetingId(doc);
          heldIn.push(id);
          if (r === 0) ids.forEach((itemId, i) => discussed[i] && markDiscussed(doc, { meetingId: id, itemId, discussed: true }, dana(1)));
          endMeeting(doc, { meetingId: id }, dana(r * 10_080 + 30));
          endMeeting(doc, { meetingId: id }, dana(r * 10_080 + 31));
        }
        const items = listAgenda(doc);
        for (const [i, itemId] of ids.entries()) {
          const item = items.find((x) => x.id === itemId)!;
          expect(item.carriedCount).toBe(discussed[i] ? 0 : rounds);
          expect(item.state).toBe(discussed[i] ? 'discussed' : 'carried');
          expect(heldIn.filter((m) => notReachedIn(doc, m).some((x) => x.id === itemId))).toHaveLength(discussed[i] ? 0 : rounds);
        }
        expect(listMeetings(doc).filter((m) => m.status === 'scheduled')).toHaveLength(1);
        expect(meetingAgenda(doc, meetingId(doc)).map((i) => i.id)).toEqual(ids.filter((_, i) => !discussed[i]));
      }),
      { numRuns: 60 },
    );
  });

  test('both people ending the same meeting offline carry each item exactly once and plan one next meeting', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('open', 'discussed'), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        (fates, carriedBefore, samFirst) => {
          const doc = newSeries();
          const ids = fates.map((_, i) => addAgendaItem(doc, { title: `item ${i}` }, dana()));
          for (let r = 0; r < carriedBefore; r++) endMeeting(doc, { meetingId: meetingId(doc) }, dana(r));
          const id = meetingId(doc);
          ids.forEach((itemId, i) => fates[i] === 'discussed' && markDiscussed(doc, { meetingId: id, itemId, discussed: true }, dana(40)));
          const peer = replicaOf(doc);
          const [first, second] = samFirst ? [peer, doc] : [doc, peer];
          endMeeting(first, { meetingId: id }, sam(50));
          endMeeting(second, { meetingId: id }, dana(55));
          exchange(doc, peer);
          expect(listAgenda(peer)).toEqual(listAgenda(doc));
          ids.forEach((itemId, i) => {
            const item = listAgenda(doc).find((x) => x.id === itemId)!;
            expect(item.carriedCount).toBe(fates[i] === 'discussed' ? carriedBefore : carriedBefore + 1);
          });
          const scheduled = listMeetings(doc).filter((m) => m.status === 'scheduled');
          expect(scheduled).toHaveLength(1);
          expect(listMeetings(peer)).toEqual(listMeetings(doc));
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('closing an item while the other person ends the meeting', () => {
  test('an item marked discussed by one person offline while the other ends the meeting stays discussed there and is not carried', () => {
    const doc = newSeries();
    const item = addAgendaItem(doc, { title: 'Offsite' }, dana());
    const id = meetingId(doc);
    const peer = replicaOf(doc);
    markDiscussed(doc, { meetingId: id, itemId: item, discussed: true }, dana(20));
    endMeeting(peer, { meetingId: id }, sam(30));
    exchange(doc, peer);
    for (const copy of [doc, peer]) {
      expect(meetingAgenda(copy, id).map((i) => [i.title, i.state, i.carriedCount])).toEqual([['Offsite', 'discussed', 0]]);
      expect(meetingAgenda(copy, meetingId(copy))).toEqual([]);
    }
  });

  test('concurrent carry-over by both people offline, with items closed on one side: every item exactly once, carried counts right', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('open', 'discussed', 'settled', 'discussed-before'), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 2 }),
        fc.boolean(),
        fc.boolean(),
        (fates, carriedBefore, danaEndsToo, samFirst) => {
          const doc = newSeries();
          const ids = fates.map((fate, i) => addAgendaItem(doc, { title: `item ${i}`, async: fate === 'settled' }, dana()));
          for (let r = 0; r < carriedBefore; r++) endMeeting(doc, { meetingId: meetingId(doc) }, dana(r));
          const id = meetingId(doc);
          ids.forEach(
            (itemId, i) => fates[i] === 'discussed-before' && markDiscussed(doc, { meetingId: id, itemId, discussed: true }, dana(10)),
          );
          const peer = replicaOf(doc);
          ids.forEach((itemId, i) => {
            if (fates[i] === 'discussed') markDiscussed(doc, { meetingId: id, itemId, discussed: true }, dana(40));
            if (fates[i] === 'settled') settleItem(doc, { itemId, meetingId: id, settled: true }, dana(40));
          });
          if (danaEndsToo) endMeeting(doc, { meetingId: id }, dana(55));
          endMeeting(peer, { meetingId: id }, sam(50));
          if (samFirst) exchange(peer, doc);
          else exchange(doc, peer);
          expect(listAgenda(peer)).toEqual(listAgenda(doc));
          const held = meetingAgenda(doc, id);
          const next = meetingAgenda(doc, meetingId(doc));
          expect([...held, ...next].map((i) => i.id).sort()).toEqual([...ids].sort());
          // The held meeting's history lists as not reached exactly the items carried on.
          expect(notReachedIn(doc, id).map((i) => i.id)).toEqual(ids.filter((_, i) => fates[i] === 'open'));
          ids.forEach((itemId, i) => {
            const fate = fates[i]!;
            const carried = fate === 'open';
            // Async items are for reading: ending a meeting never carries them.
            const before = fate === 'settled' ? 0 : carriedBefore;
            const item = listAgenda(doc).find((x) => x.id === itemId)!;
            expect(item.carriedCount, `${fate} item`).toBe(carried ? before + 1 : before);
            expect(item.state).toBe(carried ? 'carried' : fate === 'settled' ? 'settled' : 'discussed');
            expect(held.some((h) => h.id === itemId)).toBe(!carried);
          });
        },
      ),
      { numRuns: 120 },
    );
  });
});

describe('next steps', () => {
  test('a next step appears in its meeting and every later one until done; done ones stay only in their own', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }), (madeIn, doneIn) => {
        const doc = newSeries();
        const meetings: string[] = [];
        let step = '';
        for (let r = 0; r < 5; r++) {
          const id = meetingId(doc);
          meetings.push(id);
          const t = r * 10_080;
          startMeeting(doc, { meetingId: id }, dana(t));
          if (r === madeIn) step = addNextStep(doc, { meetingId: id, text: 'Draft the promotion case', ownerId: 'sam' }, dana(t + 1));
          if (step && r === doneIn) setNextStepDone(doc, { stepId: step, done: true }, sam(t + 2));
          if (r < 4) endMeeting(doc, { meetingId: id }, dana(t + 30));
        }
        const doneAt = doneIn !== null && doneIn >= madeIn ? doneIn : null;
        meetings.forEach((id, r) => {
          const shown = nextStepsFor(doc, id).some((s) => s.id === step);
          const expected = r === madeIn || (r > madeIn && (doneAt === null || r <= doneAt));
          expect(shown, `meeting ${r}`).toBe(expected);
        });
      }),
      { numRuns: 60 },
    );
  });

  test('the summary points out next steps without an owner or a due date', () => {
    const doc = newSeries();
    const id = meetingId(doc);
    addNextStep(doc, { meetingId: id, text: 'Complete', ownerId: 'sam', due: '2030-01-14' }, dana());
    addNextStep(doc, { meetingId: id, text: 'No owner', due: '2030-01-14' }, dana(1));
    addNextStep(doc, { meetingId: id, text: 'No date', ownerId: 'dana' }, dana(2));
    expect(summarizeMeeting(doc, id).incomplete.map((s) => s.text)).toEqual(['No owner', 'No date']);
    expect(() => addNextStep(doc, { meetingId: id, text: '  ' }, dana())).toThrow(/few words/);
  });
});
