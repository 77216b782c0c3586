import { expect, test } from 'vitest';
import { addMeeting } from '../../../../../src/shared/domain/commands.js';
import { setSeriesState, skipMeeting } from '../../../../../src/shared/domain/series-commands.js';
import { activeDismissals, dismiss, DISMISS_DAYS } from '../../../../../src/shared/insights/dismissals.js';
import { seriesNudgeLine } from '../../../../../src/core/features/insights/queries.js';
import { currentMeeting, endMeeting, startMeeting } from '../../../../../src/shared/domain/meetings.js';
import { openCore } from '../../../helpers/core.js';

const WEEK = 7 * 86_400_000;

test('the overview lists running 1:1s, the one needing attention first; a dismissed nudge moves on to the next flag', async () => {
  const { core, api } = await openCore();
  const calm = await api.createSeries({ partnerName: 'Alex', kind: 'peer' });
  const troubled = await api.createSeries({ partnerName: 'Zoe', kind: 'manager-report', myRole: 'manager' });
  core.docs.with(troubled.id, (doc) => {
    const ctx = { now: new Date(), userId: 'dana' };
    for (const weeks of [2, 1])
      skipMeeting(
        doc,
        { meetingId: addMeeting(doc, { scheduledFor: new Date(Date.now() - weeks * WEEK).toISOString() }, ctx), reason: '' },
        ctx,
      );
  });

  const overview = await api.listHealth();
  expect(overview.map((e) => e.partnerName)).toEqual(['Zoe', 'Alex']);
  expect(overview[0]).toMatchObject({
    nudge: 'cancellation-cascade',
    flags: [{ id: 'cancellation-cascade', headline: '2 meetings in a row were cancelled' }],
  });
  expect(overview[1]).toMatchObject({ seriesId: calm.id, flags: [], nudge: null, attention: 0 });
  expect(await seriesNudgeLine(core, troubled.id)).toBe('2 meetings in a row were cancelled');

  await api.dismissNudge({ seriesId: troubled.id, flag: 'cancellation-cascade' });
  expect(await api.dismissedNudges({ seriesId: troubled.id })).toEqual(['cancellation-cascade']);
  expect(await api.dismissedNudges({ seriesId: calm.id })).toEqual([]);
  expect((await api.listHealth())[0]).toMatchObject({ partnerName: 'Zoe', nudge: null });
  expect(await seriesNudgeLine(core, troubled.id)).toBeNull();

  // A change to the 1:1 shows in the next overview.
  core.docs.with(troubled.id, (doc) => {
    const ctx = { now: new Date(), userId: 'dana' };
    skipMeeting(
      doc,
      { meetingId: addMeeting(doc, { scheduledFor: new Date(Date.now() - 3 * 86_400_000).toISOString() }, ctx), reason: '' },
      ctx,
    );
  });
  expect((await api.listHealth())[0]!.flags[0]!.headline).toBe('3 meetings in a row were cancelled');
  await core.close();
});

test('dismissing an unknown flag is refused with a clear error and changes nothing', async () => {
  const { core, api } = await openCore();
  const s = await api.createSeries({ partnerName: 'Alex', kind: 'peer' });
  await expect(api.dismissNudge({ seriesId: s.id, flag: 'bogus' as never })).rejects.toMatchObject({ code: 'invalid-input' });
  expect(await api.dismissedNudges({ seriesId: s.id })).toEqual([]);
  await core.close();
});

test('a dismissal holds for DISMISS_DAYS, per 1:1, and expired ones are dropped on the next write', () => {
  const t0 = new Date('2030-01-01T00:00:00.000Z');
  const later = (days: number) => new Date(t0.getTime() + days * 86_400_000);
  const one = dismiss({}, 'a', 'career-neglected', t0);
  expect([...activeDismissals(one, 'a', later(DISMISS_DAYS - 1))]).toEqual(['career-neglected']);
  expect([...activeDismissals(one, 'b', later(1))]).toEqual([]);
  expect([...activeDismissals(one, 'a', later(DISMISS_DAYS))]).toEqual([]);
  expect(dismiss(one, 'b', 'ghost-meeting', later(DISMISS_DAYS + 1))).toEqual({
    b: { 'ghost-meeting': later(2 * DISMISS_DAYS + 1).toISOString() },
  });
  expect([...activeDismissals({ a: { 'not-a-flag': later(99).toISOString() } }, 'a', t0)]).toEqual([]);
});

