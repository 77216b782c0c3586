import { expect, test } from 'vitest';
import { agendaFor, nextMeeting } from '../../../../../src/shared/domain/series-doc.js';
import { meetingAgenda } from '../../../../../src/shared/domain/meetings.js';
import { skipMeeting } from '../../../../../src/shared/domain/series-commands.js';
import { WEEKLY } from '../../../helpers/cadence.js';
import { openCore } from '../../../helpers/core.js';

const NOW = new Date('2030-01-02T09:00:00.000Z');

async function twoSeries() {
  const opened = await openCore({ clock: () => NOW });
  const { api } = opened;
  const sam = await api.createSeries({ kind: 'manager-report', myRole: 'manager', partnerName: 'Sam Lee', cadence: WEEKLY });
  const samira = await api.createSeries({ kind: 'peer', partnerName: 'Samira Okafor', cadence: WEEKLY });
  return { ...opened, sam, samira };
}

test('a line with @name, purpose and !async lands on the next meeting of the 1:1 the name matches best', async () => {
  const { core, api, sam } = await twoSeries();
  const result = await api.quickAdd({ line: '@sam promotion timeline #career !async' });
  expect(result).toMatchObject({ seriesId: sam.id, partnerName: 'Sam Lee', meetingAt: '2030-01-07T10:00:00.000Z' });
  const items = core.docs.with(sam.id, (doc) => agendaFor(doc, null));
  expect(items.map((i) => [i.id, i.title, i.purpose, i.async])).toEqual([[result.itemId, 'promotion timeline', 'career', true]]);
  await core.close();
});

test('without @name the line goes to the 1:1 last used; the chosen 1:1 wins over @name; both orders are offered', async () => {
  const { core, api, sam, samira } = await twoSeries();
  await api.quickAdd({ line: 'first', seriesId: samira.id });
  expect((await api.quickAdd({ line: 'second' })).seriesId).toBe(samira.id);
  expect((await api.quickAdd({ line: '@sam third', seriesId: samira.id })).seriesId).toBe(samira.id);
  expect((await api.quickAddChoices()).map((c) => c.id)).toEqual([samira.id, sam.id]);
  await api.quickAdd({ line: '@lee fourth' });
  expect((await api.quickAddChoices()).map((c) => c.id)).toEqual([sam.id, samira.id]);
  expect((await api.quickAdd({ line: 'fifth' })).seriesId).toBe(sam.id);
  await core.close();
});

test('>> puts the item on the meeting after next, where it shows once that meeting is the next one', async () => {
  const { core, api, sam } = await twoSeries();
  const result = await api.quickAdd({ line: '@sam quarterly goals >>' });
  expect(result.meetingAt).toBe('2030-01-14T10:00:00.000Z');
  const me = (await api.getProfile())!;
  core.docs.with(sam.id, (doc) => {
    expect(meetingAgenda(doc, nextMeeting(doc)!.id).map((i) => i.title)).toEqual([]);
    skipMeeting(doc, { meetingId: nextMeeting(doc)!.id, reason: 'Offsite' }, { now: NOW, userId: me.id });
    const following = nextMeeting(doc)!;
    expect(following.scheduledFor).toBe('2030-01-14T10:00:00.000Z');
    expect(meetingAgenda(doc, following.id).map((i) => i.title)).toEqual(['quarterly goals']);
  });
  await core.close();
});

test('a bad line, an unknown name and a missing 1:1 are refused with a sentence and add nothing', async () => {
  const { core, api, sam } = await twoSeries();
  await expect(api.quickAdd({ line: '@sam #carrer talk' })).rejects.toThrow(/#carrer is not a purpose: did you mean #career\?/);
  await expect(api.quickAdd({ line: '@xq talk' })).rejects.toThrow('No 1:1 matches @xq: check the name, or pick the 1:1 from the list.');
  await expect(api.quickAdd({ line: 'talk', seriesId: crypto.randomUUID() })).rejects.toThrow(
    'That 1:1 is not on this device or has ended.',
  );
  expect(core.docs.with(sam.id, (doc) => agendaFor(doc, null))).toEqual([]);
  await core.close();
});

test('an item quick-added is on disk when the answer comes: a core reopened on the same files has it', async () => {
  const { core, api, dataDir, sam } = await twoSeries();
  const { itemId } = await api.quickAdd({ line: '@sam raise the on-call rota #fyi' });
  await core.close();
  const again = await openCore({ dataDir, clock: () => NOW });
  expect(again.core.docs.with(sam.id, (doc) => agendaFor(doc, null).map((i) => [i.id, i.purpose]))).toEqual([[itemId, 'status']]);
  await again.core.close();
});
