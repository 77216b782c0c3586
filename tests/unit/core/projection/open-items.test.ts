import { expect, test } from 'vitest';
import type * as Y from 'yjs';
import { addAgendaItem, addMeeting, setItemState } from '../../../../src/shared/domain/commands.js';
import { agendaMap, isOpenItem, meetingsMap } from '../../../../src/shared/domain/series-doc.js';
import type { AgendaState } from '../../../../src/shared/schemas.js';
import { openCore } from '../../helpers/core.js';

test('items still waiting to be discussed are the open and carried ones; discussed and dropped are closed', () => {
  expect((['open', 'carried', 'discussed', 'dropped'] as const).filter((state) => isOpenItem({ state }))).toEqual(['open', 'carried']);
});

test("the list's open item count is the next meeting's items still waiting (open or carried), not history's", async () => {
  const { core, api } = await openCore();
  const s = await api.createSeries({ partnerName: 'Ada', kind: 'peer', firstMeetingAt: '2030-01-07T10:00:00Z' });
  const ctx = { now: new Date(), userId: 'me' };
  const add = (doc: Y.Doc, title: string, meetingId: string | null = null) => addAgendaItem(doc, { title, meetingId }, ctx);
  const set = (doc: Y.Doc, itemId: string, state: AgendaState) => setItemState(doc, { itemId, state }, ctx);
  core.docs.with(s.id, (doc) => {
    // A held meeting with one item discussed, one dropped and one left open; another carried from it into the next meeting.
    const held = addMeeting(doc, { scheduledFor: '2029-12-31T10:00:00.000Z' }, ctx);
    (meetingsMap(doc).get(held) as Y.Map<unknown>).set('status', 'held');
    set(doc, add(doc, 'Roadmap', held), 'discussed');
    set(doc, add(doc, 'Offsite', held), 'dropped');
    add(doc, 'Old open', held);
    const carried = agendaMap(doc).get(add(doc, 'Career plan')) as Y.Map<unknown>;
    doc.transact(() => {
      carried.set('state', 'carried');
      carried.set('carriedCount', 1);
    });
    // The next meeting: two waiting, one already discussed early, one dropped.
    add(doc, 'Hiring');
    add(doc, 'Feedback');
    set(doc, add(doc, 'Done early'), 'discussed');
    set(doc, add(doc, 'Not needed'), 'dropped');
  });
  expect((await api.listSeries()).find((x) => x.id === s.id)!.openItemCount).toBe(3);
  await core.close();
});