test('the health report exports one 1:1 or every running one, as Markdown or JSON, with names for the ids it holds', async () => {
  const { core, api } = await openCore();
  const zoe = await api.createSeries({ partnerName: 'Zoe', kind: 'manager-report', myRole: 'manager' });
  const alex = await api.createSeries({ partnerName: 'Alex', kind: 'peer' });
  const ended = await api.createSeries({ partnerName: 'Old', kind: 'peer' });
  core.docs.with(ended.id, (doc) => setSeriesState(doc, { state: 'ended' }, { now: new Date(), userId: core.currentProfile!.id }));
  core.docs.with(zoe.id, (doc) => {
    const ctx = { now: new Date(), userId: core.currentProfile!.id };
    for (const weeks of [2, 1])
      skipMeeting(
        doc,
        { meetingId: addMeeting(doc, { scheduledFor: new Date(Date.now() - weeks * WEEK).toISOString() }, ctx), reason: '' },
        ctx,
      );
  });

  const one = await api.exportHealth({ seriesId: zoe.id, format: 'markdown' });
  expect(one).toMatchObject({ fileName: expect.stringMatching(/^tandem-health-zoe-\d{4}-\d{2}-\d{2}\.md$/), mimeType: 'text/markdown' });
  expect(one.content).toContain('## Zoe');
  expect(one.content).toContain('- **2 meetings in a row were cancelled.** When the 1:1 keeps giving way');
  expect(one.content).not.toContain('## Alex');

  const all = await api.exportHealth({ format: 'json' });
  expect(all.mimeType).toBe('application/json');
  const body = JSON.parse(all.content) as {
    format: string;
    oneOnOnes: { seriesId: string; people: Record<string, { name: string }>; flags: { id: string }[]; signals: object }[];
  };
  expect(body.format).toBe('tandem-health-report');
  // The overview's order and scope: the one needing attention first, ended 1:1s left out.
  expect(body.oneOnOnes.map((e) => e.seriesId)).toEqual([zoe.id, alex.id]);
  expect(body.oneOnOnes[0]!.flags.map((f) => f.id)).toEqual(['cancellation-cascade']);
  expect(body.oneOnOnes[0]!.people[core.currentProfile!.id]!.name).toBe('Dana');
  expect(body.oneOnOnes[0]!.signals).toMatchObject({ cancellations: { canceled: 2, currentRun: 2 } });

  await expect(api.exportHealth({ format: 'pdf' as never })).rejects.toMatchObject({ code: 'invalid-input' });
  await expect(api.exportHealth({ seriesId: crypto.randomUUID(), format: 'json' })).rejects.toMatchObject({ code: 'not-found' });
  await core.close();
});

test('while a meeting is being held the reminder and the overview carry no nudge; once it ends, it is back', async () => {
  const { core, api } = await openCore();
  const s = await api.createSeries({ partnerName: 'Zoe', kind: 'manager-report', myRole: 'manager' });
  const ctx = () => ({ now: new Date(), userId: core.currentProfile!.id });
  const next = core.docs.with(s.id, (doc) => {
    for (const weeks of [2, 1])
      skipMeeting(
        doc,
        { meetingId: addMeeting(doc, { scheduledFor: new Date(Date.now() - weeks * WEEK).toISOString() }, ctx()), reason: '' },
        ctx(),
      );
    return currentMeeting(doc)!.id;
  });
  expect(await seriesNudgeLine(core, s.id)).toBe('2 meetings in a row were cancelled');

  core.docs.with(s.id, (doc) => startMeeting(doc, { meetingId: next }, ctx()));
  expect(await seriesNudgeLine(core, s.id)).toBeNull();
  expect((await api.listHealth())[0]).toMatchObject({ nudge: null, flags: [{ id: 'cancellation-cascade' }] });

  core.docs.with(s.id, (doc) => endMeeting(doc, { meetingId: next }, ctx()));
  expect(await seriesNudgeLine(core, s.id)).toBe('2 meetings in a row were cancelled');
  await core.close();
});
