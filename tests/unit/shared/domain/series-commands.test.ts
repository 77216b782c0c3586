import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { addAgendaItem, type CommandContext } from '../../../../src/shared/domain/commands.js';
import {
  addAdHocMeeting,
  changesOf,
  moveMeeting,
  planNextMeeting,
  setCadence,
  setSeriesState,
  skipMeeting,
} from '../../../../src/shared/domain/series-commands.js';
import { agendaFor, listAgenda, listMeetings, meetingsMap, nextMeeting, readMeta } from '../../../../src/shared/domain/series-doc.js';
import type { Cadence } from '../../../../src/shared/schemas.js';
import { WEEKLY } from '../../helpers/cadence.js';
import { exchange, replicaOf, seedSeries } from '../../helpers/series-doc.js';

const AT = (iso: string, userId = 'me'): CommandContext => ({ now: new Date(iso), userId });
const START = AT('2030-01-01T00:00:00.000Z');

const newSeries = (): Y.Doc => seedSeries(new Y.Doc(), 'peer', START);

/** What ending a meeting does to its status (the meeting-mode commands own the rest). */
function markHeld(doc: Y.Doc, meetingId: string): void {
  (meetingsMap(doc).get(meetingId) as Y.Map<unknown>).set('status', 'held');
}

const dates = (doc: Y.Doc) => listMeetings(doc).map((m) => `${m.scheduledFor.slice(0, 16)} ${m.status}`);

describe('the next meeting always exists', () => {
  test('holding or skipping the scheduled meeting plans the cadence’s next date; paused plans none', () => {
    const doc = newSeries();
    const first = nextMeeting(doc)!;
    markHeld(doc, first.id);
    planNextMeeting(doc, {}, AT('2030-01-07T10:30:00.000Z'));
    expect(nextMeeting(doc)?.scheduledFor).toBe('2030-01-14T10:00:00.000Z');
    skipMeeting(doc, { meetingId: nextMeeting(doc)!.id, reason: 'Sick' }, AT('2030-01-10T08:00:00.000Z'));
    expect(dates(doc)).toEqual(['2030-01-07T10:00 held', '2030-01-14T10:00 canceled', '2030-01-21T10:00 scheduled']);

    setSeriesState(doc, { state: 'paused' }, AT('2030-01-15T00:00:00.000Z'));
    markHeld(doc, nextMeeting(doc)!.id);
    expect(planNextMeeting(doc, {}, AT('2030-01-21T11:00:00.000Z'))).toBeNull();
    setSeriesState(doc, { state: 'active' }, AT('2030-02-02T00:00:00.000Z'));
    // Resumed weeks later: the next date after now, not the ones missed while paused.
    expect(nextMeeting(doc)?.scheduledFor).toBe('2030-02-04T10:00:00.000Z');
  });

  test('an ad hoc meeting planned weeks ahead never takes the place of the regular meetings before it', () => {
    const doc = newSeries();
    addAdHocMeeting(doc, { scheduledFor: '2030-01-30T16:00:00.000Z' }, START);
    markHeld(doc, nextMeeting(doc)!.id);
    planNextMeeting(doc, {}, AT('2030-01-07T10:30:00.000Z'));
    expect(dates(doc)).toEqual(['2030-01-07T10:00 held', '2030-01-14T10:00 scheduled', '2030-01-30T16:00 scheduled']);
  });
});

describe('moving a meeting', () => {
  test('re-dates the same meeting with its agenda, records who, when and why, and planning goes on from its slot', () => {
    const doc = newSeries();
    const meeting = nextMeeting(doc)!;
    addAgendaItem(doc, { title: 'Promotion' }, START);
    addAgendaItem(doc, { title: 'Offsite', meetingId: meeting.id }, START);
    moveMeeting(
      doc,
      { meetingId: meeting.id, to: '2030-01-06T15:00:00.000Z', reason: 'Travelling on Monday' },
      AT('2030-01-03T09:00:00Z', 'sam'),
    );

    expect(nextMeeting(doc)).toMatchObject({ id: meeting.id, scheduledFor: '2030-01-06T15:00:00.000Z', status: 'scheduled' });
    expect(agendaFor(doc, null).map((i) => i.title)).toEqual(['Promotion']);
    expect(agendaFor(doc, meeting.id).map((i) => i.title)).toEqual(['Offsite']);
    expect(changesOf(doc, meeting.id)).toMatchObject([
      {
        kind: 'moved',
        by: 'sam',
        at: '2030-01-03T09:00:00.000Z',
        reason: 'Travelling on Monday',
        from: '2030-01-07T10:00:00.000Z',
        to: '2030-01-06T15:00:00.000Z',
      },
    ]);

    markHeld(doc, meeting.id);
    planNextMeeting(doc, {}, AT('2030-01-06T16:00:00.000Z'));
    // Not Monday the 7th, the slot the moved meeting stood for.
    expect(nextMeeting(doc)?.scheduledFor).toBe('2030-01-14T10:00:00.000Z');
  });

  test('only a meeting still to come can be moved or skipped', () => {
    const doc = newSeries();
    const meeting = nextMeeting(doc)!;
    markHeld(doc, meeting.id);
    expect(() => moveMeeting(doc, { meetingId: meeting.id, to: '2030-01-08T10:00:00Z', reason: '' }, START)).toThrow(/still to come/);
    expect(() => skipMeeting(doc, { meetingId: meeting.id, reason: '' }, START)).toThrow(/still to come/);
  });
});

