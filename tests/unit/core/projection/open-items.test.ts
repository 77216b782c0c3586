import { expect, test } from 'vitest';
import { addAgendaItem, addMeeting, agendaMap, isOpenItem, meetingsMap, setAgendaState } from '../../../../src/shared/domain/series-doc.js';
import { openCore } from '../../helpers/core.js';

test('items still waiting to be discussed are the open and carried ones; discussed and dropped are closed', () => {
  expect((['open', 'carried', 'discussed', 'dropped'] as const).filter((state) => isOpenItem({ state }))).toEqual(['open', 'carried']);
});

test("the list's open item count is the next meeting's items still waiting (open or carried), not history's", async () => {
  const { core, api } = await openCore();
  const s = await api.createSeries({ partnerName: 'Ada', kind: 'peer', firstMeetingAt: '2030-01-07T10:00:00Z' });
  core.docs.with(s.id, (doc) => {
    // A held meeting with one item discussed, one dropped and one left open; another carried from it into the next meeting.
    const held = addMeeting(doc, '2029-12-31T10:00:00.000Z');
    meetingsMap(doc).get(held)!.set('status', 'held');
    const discussed = addAgendaItem(doc, { title: 'Roadmap', authorId: 'x', meetingId: held });
    setAgendaState(doc, discussed, 'discussed');
    const dropped = addAgendaItem(doc, { title: 'Offsite', authorId: 'x', meetingId: held });
    setAgendaState(doc, dropped, 'dropped');
    addAgendaItem(doc, { title: 'Old open', authorId: 'x', meetingId: held });
    const carried = addAgendaItem(doc, { title: 'Career plan', authorId: 'x' });
    doc.transact(() => {
      agendaMap(doc).get(carried)!.set('state', 'carried');
      agendaMap(doc).get(carried)!.set('carriedCount', 1);
    });
    // The next meeting: two waiting, one already discussed early, one dropped.
    addAgendaItem(doc, { title: 'Hiring', authorId: 'x' });
    addAgendaItem(doc, { title: 'Feedback', authorId: 'x' });
    setAgendaState(doc, addAgendaItem(doc, { title: 'Done early', authorId: 'x' }), 'discussed');
    setAgendaState(doc, addAgendaItem(doc, { title: 'Not needed', authorId: 'x' }), 'dropped');
  });
  expect((await api.listSeries()).find((x) => x.id === s.id)!.openItemCount).toBe(3);
  await core.close();
});
