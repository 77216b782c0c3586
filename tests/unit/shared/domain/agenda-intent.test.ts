import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { addAgendaItem, editItemText, joinSeries, moveAgendaItem, targetItem } from '../../../../src/shared/domain/commands.js';
import {
  addNextStep,
  currentMeeting,
  editNextStepText,
  endMeeting,
  listNextSteps,
  markDiscussed,
  meetingAgenda,
  readReplies,
  replyToItem,
  settleItem,
  summarizeMeeting,
} from '../../../../src/shared/domain/meetings.js';
import { aimAtLaterMeeting, laterMeetings, skipMeeting } from '../../../../src/shared/domain/series-commands.js';
import {
  agendaFor,
  agendaMap,
  listAgenda,
  listMeetings,
  liveAgenda,
  metaMap,
  needsContext,
} from '../../../../src/shared/domain/series-doc.js';
import { exchange, replicaOf, seedSeries } from '../../helpers/series-doc.js';

const T0 = new Date('2030-01-07T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const dana = (minutes = 0) => ({ now: at(minutes), userId: 'dana' });
const sam = (minutes = 0) => ({ now: at(minutes), userId: 'sam' });
const WEEK = 7 * 24 * 60;

/** Dana (manager) created the 1:1 with Sam (report), and Sam has joined. */
function newSeries(kind: 'manager-report' | 'peer' = 'manager-report'): Y.Doc {
  const doc = seedSeries(new Y.Doc(), kind, { now: new Date('2030-01-01T00:00:00.000Z'), userId: 'dana' });
  joinSeries(doc, { name: 'Sam' }, sam());
  return doc;
}

const titles = (items: { title: string }[]) => items.map((i) => i.title);
const meetingId = (doc: Y.Doc) => currentMeeting(doc)!.id;

describe('settled async', () => {
  test('both people answer an async item in writing at once; settled, it leaves the live agenda and the meeting lists it as settled', () => {
    const doc = newSeries();
    const fyi = addAgendaItem(doc, { title: 'Budget numbers', async: true, purpose: 'status' }, sam());
    addAgendaItem(doc, { title: 'Career goals' }, sam(1));
    const peer = replicaOf(doc);
    replyToItem(doc, { itemId: fyi, text: 'Looks right to me' }, dana(2));
    replyToItem(peer, { itemId: fyi, text: 'Q3 is an estimate' }, sam(3));
    exchange(doc, peer);
    expect(readReplies(peer, fyi).map((r) => [r.by, r.text])).toEqual([
      ['dana', 'Looks right to me'],
      ['sam', 'Q3 is an estimate'],
    ]);
    expect(() => replyToItem(doc, { itemId: fyi, text: '   ' }, dana())).toThrow(/few words/);

    const id = meetingId(doc);
    settleItem(doc, { itemId: fyi, meetingId: id, settled: true }, dana(4));
    expect(titles(agendaFor(doc, null))).toEqual(['Career goals']);
    expect(summarizeMeeting(doc, id).settled.map((i) => i.title)).toEqual(['Budget numbers']);
    endMeeting(doc, { meetingId: id }, dana(30));
    // Settled before the meeting: it stays with that meeting as settled, never carried.
    expect(titles(agendaFor(doc, id))).toEqual(['Budget numbers']);
    expect(listAgenda(doc).find((i) => i.id === fyi)).toMatchObject({ state: 'settled', carriedCount: 0 });
    expect(titles(meetingAgenda(doc, meetingId(doc)))).toEqual(['Career goals']);
  });

  test('opening a settled item again puts it back on the next agenda', () => {
    const doc = newSeries();
    const fyi = addAgendaItem(doc, { title: 'Budget numbers', async: true }, sam());
    settleItem(doc, { itemId: fyi, meetingId: meetingId(doc), settled: true }, dana(1));
    settleItem(doc, { itemId: fyi, meetingId: meetingId(doc), settled: false }, sam(2));
    expect(agendaFor(doc, null).map((i) => [i.title, i.state])).toEqual([['Budget numbers', 'open']]);
  });
});

describe('context before the meeting', () => {
  test('only the author is pointed to their own open items without context', () => {
    const doc = newSeries();
    const bare = addAgendaItem(doc, { title: 'Promotion' }, sam());
    addAgendaItem(doc, { title: 'Offsite', context: 'Dates in March' }, sam());
    const items = agendaFor(doc, null);
    expect(titles(items.filter((i) => needsContext(i, 'sam')))).toEqual(['Promotion']);
    expect(items.filter((i) => needsContext(i, 'dana'))).toEqual([]);
    editItemText(doc, { itemId: bare, field: 'context', value: '  ' }, sam());
    expect(agendaFor(doc, null).filter((i) => needsContext(i, 'sam'))).toHaveLength(1);
    markDiscussed(doc, { meetingId: meetingId(doc), itemId: bare, discussed: true }, sam());
    expect(listAgenda(doc).filter((i) => needsContext(i, 'sam'))).toEqual([]);
  });
});

describe('the report owns the agenda', () => {
  test("in a manager–report 1:1 the report's items come first, in the order added; a manual move stands", () => {
    const doc = newSeries();
    addAgendaItem(doc, { title: 'M1' }, dana());
    addAgendaItem(doc, { title: 'R1' }, sam());
    addAgendaItem(doc, { title: 'M2' }, dana());
    addAgendaItem(doc, { title: 'R2' }, sam());
    expect(titles(agendaFor(doc, null))).toEqual(['R1', 'R2', 'M1', 'M2']);
    const m2 = agendaFor(doc, null)[3]!.id;
    moveAgendaItem(doc, { itemId: m2, toIndex: 0 }, dana());
    addAgendaItem(doc, { title: 'M3' }, dana());
    addAgendaItem(doc, { title: 'R3' }, sam());
    expect(titles(agendaFor(doc, null))).toEqual(['R3', 'M2', 'R1', 'R2', 'M1', 'M3']);
  });

  test('the live agenda keeps items discussed in the next meeting in place and leaves settled ones out; moves count in it', () => {
    const doc = newSeries('peer');
    const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((title) => addAgendaItem(doc, { title, async: title === 'D' }, dana()));
    markDiscussed(doc, { meetingId: meetingId(doc), itemId: b!, discussed: true }, dana());
    settleItem(doc, { itemId: d!, meetingId: meetingId(doc), settled: true }, dana());
    expect(titles(liveAgenda(doc))).toEqual(['A', 'B', 'C']);
    moveAgendaItem(doc, { itemId: c!, toIndex: 1 }, dana());
    expect(titles(liveAgenda(doc))).toEqual(['A', 'C', 'B']);
    moveAgendaItem(doc, { itemId: a!, toIndex: 2 }, dana());
    expect(titles(liveAgenda(doc))).toEqual(['C', 'B', 'A']);
  });

  test("when the report's last item and the manager's first share a key (added at once), the report's new item goes to the end", () => {
    const doc = newSeries();
    // Ids chosen so that the tie between their keys lists R1 first.
    const r1 = addAgendaItem(doc, { title: 'R1', id: 'item-1' }, sam());
    const m1 = addAgendaItem(doc, { title: 'M1', id: 'item-2' }, dana());
    // As two concurrent adds can leave them: no key fits between.
    (agendaMap(doc).get(m1) as Y.Map<unknown>).set('order', (agendaMap(doc).get(r1) as Y.Map<unknown>).get('order'));
    addAgendaItem(doc, { title: 'R2' }, sam());
    expect(titles(agendaFor(doc, null))).toEqual(['R1', 'M1', 'R2']);
  });

  test("a participant entry a peer wrote as something other than an object gives no role: that person's items go to the end", () => {
    const doc = newSeries();
    addAgendaItem(doc, { title: 'M1' }, dana());
    (metaMap(doc).get('participants') as Y.Map<unknown>).set('sam', 'report');
    addAgendaItem(doc, { title: 'S1' }, sam());
    expect(titles(agendaFor(doc, null))).toEqual(['M1', 'S1']);
  });

  test('in a peer 1:1 every item goes to the end', () => {
    const doc = newSeries('peer');
    addAgendaItem(doc, { title: 'A' }, dana());
    addAgendaItem(doc, { title: 'B' }, sam());
    addAgendaItem(doc, { title: 'C' }, dana());
    expect(titles(agendaFor(doc, null))).toEqual(['A', 'B', 'C']);
  });

  test('report and manager adding at once, in any order, converge with every report item ahead of the manager items added before', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('dana', 'sam'), { minLength: 1, maxLength: 6 }), (authors) => {
        const doc = newSeries();
        addAgendaItem(doc, { title: 'M0' }, dana());
        const peer = replicaOf(doc);
        authors.forEach((who, i) => addAgendaItem(who === 'sam' ? peer : doc, { title: `${who}${i}` }, { now: at(i), userId: who }));
        exchange(doc, peer);
        const order = titles(agendaFor(doc, null));
        expect(titles(agendaFor(peer, null))).toEqual(order);
        expect(order).toHaveLength(authors.length + 1);
        expect(order.indexOf('M0')).toBe(authors.filter((w) => w === 'sam').length);
      }),
      { numRuns: 60 },
    );
  });
});

