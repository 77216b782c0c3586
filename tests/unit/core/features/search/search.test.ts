import { expect, test } from 'vitest';
import { setCheckInPrompt } from '../../../../../src/shared/domain/check-in-prompts.js';
import { addAgendaItem, editItemText } from '../../../../../src/shared/domain/commands.js';
import { addNextStep, currentMeeting, writeCheckIn } from '../../../../../src/shared/domain/meetings.js';
import { ensurePrivateNotes, privateDocId } from '../../../../../src/shared/domain/private-notes.js';
import { meetingNotes } from '../../../../../src/shared/domain/series-doc.js';
import type { SearchResult } from '../../../../../src/shared/api.js';
import { openCore } from '../../../helpers/core.js';
import { writeParagraph } from '../../../helpers/notes.js';

const hits = (parts: SearchResult['title']) => parts.filter((p) => p.hit).map((p) => p.text);
const whole = (parts: SearchResult['title']) => parts.map((p) => p.text).join('');

async function twoSeries() {
  const opened = await openCore();
  const { core, api } = opened;
  const me = (await api.getProfile())!.id;
  const ctx = { now: new Date(), userId: me };
  const sam = await api.createSeries({ kind: 'manager-report', myRole: 'manager', partnerName: 'Sam' });
  const alex = await api.createSeries({ kind: 'peer', partnerName: 'Alex' });
  const samMeeting = core.docs.with(sam.id, (doc) => currentMeeting(doc)!.id);
  return { ...opened, me, ctx, sam, alex, samMeeting };
}

test('ranks a word in a title above the same word deep in a long body, and marks the matched words in title and snippet', async () => {
  const { core, api, ctx, sam, alex } = await twoSeries();
  core.docs.with(sam.id, (doc) => {
    addAgendaItem(doc, { title: 'Quarterly roadmap review', purpose: 'status' }, ctx);
    const notes = meetingNotes(doc, currentMeeting(doc)!.id);
    writeParagraph(notes, `We talked about hiring, the offsite, budgets and travel, and somewhere in between the roadmap came up briefly.`);
  });
  core.docs.with(alex.id, (doc) => addAgendaItem(doc, { title: 'Lunch plans', context: 'Nothing about a roadmap, only food' }, ctx));

  const results = await api.search({ query: 'roadmap' });
  expect(results.map((r) => [r.seriesName, r.kind])).toEqual([
    ['Sam', 'item'],
    ['Alex', 'item'],
    ['Sam', 'notes'],
  ]);
  expect(hits(results[0]!.title)).toEqual(['roadmap']);
  expect(whole(results[0]!.title)).toBe('Quarterly roadmap review');
  expect(hits(results[2]!.snippet)).toEqual(['roadmap']);
  expect(whole(results[2]!.snippet)).toMatch(/between the roadmap came…$/);
  expect(results[0]!.purpose).toBe('status');
  await core.close();
});

test('finds check-ins, next steps and private notes, each pointing at its meeting; prefixes and accents match as typed', async () => {
  const { core, api, ctx, sam, samMeeting } = await twoSeries();
  core.docs.with(sam.id, (doc) => {
    setCheckInPrompt(doc, { meetingId: samMeeting, prompt: 'What gave you energy?' }, ctx);
    writeCheckIn(doc, { meetingId: samMeeting, value: 'The résumé workshop' }, ctx);
    addNextStep(doc, { meetingId: samMeeting, text: 'Send the workshop slides' }, ctx);
  });
  core.docs.create(privateDocId(sam.id), 'private');
  core.docs.release(privateDocId(sam.id));
  core.docs.with(privateDocId(sam.id), (doc) =>
    writeParagraph(ensurePrivateNotes(doc, { meetingId: samMeeting }, ctx), 'Ask about burnout gently'),
  );

  const byKind = async (query: string) => (await api.search({ query })).map((r) => [r.kind, r.meetingId]);
  expect(await byKind('resume')).toEqual([['check-in', samMeeting]]);
  expect(await byKind('worksh')).toEqual(
    expect.arrayContaining([
      ['check-in', samMeeting],
      ['step', samMeeting],
    ]),
  );
  expect(await byKind('burnout')).toEqual([['private', samMeeting]]);
  expect(whole((await api.search({ query: 'resume' }))[0]!.title)).toBe('What gave you energy?');
  await core.close();
});

test('filters by 1:1, purpose and date', async () => {
  const { core, api, ctx, sam, alex } = await twoSeries();
  core.docs.with(sam.id, (doc) => addAgendaItem(doc, { title: 'Promotion case', purpose: 'career' }, ctx));
  core.docs.with(alex.id, (doc) => addAgendaItem(doc, { title: 'Promotion rumours', purpose: 'clearing-the-air' }, ctx));
  const titles = async (input: Parameters<typeof api.search>[0]) => (await api.search(input)).map((r) => whole(r.title)).sort();

  expect(await titles({ query: 'promotion' })).toEqual(['Promotion case', 'Promotion rumours']);
  expect(await titles({ query: 'promotion', seriesId: alex.id })).toEqual(['Promotion rumours']);
  expect(await titles({ query: 'promotion', purpose: 'career' })).toEqual(['Promotion case']);
  const when = (await api.search({ query: 'promotion case' }))[0]!.at.slice(0, 10);
  expect(await titles({ query: 'promotion', from: when, to: when })).toEqual(['Promotion case', 'Promotion rumours']);
  expect(await titles({ query: 'promotion', from: '2999-01-01' })).toEqual([]);
  expect(await titles({ query: 'promotion', to: '2000-01-01' })).toEqual([]);
  await core.close();
});

test('follows edits and removals, and never reads a query as FTS syntax', async () => {
  const { core, api, ctx, sam } = await twoSeries();
  const id = core.docs.with(sam.id, (doc) => addAgendaItem(doc, { title: 'Conference budget' }, ctx));
  expect(await api.search({ query: 'budget' })).toHaveLength(1);
  core.docs.with(sam.id, (doc) => editItemText(doc, { itemId: id, field: 'title', value: 'Conference tickets' }, ctx));
  expect(await api.search({ query: 'budget' })).toEqual([]);
  expect(await api.search({ query: 'tickets' })).toHaveLength(1);
  for (const query of ['"', 'tickets NOT', 'AND OR', '*', 'title:tickets', '(', 'NEAR(']) await api.search({ query });
  expect(await api.search({ query: '  ' })).toEqual([]);
  await expect(api.search({ query: 'x'.repeat(201) })).rejects.toThrow(/at most 200 characters/);
  await core.close();
});

test('the index is rebuilt from the documents when its tables are lost', async () => {
  const { core, api, ctx, sam, dataDir } = await twoSeries();
  core.docs.with(sam.id, (doc) => addAgendaItem(doc, { title: 'Kept in the documents' }, ctx));
  await core.flushProjection();
  core.store.sqlite.exec('drop table search_fts; drop table search_entries');
  await core.close();
  const again = await openCore({ dataDir });
  expect((await again.api.search({ query: 'documents' })).map((r) => whole(r.title))).toEqual(['Kept in the documents']);
  await again.core.close();
  void api;
});
