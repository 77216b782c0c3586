import { describe, expect, test } from 'vitest';
import { meetingsByMonth, purposesByMonth, followThroughByMonth, authorshipByMeeting } from '../../../../src/shared/insights/charts.js';
import { assessHealth, nudgeFlag, nudgeLine } from '../../../../src/shared/insights/flags.js';
import { suggestedQuestion } from '../../../../src/shared/insights/suggestions.js';
import type { HealthHistory, ItemRecord, MeetingRecord, StepRecord } from '../../../../src/shared/insights/history.js';
import {
  authorship,
  cancellations,
  followThrough,
  ghostMeetings,
  healthSignals,
  preparation,
  purposes,
  reverseBriefing,
} from '../../../../src/shared/insights/signals.js';

const DAY = 86_400_000;
/** Now, for every history here: a Monday. */
const NOW = new Date('2030-07-01T12:00:00.000Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY).toISOString();

function meeting(id: string, at: string, status: MeetingRecord['status'] = 'held', extra: Partial<MeetingRecord> = {}): MeetingRecord {
  const started = status === 'held' ? at : null;
  return { id, scheduledFor: at, status, startedAt: started, endedAt: started, notesBy: {}, hasNotes: false, ...extra };
}

function item(id: string, meetingId: string | null, extra: Partial<ItemRecord> = {}): ItemRecord {
  return {
    id,
    meetingId,
    purpose: null,
    state: meetingId ? 'discussed' : 'open',
    authorId: 'dana',
    createdAt: '2029-01-01T00:00:00.000Z',
    discussedAt: null,
    carriedFrom: null,
    carriedCount: 0,
    hasContext: true,
    contextAt: null,
    contextBy: null,
    async: false,
    ...extra,
  };
}

function step(id: string, extra: Partial<StepRecord> = {}): StepRecord {
  return { id, ownerId: 'sam', due: null, done: false, doneAt: null, meetingId: null, ...extra };
}

/** Dana (manager) and Sam (report), weekly in UTC, started 2029-01-01. */
function history(extra: Partial<HealthHistory> = {}): HealthHistory {
  return {
    kind: 'manager-report',
    createdAt: '2029-01-01T00:00:00.000Z',
    timeZone: 'UTC',
    people: { dana: 'manager', sam: 'report' },
    meetings: [],
    items: [],
    steps: [],
    changes: [],
    ...extra,
  };
}

/** `n` weekly held meetings ending a week before NOW, then the next one scheduled. */
function weekly(n: number, status: MeetingRecord['status'] = 'held'): MeetingRecord[] {
  const past = Array.from({ length: n }, (_, k) => meeting(`m${k}`, daysAgo(7 * (n - k)), status));
  return [...past, meeting('next', daysAgo(-7), 'scheduled')];
}

describe('on a first meeting', () => {
  const first = history({ createdAt: daysAgo(2), meetings: [meeting('first', daysAgo(-5), 'scheduled')] });

  test('no signal has anything to say and nothing is flagged', () => {
    const s = healthSignals(first, NOW);
    expect(s.ghosts.meetingIds).toEqual([]);
    expect(s.cancellations).toMatchObject({ currentRun: 0, canceledShare: null, moved: 0 });
    expect(s.authorship).toMatchObject({ itemShare: null, notesShare: null, items: 0 });
    expect(s.reverseBriefing.statusShare).toBeNull();
    expect(s.purposes.careerNeglected).toBe(false);
    expect(s.followThrough).toEqual({ due: 0, doneOnTime: 0, onTimeShare: null, overdue: 0, stuckItems: 0 });
    expect(s.preparation.preparedShare).toBeNull();
    expect(assessHealth(first, NOW).flags).toEqual([]);
    expect(nudgeLine(first, NOW)).toBeNull();
  });
});

describe('ghost meetings', () => {
  test('a meeting that passed with no agenda, no notes and nobody starting it is a ghost; one with notes is not', () => {
    const h = history({
      meetings: [
        meeting('ghost', daysAgo(14), 'scheduled', { startedAt: null }),
        meeting('noted', daysAgo(7), 'scheduled', { hasNotes: true }),
        meeting('today', daysAgo(0.2), 'scheduled'),
      ],
    });
    expect(ghostMeetings(h, NOW).meetingIds).toEqual(['ghost']);
  });

  test('a meeting held with an empty agenda is a ghost; one whose items were carried on is not', () => {
    const h = history({
      meetings: [meeting('empty', daysAgo(14)), meeting('carried', daysAgo(7)), meeting('next', daysAgo(-7), 'scheduled')],
      items: [item('i1', null, { state: 'carried', carriedFrom: 'carried', carriedCount: 1 })],
    });
    expect(ghostMeetings(h, NOW)).toEqual({ meetingIds: ['empty'], recent: 1 });
    expect(assessHealth(h, NOW).flags.map((f) => f.id)).not.toContain('ghost-meeting');
    const withoutNext = { ...h, items: [] };
    expect(assessHealth(withoutNext, NOW).flags.map((f) => f.id)).toContain('ghost-meeting');
  });
});

describe('cancellation cascade', () => {
  test('when every meeting was cancelled, the run and the share say so and the flag is raised', () => {
    const h = history({ meetings: weekly(6, 'canceled') });
    expect(cancellations(h, NOW)).toMatchObject({ currentRun: 6, longestRecentRun: 6, canceledShare: 1, canceled: 6, held: 0 });
    expect(assessHealth(h, NOW).flags[0]).toMatchObject({ id: 'cancellation-cascade', headline: '6 meetings in a row were cancelled' });
  });

  test('one cancellation between held meetings is counted but not flagged; moves count apart', () => {
    const meetings = weekly(6);
    meetings[2] = { ...meetings[2]!, status: 'canceled' };
    const h = history({
      meetings,
      changes: [{ id: 'c1', meetingId: 'm4', kind: 'moved', at: daysAgo(10), from: daysAgo(14), to: daysAgo(13) }],
    });
    const c = cancellations(h, NOW);
    expect(c).toMatchObject({ currentRun: 0, longestRecentRun: 1, canceled: 1, held: 5, moved: 1 });
    expect(c.canceledShare).toBeCloseTo(1 / 6);
    expect(assessHealth(h, NOW).flags.map((f) => f.id)).not.toContain('cancellation-cascade');
  });

  test('a run of two that ended long before the window is not flagged', () => {
    const meetings = [meeting('a', daysAgo(200), 'canceled'), meeting('b', daysAgo(193), 'canceled'), ...weekly(4)];
    expect(cancellations(history({ meetings }), NOW).longestRecentRun).toBe(0);
  });
});

describe('a meeting moved across a month end', () => {
  const h = history({
    meetings: [meeting('moved', '2030-02-01T09:00:00.000Z', 'held')],
    changes: [
      {
        id: 'c',
        meetingId: 'moved',
        kind: 'moved',
        at: '2030-01-25T08:00:00.000Z',
        from: '2030-01-31T10:00:00.000Z',
        to: '2030-02-01T09:00:00.000Z',
      },
    ],
  });

  test('counts one move in the month it left and one held meeting in the month it was held', () => {
    const months = meetingsByMonth(h, NOW);
    expect(months.find((m) => m.month === '2030-01')).toEqual({ month: '2030-01', held: 0, moved: 1, canceled: 0 });
    expect(months.find((m) => m.month === '2030-02')).toEqual({ month: '2030-02', held: 1, moved: 0, canceled: 0 });
    expect(months.reduce((n, m) => n + m.held, 0)).toBe(1);
  });

  test('months are those of the 1:1’s time zone', () => {
    const la = meetingsByMonth({ ...h, timeZone: 'America/Los_Angeles' }, NOW);
    // 09:00 UTC on 1 February is 1 a.m. that day in Los Angeles; 10:00 UTC on 31 January is still January.
    expect(la.find((m) => m.month === '2030-02')!.held).toBe(1);
    const tokyo = meetingsByMonth(
      { ...h, meetings: [meeting('late', '2030-01-31T20:00:00.000Z')], changes: [], timeZone: 'Asia/Tokyo' },
      NOW,
    );
    expect(tokyo.find((m) => m.month === '2030-02')!.held).toBe(1);
  });

  test('is neither a cancellation nor a ghost', () => {
    const withItem = { ...h, items: [item('i', 'moved')] };
    expect(cancellations(withItem, NOW).canceled).toBe(0);
    expect(ghostMeetings(withItem, NOW).meetingIds).toEqual([]);
  });
});

describe('manager monologue', () => {
  const meetings = weekly(6);
  const held = meetings.slice(1, 6);

  test('a pair who write equally shares half and half, and nothing is flagged', () => {
    const items = held.flatMap((m) => [item(`${m.id}d`, m.id), item(`${m.id}s`, m.id, { authorId: 'sam' })]);
    const notes = meetings.map((m) => ({ ...m, notesBy: { dana: 120, sam: 120 }, hasNotes: true }));
    const h = history({ meetings: notes, items });
    expect(authorship(h, NOW)).toMatchObject({ applicable: true, managerId: 'dana', itemShare: 0.5, notesShare: 0.5, items: 10 });
    expect(assessHealth(h, NOW).flags.map((f) => f.id)).not.toContain('manager-monologue');
  });

  test('a manager writing most of the last five agendas is flagged; older meetings do not count', () => {
    const items = [
      ...held.flatMap((m) => [
        item(`${m.id}a`, m.id),
        item(`${m.id}b`, m.id),
        item(`${m.id}c`, m.id),
        item(`${m.id}s`, m.id, { authorId: 'sam' }),
      ]),
      ...Array.from({ length: 20 }, (_, k) => item(`old${k}`, 'm0', { authorId: 'sam' })),
    ];
    const h = history({ meetings, items });
    expect(authorship(h, NOW).itemShare).toBe(0.75);
    expect(assessHealth(h, NOW).flags.find((f) => f.id === 'manager-monologue')?.headline).toBe(
      'The manager wrote 75 % of the recent agenda',
    );
  });

  test('the notes alone can show a monologue', () => {
    const h = history({ meetings: meetings.map((m) => ({ ...m, notesBy: { dana: 900, sam: 100 } })) });
    expect(authorship(h, NOW).notesShare).toBe(0.9);
    expect(assessHealth(h, NOW).flags.map((f) => f.id)).toContain('manager-monologue');
  });

  test('with one participant only, the share is shown but never flagged', () => {
    const items = held.flatMap((m) => [item(`${m.id}a`, m.id), item(`${m.id}b`, m.id)]);
    const h = history({ people: { dana: 'manager' }, meetings, items });
    expect(authorship(h, NOW)).toMatchObject({ applicable: false, itemShare: 1 });
    expect(assessHealth(h, NOW).flags.map((f) => f.id)).not.toContain('manager-monologue');
  });

  test('a peer 1:1 has no manager to monologue', () => {
    const h = history({ kind: 'peer', people: { dana: 'peer', sam: 'peer' }, meetings, items: held.map((m) => item(m.id + 'x', m.id)) });
    expect(authorship(h, NOW)).toMatchObject({ applicable: false, managerId: null, itemShare: null });
  });
});

describe('reverse briefing', () => {
  test('counts the status share of discussed items in the last held meetings and flags above half', () => {
    const meetings = weekly(5);
    const items = [
      item('s1', 'm0', { purpose: 'status' }),
      item('s2', 'm1', { purpose: 'status' }),
      item('s3', 'm2', { purpose: 'status' }),
      item('c1', 'm3', { purpose: 'coaching' }),
      item('open', 'm4', { purpose: 'status', state: 'dropped' }),
    ];
    const h = history({ meetings, items });
    expect(reverseBriefing(h, NOW)).toEqual({ statusShare: 0.75, discussed: 4, status: 3 });
    expect(assessHealth(h, NOW).flags.map((f) => f.id)).toContain('reverse-briefing');
    const half = { ...h, items: [...items, item('c2', 'm4', { purpose: 'career' })] };
    expect(reverseBriefing(half, NOW).statusShare).toBeCloseTo(0.6);
    const balanced = { ...h, items: [...items, item('c2', 'm4'), item('c3', 'm4')] };
    expect(reverseBriefing(balanced, NOW).statusShare).toBe(0.5);
    expect(assessHealth(balanced, NOW).flags.map((f) => f.id)).not.toContain('reverse-briefing');
  });
});

describe('purposes neglected', () => {
  test('days since each purpose was last discussed; career over 90 days is flagged with the months in words', () => {
    const meetings = weekly(30);
    const h = history({
      meetings,
      items: [
        item('career', 'm0', { purpose: 'career', discussedAt: daysAgo(122) }),
        item('feedback', 'm28', { purpose: 'feedback' }),
        item('career-open', null, { purpose: 'career', state: 'dropped' }),
        ...meetings.slice(1, -1).map((m) => item(`${m.id}-topic`, m.id)),
      ],
    });
    const p = purposes(h, NOW);
    expect(p.byPurpose.career.days).toBe(122);
    expect(p.byPurpose.feedback.days).toBe(14);
    expect(p.byPurpose.coaching).toEqual({ lastDiscussedAt: null, days: null });
    expect(p.careerNeglected).toBe(true);
    const flag = assessHealth(h, NOW).flags.find((f) => f.id === 'career-neglected')!;
    expect(flag.headline).toBe('No career conversation in 4 months');
    expect(nudgeLine(h, NOW)).toBe('No career conversation in 4 months — add a question?');
  });

  test('a 1:1 younger than 90 days is not neglecting career; an older one that never talked career is', () => {
    expect(purposes(history({ createdAt: daysAgo(60), meetings: weekly(8) }), NOW).careerNeglected).toBe(false);
    const old = history({ createdAt: daysAgo(200), meetings: weekly(8) });
    expect(purposes(old, NOW)).toMatchObject({ careerNeglected: true, careerDays: 200 });
    expect(assessHealth(old, NOW).flags.find((f) => f.id === 'career-neglected')?.headline).toBe(
      'No career conversation since this 1:1 began',
    );
  });

  test('a career item waiting on the next agenda clears the flag: the pair has acted on it', () => {
    const h = history({ createdAt: daysAgo(200), meetings: weekly(8) });
    const planned = { ...h, items: [item('q', null, { purpose: 'career' })] };
    expect(purposes(planned, NOW).careerNeglected).toBe(true);
    expect(assessHealth(planned, NOW).flags.map((f) => f.id)).not.toContain('career-neglected');
  });
});

describe('follow-through', () => {
  test('next steps done by their due date, overdue ones and items carried three times or more', () => {
    const h = history({
      meetings: weekly(4),
      steps: [
        step('on-time', { due: '2030-06-20', done: true, doneAt: '2030-06-20T22:00:00.000Z' }),
        step('late', { due: '2030-06-10', done: true, doneAt: '2030-06-12T09:00:00.000Z' }),
        step('overdue', { due: '2030-06-30' }),
        step('overdue2', { due: '2030-05-01' }),
        step('due-today', { due: '2030-07-01' }),
        step('no-date', {}),
      ],
      items: [
        item('stuck', null, { state: 'carried', carriedCount: 3 }),
        item('moving', null, { state: 'carried', carriedCount: 2 }),
        item('done', 'm1', { carriedCount: 5 }),
      ],
    });
    expect(followThrough(h, NOW)).toEqual({ due: 4, doneOnTime: 1, onTimeShare: 0.25, overdue: 2, stuckItems: 1 });
    const ids = assessHealth(h, NOW).flags.map((f) => f.id);
    expect(ids).toContain('follow-through');
    expect(ids).toContain('stuck-items');
    expect(followThroughByMonth(h, NOW).find((m) => m.month === '2030-06')).toEqual({ month: '2030-06', onTime: 1, late: 1, overdue: 1 });
  });

  test('"on time" is judged on the date in the 1:1’s time zone', () => {
    const done = step('s', { due: '2030-06-20', done: true, doneAt: '2030-06-21T02:00:00.000Z' });
    expect(followThrough(history({ steps: [done] }), NOW).doneOnTime).toBe(0);
    expect(followThrough(history({ steps: [done], timeZone: 'America/New_York' }), NOW).doneOnTime).toBe(1);
  });
});

describe('preparation', () => {
  const start = daysAgo(7);
  const minutesAfterStart = (n: number) => new Date(Date.parse(start) + n * 60_000).toISOString();

  test('an item is prepared when the context it holds was begun before the meeting started, credited to who began it', () => {
    const h = history({
      meetings: [meeting('m', start), meeting('next', daysAgo(-7), 'scheduled')],
      items: [
        item('dana-early', 'm', { createdAt: daysAgo(9), contextAt: daysAgo(9), contextBy: 'dana' }),
        // Dana's item, Sam wrote its context the day before.
        item('sam-context', 'm', { createdAt: daysAgo(10), contextAt: daysAgo(8), contextBy: 'sam' }),
        item('no-context', 'm', { createdAt: daysAgo(8), hasContext: false }),
        // Added a week ahead, its context only typed in the meeting: not prepared.
        item('context-late', 'm', { createdAt: daysAgo(14), contextAt: minutesAfterStart(5), contextBy: 'dana' }),
      ],
    });
    expect(preparation(h, NOW)).toEqual({ items: 4, prepared: 2, preparedShare: 0.5, byAuthor: { dana: 1, sam: 1 }, estimated: 0 });
  });

  test('a meeting nobody started is judged on its time', () => {
    const h = history({
      meetings: [meeting('m', start, 'held', { startedAt: null, endedAt: null })],
      items: [
        item('before', 'm', { contextAt: new Date(Date.parse(start) - 1).toISOString(), contextBy: 'sam' }),
        item('after', 'm', { contextAt: minutesAfterStart(1), contextBy: 'sam' }),
      ],
    });
    expect(preparation(h, NOW)).toMatchObject({ items: 2, prepared: 1, byAuthor: { sam: 1 } });
  });

  test('items from before context was stamped are judged by when they were added, credited to their author, and counted as estimated', () => {
    const h = history({
      meetings: [meeting('m', start)],
      items: [
        item('old-early', 'm', { createdAt: daysAgo(9), authorId: 'sam' }),
        item('old-during', 'm', { createdAt: minutesAfterStart(1) }),
        item('old-blank', 'm', { createdAt: daysAgo(9), hasContext: false }),
        item('stamped', 'm', { createdAt: daysAgo(9), contextAt: daysAgo(9), contextBy: 'dana' }),
      ],
    });
    expect(preparation(h, NOW)).toEqual({ items: 4, prepared: 2, preparedShare: 0.5, byAuthor: { sam: 1, dana: 1 }, estimated: 2 });
  });
});

describe('charts', () => {
  test('purposes per month and authorship per meeting', () => {
    const h = history({
      meetings: weekly(3),
      items: [item('a', 'm2', { purpose: 'career' }), item('b', 'm2', { authorId: 'sam' }), item('x', 'm2', { authorId: 'stranger' })],
    });
    const june = purposesByMonth(h, NOW).find((m) => m.month === '2030-06')!;
    expect(june.counts).toMatchObject({ career: 1, none: 2 });
    expect(authorshipByMeeting(h, NOW).at(-1)).toMatchObject({ meetingId: 'm2', items: { dana: 1, sam: 1 } });
    expect(meetingsByMonth(h, NOW)).toHaveLength(12);
  });
});

describe('nudges', () => {
  test('the heaviest flag not dismissed', () => {
    const h = history({ createdAt: daysAgo(200), meetings: weekly(6, 'canceled') });
    const report = assessHealth(h, NOW);
    expect(nudgeFlag(report)?.id).toBe('cancellation-cascade');
    expect(nudgeFlag(report, new Set(['cancellation-cascade']))?.id).toBe('career-neglected');
    expect(nudgeLine(h, NOW, new Set(['cancellation-cascade']))).toMatch(/ — add a question\?$/);
  });

  test('shown from the end of one meeting until the next one starts, never while a meeting is being held', () => {
    const past = weekly(6, 'canceled').slice(0, -1);
    const at = (next: MeetingRecord) => history({ createdAt: daysAgo(200), meetings: [...past, next] });
    const scheduled = meeting('next', daysAgo(-7), 'scheduled');
    const started = { ...scheduled, scheduledFor: daysAgo(0), startedAt: NOW.toISOString() };
    const ended = { ...started, status: 'held' as const, endedAt: NOW.toISOString() };
    expect(nudgeLine(at(scheduled), NOW)).toBe('6 meetings in a row were cancelled');
    const held = assessHealth(at(started), NOW);
    expect(held.preparing).toBe(false);
    // The flags stand (the panel and the overview show them); only the nudge waits.
    expect(held.flags[0]?.id).toBe('cancellation-cascade');
    expect(nudgeFlag(held)).toBeNull();
    expect(nudgeLine(at(started), NOW)).toBeNull();
    expect(nudgeLine(at(ended), NOW)).not.toBeNull();
  });
});

describe('suggested questions', () => {
  test('every flag that suggests a purpose has a question of that purpose, the same for both people', () => {
    const h = history({ createdAt: daysAgo(200), meetings: weekly(6, 'canceled') });
    for (const flag of assessHealth(h, NOW).flags) {
      if (!flag.suggest) continue;
      const question = suggestedQuestion(flag.suggest, `series:${flag.id}`);
      expect(question?.purpose).toBe(flag.suggest);
      expect(suggestedQuestion(flag.suggest, `series:${flag.id}`)).toEqual(question);
    }
    for (const purpose of ['career', 'coaching', 'connection'] as const) expect(suggestedQuestion(purpose, 'x')?.purpose).toBe(purpose);
  });
});
