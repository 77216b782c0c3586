import { expect, test } from 'vitest';
import type { ReminderNotice, TandemEvent } from '../../../../src/shared/api.js';
import { addNextStep, endMeeting, startMeeting } from '../../../../src/shared/domain/meetings.js';
import { moveMeeting, skipMeeting } from '../../../../src/shared/domain/series-commands.js';
import { nextMeeting } from '../../../../src/shared/domain/series-doc.js';
import { WEEKLY } from '../../helpers/cadence.js';
import { openCore } from '../../helpers/core.js';

/** A clock the test moves, as sleep, wake and a changed system clock would. */
function movableClock(iso: string) {
  let now = new Date(iso);
  return { clock: () => now, set: (next: string) => (now = new Date(next)) };
}

const titles = (notices: ReminderNotice[]) => notices.map((n) => `${n.title} — ${n.body}`);

test('reminds once before a meeting with its agenda, delivers it as an event, and not again after a restart or a clock set back', async () => {
  const time = movableClock('2030-01-07T09:00:00.000Z');
  const { core, api, dataDir } = await openCore({ clock: time.clock });
  const sam = await api.createSeries({ kind: 'manager-report', myRole: 'manager', partnerName: 'Sam', cadence: WEEKLY });
  await api.quickAdd({ line: 'promotion timeline #career', seriesId: sam.id });
  await api.addAgendaItem({ seriesId: sam.id, title: 'On-call rota', context: 'Two people left the rota' });
  const events: TandemEvent[] = [];
  api.onEvent((e) => events.push(e));

  expect(await core.checkReminders()).toEqual([]);
  time.set('2030-01-07T09:50:00.000Z');
  const shown = await core.checkReminders();
  expect(titles(shown)).toEqual(['1:1 with Sam in 10 min — 2 items, 1 without context']);
  expect(shown[0]).toMatchObject({ kind: 'before-meeting', seriesId: sam.id });
  expect(events.filter((e) => e.type === 'reminder')).toEqual([{ type: 'reminder', reminder: shown[0] }]);
  time.set('2030-01-07T09:52:00.000Z');
  expect(await core.checkReminders()).toEqual([]);
  await core.close();

  const again = await openCore({ dataDir, clock: time.clock });
  expect(await again.core.checkReminders()).toEqual([]);
  time.set('2030-01-07T09:51:00.000Z');
  expect(await again.core.checkReminders()).toEqual([]);
  await again.core.close();
});

test('a meeting moved after its reminder is reminded again before its new time; switched off for the 1:1, it is not', async () => {
  const time = movableClock('2030-01-07T09:55:00.000Z');
  const { core, api } = await openCore({ clock: time.clock });
  const me = (await api.getProfile())!;
  const sam = await api.createSeries({ kind: 'manager-report', myRole: 'manager', partnerName: 'Sam', cadence: WEEKLY });
  expect(titles(await core.checkReminders())).toEqual(['1:1 with Sam in 5 min — nothing on the agenda yet']);
  core.docs.with(sam.id, (doc) =>
    moveMeeting(
      doc,
      { meetingId: nextMeeting(doc)!.id, to: '2030-01-07T14:00:00.000Z', reason: 'Clash' },
      { now: time.clock(), userId: me.id },
    ),
  );
  time.set('2030-01-07T13:45:00.000Z');
  expect(await core.checkReminders()).toEqual([]);
  time.set('2030-01-07T13:53:00.000Z');
  expect(titles(await core.checkReminders())).toEqual(['1:1 with Sam in 7 min — nothing on the agenda yet']);

  const moveTo = (to: string) =>
    core.docs.with(sam.id, (doc) =>
      moveMeeting(doc, { meetingId: nextMeeting(doc)!.id, to, reason: 'Clash' }, { now: time.clock(), userId: me.id }),
    );
  expect((await api.setSeriesReminders({ seriesId: sam.id, on: false })).remindersOff).toEqual([sam.id]);
  moveTo('2030-01-07T16:00:00.000Z');
  time.set('2030-01-07T15:55:00.000Z');
  expect(await core.checkReminders()).toEqual([]);
  expect((await api.setSeriesReminders({ seriesId: sam.id, on: true })).remindersOff).toEqual([]);
  moveTo('2030-01-07T18:00:00.000Z');
  time.set('2030-01-07T17:55:00.000Z');
  expect(titles(await core.checkReminders())).toEqual(['1:1 with Sam in 5 min — nothing on the agenda yet']);
  await core.close();
});

test('nudges once, a while after a meeting ends, when its next steps lack an owner or a due date', async () => {
  const time = movableClock('2030-01-07T10:00:00.000Z');
  const { core, api } = await openCore({ clock: time.clock });
  const me = (await api.getProfile())!;
  const sam = await api.createSeries({ kind: 'manager-report', myRole: 'manager', partnerName: 'Sam', cadence: WEEKLY });
  core.docs.with(sam.id, (doc) => {
    const meetingId = nextMeeting(doc)!.id;
    const ctx = { now: time.clock(), userId: me.id };
    startMeeting(doc, { meetingId }, ctx);
    addNextStep(doc, { meetingId, text: 'Draft the promotion case', ownerId: me.id, due: '2030-01-20' }, ctx);
    addNextStep(doc, { meetingId, text: 'Book the training', ownerId: me.id }, ctx);
    endMeeting(doc, { meetingId }, { now: new Date('2030-01-07T10:30:00.000Z'), userId: me.id });
  });
  time.set('2030-01-07T10:40:00.000Z');
  expect(await core.checkReminders()).toEqual([]);
  time.set('2030-01-07T10:46:00.000Z');
  expect(titles(await core.checkReminders())).toEqual(['Next steps from your 1:1 with Sam — 1 next step has no owner or due date.']);
  time.set('2030-01-07T11:30:00.000Z');
  expect(await core.checkReminders()).toEqual([]);
  await core.close();
});

test("a meeting's reminder carries what its 1:1's health says needs attention", async () => {
  const time = movableClock('2030-01-06T09:00:00.000Z');
  const { core, api } = await openCore({ clock: time.clock });
  const me = (await api.getProfile())!;
  const sam = await api.createSeries({ kind: 'manager-report', myRole: 'manager', partnerName: 'Sam', cadence: WEEKLY });
  for (const day of ['2030-01-07T11:00:00.000Z', '2030-01-14T11:00:00.000Z']) {
    time.set(day);
    core.docs.with(sam.id, (doc) =>
      skipMeeting(doc, { meetingId: nextMeeting(doc)!.id, reason: 'Busy' }, { now: time.clock(), userId: me.id }),
    );
  }
  time.set('2030-01-21T09:55:00.000Z');
  expect(titles(await core.checkReminders())).toEqual([
    '1:1 with Sam in 5 min — nothing on the agenda yet\n2 meetings in a row were cancelled',
  ]);
  await core.close();
});