describe('changing the cadence', () => {
  test('re-plans only future meetings planned from it, keeping their ids and items', () => {
    const doc = newSeries();
    const held = nextMeeting(doc)!;
    markHeld(doc, held.id);
    const next = planNextMeeting(doc, {}, AT('2030-01-07T11:00:00Z'))!;
    addAgendaItem(doc, { title: 'For the 14th', meetingId: next }, START);
    const adHoc = addAdHocMeeting(doc, { scheduledFor: '2030-01-09T16:00:00.000Z' }, START);

    const thursdays: Cadence = { ...WEEKLY, pattern: 'biweekly', weekday: 4, time: '14:30', startsOn: '2030-01-08' };
    setCadence(doc, { cadence: thursdays }, AT('2030-01-08T00:00:00Z'));

    expect(readMeta(doc).cadence).toEqual(thursdays);
    const byId = new Map(listMeetings(doc).map((m) => [m.id, m.scheduledFor]));
    expect(byId.get(held.id)).toBe('2030-01-07T10:00:00.000Z');
    expect(byId.get(adHoc)).toBe('2030-01-09T16:00:00.000Z');
    expect(byId.get(next)).toBe('2030-01-10T14:30:00.000Z');
    expect(agendaFor(doc, next).map((i) => i.title)).toEqual(['For the 14th']);
  });
});

describe('skipping a meeting', () => {
  test('carries its open items forward once each and plans the next meeting', () => {
    const doc = newSeries();
    const meeting = nextMeeting(doc)!;
    const open = addAgendaItem(doc, { title: 'Open' }, START);
    addAgendaItem(doc, { title: 'Targeted', meetingId: meeting.id }, START);
    skipMeeting(doc, { meetingId: meeting.id, reason: 'Public holiday' }, AT('2030-01-05T00:00:00Z'));
    skipMeeting(doc, { meetingId: meeting.id, reason: 'Again' }, AT('2030-01-05T00:00:01Z'));

    expect(
      listAgenda(doc)
        .map((i) => [i.title, i.meetingId, i.state, i.carriedCount])
        .sort(),
    ).toEqual([
      ['Open', null, 'carried', 1],
      ['Targeted', null, 'carried', 1],
    ]);
    expect(changesOf(doc, meeting.id)).toMatchObject([{ kind: 'canceled', reason: 'Public holiday', carried: 2 }]);
    expect(nextMeeting(doc)?.scheduledFor).toBe('2030-01-14T10:00:00.000Z');
    expect(listAgenda(doc).find((i) => i.id === open)?.carriedCount).toBe(1);
  });

  test('both people skipping the same meeting offline carry each item exactly once and plan one next meeting', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ carried: fc.nat(3), targeted: fc.boolean() }), { maxLength: 6 }), fc.nat(5), (items, bOnly) => {
        const a = newSeries();
        const meeting = nextMeeting(a)!;
        const ids = items.map((it, k) => {
          const id = addAgendaItem(a, { title: `item ${k}`, ...(it.targeted ? { meetingId: meeting.id } : {}) }, START);
          (a.getMap('agenda').get(id) as Y.Map<unknown>).set('carriedCount', it.carried);
          return id;
        });
        const b = replicaOf(a);
        // B adds items of its own while offline; only B's skip knows them.
        const mine = Array.from({ length: bOnly }, (_, k) => addAgendaItem(b, { title: `b ${k}` }, AT('2030-01-02T00:00:00Z', 'sam')));
        skipMeeting(a, { meetingId: meeting.id, reason: 'A is ill' }, AT('2030-01-05T00:00:00Z'));
        skipMeeting(b, { meetingId: meeting.id, reason: 'Clash' }, AT('2030-01-05T01:00:00Z', 'sam'));
        exchange(a, b);

        for (const doc of [a, b]) {
          const agenda = new Map(listAgenda(doc).map((i) => [i.id, i]));
          expect(agenda.size).toBe(items.length + bOnly);
          ids.forEach((id, k) =>
            expect(agenda.get(id)).toMatchObject({ carriedCount: items[k]!.carried + 1, state: 'carried', meetingId: null }),
          );
          mine.forEach((id) => expect(agenda.get(id)).toMatchObject({ carriedCount: 1, state: 'carried' }));
          expect(
            listMeetings(doc)
              .filter((m) => m.status === 'scheduled')
              .map((m) => m.scheduledFor),
          ).toEqual(['2030-01-14T10:00:00.000Z']);
        }
        expect(Y.encodeStateAsUpdate(a)).toEqual(Y.encodeStateAsUpdate(b));
      }),
      { numRuns: 30 },
    );
  });
});