describe('aiming an item at a later meeting', () => {
  test('it waits outside the next agenda, the meetings in between still happen, and it is on the agenda once its meeting is next', () => {
    const doc = newSeries();
    addAgendaItem(doc, { title: 'Now' }, sam());
    const later = addAgendaItem(doc, { title: 'Mid-year review' }, sam());
    const choices = laterMeetings(doc, 3, new Date('2030-01-01T00:00:00.000Z'));
    expect(choices.map((m) => m.scheduledFor)).toEqual([
      '2030-01-14T10:00:00.000Z',
      '2030-01-21T10:00:00.000Z',
      '2030-01-28T10:00:00.000Z',
    ]);
    const peer = replicaOf(doc);
    aimAtLaterMeeting(doc, { itemId: later, meeting: choices[1]! }, sam());
    aimAtLaterMeeting(peer, { itemId: later, meeting: choices[1]! }, dana());
    exchange(doc, peer);
    expect(listMeetings(doc).map((m) => m.scheduledFor)).toEqual(['2030-01-07T10:00:00.000Z', '2030-01-21T10:00:00.000Z']);
    expect(titles(agendaFor(doc, null))).toEqual(['Now']);
    expect(titles(agendaFor(doc, choices[1]!.id))).toEqual(['Mid-year review']);

    endMeeting(doc, { meetingId: meetingId(doc) }, dana(30));
    expect(currentMeeting(doc)!.scheduledFor).toBe('2030-01-14T10:00:00.000Z');
    expect(titles(meetingAgenda(doc, meetingId(doc)))).toEqual(['Now']);
    endMeeting(doc, { meetingId: meetingId(doc) }, dana(WEEK + 30));
    expect(currentMeeting(doc)!.id).toBe(choices[1]!.id);
    // Its meeting is the next one now: the item is simply on the next agenda.
    expect(titles(agendaFor(doc, null))).toContain('Mid-year review');
    expect(meetingAgenda(doc, meetingId(doc)).map((i) => [i.title, i.carriedCount])).toEqual([
      ['Now', 2],
      ['Mid-year review', 0],
    ]);
  });

  test('an item waiting for a later meeting is moved among the items waiting for that meeting', () => {
    const doc = newSeries();
    addAgendaItem(doc, { title: 'Now' }, sam());
    const review = addAgendaItem(doc, { title: 'Mid-year review' }, sam());
    const promotion = addAgendaItem(doc, { title: 'Promotion case' }, sam());
    const [, later] = laterMeetings(doc, 2, T0);
    aimAtLaterMeeting(doc, { itemId: review, meeting: later! }, sam());
    aimAtLaterMeeting(doc, { itemId: promotion, meeting: later! }, sam());
    expect(titles(agendaFor(doc, later!.id))).toEqual(['Mid-year review', 'Promotion case']);
    moveAgendaItem(doc, { itemId: review, toIndex: 1 }, sam());
    expect(titles(agendaFor(doc, later!.id))).toEqual(['Promotion case', 'Mid-year review']);
    moveAgendaItem(doc, { itemId: review, toIndex: 0 }, sam());
    expect(titles(agendaFor(doc, later!.id))).toEqual(['Mid-year review', 'Promotion case']);
    expect(titles(agendaFor(doc, null))).toEqual(['Now']);
  });

  test('when its meeting is skipped the item is carried to the next one, never lost; it can be brought back to the next one', () => {
    const doc = newSeries();
    const item = addAgendaItem(doc, { title: 'Mid-year review' }, sam());
    const [second] = laterMeetings(doc, 1, T0);
    aimAtLaterMeeting(doc, { itemId: item, meeting: second! }, sam());
    endMeeting(doc, { meetingId: meetingId(doc) }, dana(30));
    expect(meetingId(doc)).toBe(second!.id);
    skipMeeting(doc, { meetingId: second!.id, reason: 'Travel' }, dana(WEEK - 60));
    expect(meetingAgenda(doc, meetingId(doc)).map((i) => [i.title, i.carriedCount, i.targetMeetingId])).toEqual([
      ['Mid-year review', 1, null],
    ]);

    const other = addAgendaItem(doc, { title: 'Later still' }, sam());
    const [third] = laterMeetings(doc, 1, T0);
    aimAtLaterMeeting(doc, { itemId: other, meeting: third! }, sam());
    expect(titles(agendaFor(doc, null))).toEqual(['Mid-year review']);
    targetItem(doc, { itemId: other, meetingId: null }, sam());
    expect(titles(agendaFor(doc, null))).toEqual(['Mid-year review', 'Later still']);
    expect(() => targetItem(doc, { itemId: other, meetingId: listMeetings(doc)[0]!.id }, sam())).toThrow(/still to come/);
  });
});

describe('next steps', () => {
  test("a next step's text can be edited after it is made; both people's edits at once both survive", () => {
    const doc = newSeries();
    const step = addNextStep(doc, { meetingId: meetingId(doc), text: 'Draft the case', ownerId: 'sam' }, dana());
    const peer = replicaOf(doc);
    editNextStepText(doc, { stepId: step, value: 'Draft the promotion case' }, dana(1));
    editNextStepText(peer, { stepId: step, value: 'Draft the case by Friday' }, sam(1));
    exchange(doc, peer);
    expect(listNextSteps(doc)[0]!.text).toBe('Draft the promotion case by Friday');
    expect(() => editNextStepText(doc, { stepId: step, value: ' ' }, dana())).toThrow(/few words/);
  });
});
