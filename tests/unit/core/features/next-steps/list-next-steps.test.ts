import { expect, test } from 'vitest';
import { addNextStep, currentMeeting, setNextStepDone } from '../../../../../src/shared/domain/meetings.js';
import { openCore } from '../../../helpers/core.js';

test('lists the open next steps of every 1:1, mine and theirs, soonest due first; done ones are left out', async () => {
  const { core, api } = await openCore();
  const me = (await api.getProfile())!.id;
  const withSam = await api.createSeries({ kind: 'manager-report', myRole: 'manager', partnerName: 'Sam' });
  const withAlex = await api.createSeries({ kind: 'peer', partnerName: 'Alex' });
  const ctx = { now: new Date(), userId: me };
  core.docs.with(withSam.id, (doc) => {
    const meetingId = currentMeeting(doc)!.id;
    addNextStep(doc, { meetingId, text: 'Write the promotion case', ownerId: me, due: '2030-02-01' }, ctx);
    addNextStep(doc, { meetingId, text: 'Book the training', ownerId: 'sam-id' }, ctx);
    const done = addNextStep(doc, { meetingId, text: 'Already done', ownerId: me }, ctx);
    setNextStepDone(doc, { stepId: done, done: true }, ctx);
  });
  core.docs.with(withAlex.id, (doc) => {
    addNextStep(doc, { meetingId: currentMeeting(doc)!.id, text: 'Share the roadmap', due: '2030-01-15' }, ctx);
  });

  const steps = await api.listNextSteps();
  expect(steps.map((s) => [s.text, s.partnerName, s.mine, s.due])).toEqual([
    ['Share the roadmap', 'Alex', null, '2030-01-15'],
    ['Write the promotion case', 'Sam', true, '2030-02-01'],
    ['Book the training', 'Sam', false, null],
  ]);
  await core.close();
});
