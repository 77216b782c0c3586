import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { setCheckInPrompt } from '../../../../src/shared/domain/check-in-prompts.js';
import { addAgendaItem, setItemPurpose } from '../../../../src/shared/domain/commands.js';
import { escapeMarkdown, meetingFileName, meetingMarkdown, seriesFolderName } from '../../../../src/shared/domain/markdown.js';
import {
  addNextStep,
  currentMeeting,
  endMeeting,
  markDiscussed,
  setNextStepDone,
  startMeeting,
  writeCheckIn,
} from '../../../../src/shared/domain/meetings.js';
import { ensurePrivateNotes } from '../../../../src/shared/domain/private-notes.js';
import { meetingNotes, metaMap } from '../../../../src/shared/domain/series-doc.js';
import { seedSeries } from '../../helpers/series-doc.js';

const at = (minutes: number) => new Date(Date.UTC(2030, 0, 7, 10, minutes));
const me = (minutes = 0) => ({ now: at(minutes), userId: 'me' });
const sam = (minutes = 0) => ({ now: at(minutes), userId: 'sam' });

type Node = Y.XmlElement | Y.XmlText;
function el(name: string, children: Node[] = [], attrs: Record<string, unknown> = {}): Y.XmlElement {
  const e = new Y.XmlElement(name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v as string);
  e.insert(0, children);
  return e;
}
function text(...runs: [string, Record<string, unknown>?][]): Y.XmlText {
  const t = new Y.XmlText();
  t.applyDelta(runs.map(([insert, attributes]) => (attributes ? { insert, attributes } : { insert })));
  return t;
}
const p = (...runs: [string, Record<string, unknown>?][]) => el('paragraph', [text(...runs)]);
const li = (...blocks: Y.XmlElement[]) => el('listItem', blocks);

/** Notes with every kind of content the editor makes, written as y-prosemirror stores them. */
function writeEveryKindOfNotes(fragment: Y.XmlFragment): void {
  fragment.delete(0, fragment.length);
  fragment.insert(0, [
    el('heading', [text(['Quarter review'])], { level: 2 }),
    p(
      ['Plain, '],
      ['bold', { bold: {} }],
      [', '],
      ['italic', { italic: {} }],
      [', '],
      ['gone', { strike: {} }],
      [', '],
      ['npm test', { code: {} }],
      [' and a '],
      ['link', { link: { href: 'https://example.com/a b' } }],
      ['.'],
    ),
    p(['Typed *stars*, _underscores_, [brackets] and <b>tags</b> stay text.']),
    p(['# not a heading']),
    el('paragraph', [text(['first line']), el('hardBreak'), text(['second line'])]),
    el('bulletList', [li(p(['Hiring'])), li(p(['Budget']), el('bulletList', [li(p(['Travel'])), li(p(['Tools']))]))]),
    el('orderedList', [li(p(['Draft'])), li(p(['Review']))], { start: 3 }),
    el('taskList', [el('taskItem', [p(['Book the room'])], { checked: true }), el('taskItem', [p(['Send the deck'])], { checked: false })]),
    el('blockquote', [p(['Quoted words']), p(['over two paragraphs'])]),
    el('codeBlock', [text(['const x = `y`;\nreturn x;'])], { language: 'ts' }),
    el('horizontalRule'),
    p(['The end.']),
  ]);
}

function meetingWithEverything() {
  const doc = seedSeries(new Y.Doc(), 'manager-report');
  (metaMap(doc).get('participants') as Y.Map<unknown>).set('sam', { name: 'Sam', role: 'report' });
  const meetingId = currentMeeting(doc)!.id;
  setCheckInPrompt(doc, { meetingId, prompt: 'What gave you energy this week?' }, me());
  startMeeting(doc, { meetingId }, me());
  writeCheckIn(doc, { meetingId, value: 'A quiet Monday' }, me(1));
  writeCheckIn(doc, { meetingId, value: 'Shipped the *beta*' }, sam(1));
  const promo = addAgendaItem(doc, { title: 'Promotion case', context: 'Evidence so far\n- two launches', purpose: 'career' }, me(2));
  addAgendaItem(doc, { title: 'Team offsite', purpose: 'connection' }, sam(2));
  const fyi = addAgendaItem(doc, { title: 'Release notes', async: true }, sam(3));
  setItemPurpose(doc, { itemId: fyi, purpose: 'status' }, sam(3));
  markDiscussed(doc, { meetingId, itemId: promo, discussed: true }, me(10));
  writeEveryKindOfNotes(meetingNotes(doc, meetingId));
  const step = addNextStep(
    doc,
    { meetingId, text: 'Write the promotion case', ownerId: 'sam', due: '2030-01-21', fromItemId: promo },
    me(12),
  );
  addNextStep(doc, { meetingId, text: 'Ask finance about [budget]' }, me(13));
  addNextStep(doc, { meetingId, text: 'Book the offsite', ownerId: 'me' }, me(14));
  setNextStepDone(doc, { stepId: step, done: true }, sam(20));
  endMeeting(doc, { meetingId }, me(30));
  const privateDoc = new Y.Doc();
  const mine = ensurePrivateNotes(privateDoc, { meetingId }, me());
  mine.insert(0, [p(['Sam seemed tired; check in about workload.'])]);
  return { doc, meetingId, privateDoc };
}

const golden = (name: string) => readFileSync(join(import.meta.dirname, 'golden', name), 'utf8');

describe('Markdown export of a meeting', () => {
  test('renders front matter, check-in, agenda, notes of every kind and next steps as tasks, as in the golden file', () => {
    const { doc, meetingId } = meetingWithEverything();
    expect(meetingMarkdown(doc, meetingId, { userId: 'me' })).toBe(golden('meeting.md'));
  });

  test('includes private notes only when given them', () => {
    const { doc, meetingId, privateDoc } = meetingWithEverything();
    expect(meetingMarkdown(doc, meetingId, { userId: 'me' })).not.toContain('workload');
    expect(meetingMarkdown(doc, meetingId, { userId: 'me', privateDoc })).toBe(
      golden('meeting.md') + '\n## Private notes\n\nSam seemed tired; check in about workload.\n',
    );
  });

  test('typed text never becomes structure', () => {
    expect(escapeMarkdown('# title')).toBe('\\# title');
    expect(escapeMarkdown('1. first')).toBe('1\\. first');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('a *b* [c](d) <e> `f` ~g~ | h_i')).toBe('a \\*b\\* \\[c\\](d) \\<e\\> \\`f\\` \\~g\\~ \\| h\\_i');
    expect(escapeMarkdown('well-known, e.g. this')).toBe('well-known, e.g. this');
  });

  test('file and folder names sort by date and keep to safe characters', () => {
    expect(meetingFileName('2030-01-07T10:00:00.000Z', 'held', 'abcdef12-3456')).toBe('2030-01-07-held-abcdef12.md');
    expect(seriesFolderName('Zoë & Sam / weekly', '12345678-aaaa')).toBe('zoe-sam-weekly-12345678');
    expect(seriesFolderName('../..', '12345678-aaaa')).toBe('1-1-12345678');
  });
});
