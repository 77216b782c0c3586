import { afterEach, expect, test } from 'vitest';
import { renameSeries, setSeriesState } from '../../../../../src/shared/domain/series-commands.js';
import { nextMeeting, readMeta } from '../../../../../src/shared/domain/series-doc.js';
import type { Cadence } from '../../../../../src/shared/schemas.js';
import { openCore, type OpenedCore } from '../../../helpers/core.js';

let opened: OpenedCore | null = null;
afterEach(async () => {
  await opened?.core.close();
  opened = null;
});

test('a 1:1 created with a cadence and no first date first meets on the cadence’s first date', async () => {
  opened = await openCore();
  const { core, api } = opened;
  const cadence: Cadence = {
    pattern: 'monthly-nth-weekday',
    nth: 'last',
    weekday: 3,
    time: '16:30',
    lengthMinutes: 45,
    timeZone: 'America/New_York',
    startsOn: '2030-03-01',
  };
  const s = await api.createSeries({ partnerName: 'Ada', kind: 'peer', cadence });
  expect(s).toMatchObject({ cadence: 'monthly-nth-weekday', state: 'active', title: '', nextMeetingAt: '2030-03-27T20:30:00.000Z' });
  expect(core.docs.with(s.id, readMeta).cadence).toEqual(cadence);
});

test('without a cadence a 1:1 meets weekly on its first meeting’s weekday and time', async () => {
  opened = await openCore();
  const { core, api } = opened;
  const s = await api.createSeries({ partnerName: 'Ada', kind: 'peer', firstMeetingAt: '2030-01-09T09:15:00Z' });
  const meta = core.docs.with(s.id, readMeta);
  expect(meta.cadence).toMatchObject({ pattern: 'weekly', lengthMinutes: 30 });
  expect(core.docs.with(s.id, nextMeeting)?.scheduledFor).toBe('2030-01-09T09:15:00.000Z');
});

test('the list shows a renamed, paused or ended 1:1 as such', async () => {
  opened = await openCore();
  const { core, api } = opened;
  const profile = (await api.getProfile())!;
  const s = await api.createSeries({ partnerName: 'Ada', kind: 'peer', firstMeetingAt: '2030-01-09T09:15:00Z' });
  const ctx = { now: new Date(), userId: profile.id };
  core.docs.with(s.id, (doc) => renameSeries(doc, { title: 'Design sync' }, ctx));
  core.docs.with(s.id, (doc) => setSeriesState(doc, { state: 'paused' }, ctx));
  expect((await api.listSeries())[0]).toMatchObject({ title: 'Design sync', state: 'paused' });
  core.docs.with(s.id, (doc) => setSeriesState(doc, { state: 'ended' }, ctx));
  expect((await api.listSeries())[0]).toMatchObject({ state: 'ended' });
});
