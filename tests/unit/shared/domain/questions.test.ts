import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { CHECK_IN_PROMPTS, checkInPrompt, checkInPromptFor, setCheckInPrompt } from '../../../../src/shared/domain/check-in-prompts.js';
import { addAgendaItem } from '../../../../src/shared/domain/commands.js';
import {
  QUESTIONS,
  QUESTION_CATEGORIES,
  findQuestions,
  readSharedQuestions,
  shareQuestion,
  unshareQuestion,
} from '../../../../src/shared/domain/questions.js';
import { agendaFor, nextMeeting, questionsMap } from '../../../../src/shared/domain/series-doc.js';
import { TEMPLATES, applyTemplate, seededId } from '../../../../src/shared/domain/templates.js';
import { Id } from '../../../../src/shared/schemas.js';
import { exchange, replicaOf, seedSeries } from '../../helpers/series-doc.js';

const dana = { now: new Date('2030-01-02T09:00:00.000Z'), userId: 'dana' };
const sam = { now: new Date('2030-01-02T09:05:00.000Z'), userId: 'sam' };
const newSeries = () => seedSeries(new Y.Doc(), 'manager-report', { now: new Date('2030-01-01T00:00:00.000Z'), userId: 'dana' });

describe('the question library', () => {
  test('holds at least 80 distinct questions, each with a note on when to ask it, in every category', () => {
    expect(QUESTIONS.length).toBeGreaterThanOrEqual(80);
    expect(new Set(QUESTIONS.map((q) => q.text)).size).toBe(QUESTIONS.length);
    expect(new Set(QUESTIONS.map((q) => q.id)).size).toBe(QUESTIONS.length);
    for (const q of QUESTIONS) expect(q.when.length, q.text).toBeGreaterThan(5);
    for (const c of QUESTION_CATEGORIES) expect(QUESTIONS.filter((q) => q.category === c.id).length, c.id).toBeGreaterThanOrEqual(8);
  });

  test('search matches every word in the text or the note, accents and case aside, text matches first', () => {
    const found = findQuestions(QUESTIONS, 'FEEDBACK');
    expect(found.length).toBeGreaterThan(3);
    expect(found[0]!.text.toLowerCase()).toContain('feedback');
    expect(findQuestions(QUESTIONS, 'feedback receive').map((q) => q.id)).toEqual(['first-1', 'feedback-4']);
    expect(findQuestions(QUESTIONS, 'crunch').map((q) => q.id)).toEqual(['check-in-7']);
    expect(findQuestions(QUESTIONS, '', 'skip-level')).toHaveLength(QUESTIONS.filter((q) => q.category === 'skip-level').length);
    expect(findQuestions(QUESTIONS, 'nothing-like-this')).toEqual([]);
    expect(findQuestions([{ id: 'x', category: 'coaching', text: 'Café résumé?', when: '' }], 'cafe resume')).toHaveLength(1);
  });

  test('the rotating check-in prompts are the library check-in questions', () => {
    expect(CHECK_IN_PROMPTS).toEqual(QUESTIONS.filter((q) => q.category === 'check-in').map((q) => q.text));
  });
});

describe('check-in prompt', () => {
  test('a picked prompt replaces the rotating one for both people, and clearing it brings the rotation back', () => {
    const doc = newSeries();
    const meetingId = nextMeeting(doc)!.id;
    expect(checkInPromptFor(doc, meetingId)).toBe(checkInPrompt(meetingId));
    setCheckInPrompt(doc, { meetingId, prompt: '  What made you laugh this week?  ' }, dana);
    const peer = replicaOf(doc);
    expect(checkInPromptFor(peer, meetingId)).toBe('What made you laugh this week?');
    setCheckInPrompt(peer, { meetingId, prompt: '' }, sam);
    expect(checkInPromptFor(peer, meetingId)).toBe(checkInPrompt(meetingId));
  });

  test('a prompt of the wrong type from a peer reads as the rotating one', () => {
    const doc = newSeries();
    const meetingId = nextMeeting(doc)!.id;
    (doc.getMap('meetings').get(meetingId) as Y.Map<unknown>).set('checkInPrompt', 42);
    expect(checkInPromptFor(doc, meetingId)).toBe(checkInPrompt(meetingId));
  });
});

describe('shared questions', () => {
  test('a question shared in a 1:1 reaches the other person; a malformed one is passed over', () => {
    const doc = newSeries();
    const id = shareQuestion(doc, { category: 'career', text: 'What would you teach a new hire?', when: 'onboarding season' }, dana);
    questionsMap(doc).set('bad', { category: 'nope', text: 'x' });
    const peer = replicaOf(doc);
    expect(readSharedQuestions(peer)).toEqual([
      {
        id,
        category: 'career',
        text: 'What would you teach a new hire?',
        when: 'onboarding season',
        by: 'dana',
        at: dana.now.toISOString(),
      },
    ]);
    unshareQuestion(peer, { id }, sam);
    expect(readSharedQuestions(peer)).toEqual([]);
    expect(() => shareQuestion(doc, { category: 'career', text: '   ', when: '' }, dana)).toThrow('A question needs a few words.');
  });
});

describe('templates', () => {
  test('every purpose conversation has a template', () => {
    expect(TEMPLATES.map((t) => t.id)).toEqual(['first', 'career', 'feedback', 'clearing-the-air', 'skip-level']);
  });

  test('applying adds its items with their purposes to the next meeting, never duplicating a title already there', () => {
    const doc = newSeries();
    addAgendaItem(doc, { title: 'where would you like to be in two years?' }, dana);
    const added = applyTemplate(doc, { templateId: 'career' }, dana);
    const career = TEMPLATES.find((t) => t.id === 'career')!;
    expect(added).toHaveLength(career.items.length - 1);
    const agenda = agendaFor(doc, null);
    expect(agenda.map((i) => i.title)).toEqual(['where would you like to be in two years?', ...career.items.slice(1).map((i) => i.title)]);
    expect(agenda.slice(1).every((i) => i.purpose === 'career')).toBe(true);
    expect(applyTemplate(doc, { templateId: 'career' }, dana)).toEqual([]);
    expect(agendaFor(doc, null)).toHaveLength(career.items.length);
  });

  test('two people applying the same template offline get one copy of each item', () => {
    const doc = newSeries();
    const peer = replicaOf(doc);
    applyTemplate(doc, { templateId: 'feedback' }, dana);
    applyTemplate(peer, { templateId: 'feedback' }, sam);
    exchange(doc, peer);
    const titles = agendaFor(doc, null).map((i) => i.title);
    expect(titles).toHaveLength(TEMPLATES.find((t) => t.id === 'feedback')!.items.length);
    expect(agendaFor(peer, null)).toEqual(agendaFor(doc, null));
  });

  test('template item ids are valid ids, different per template, item and meeting', () => {
    const ids = ['a', 'b', 'c'].map(seededId);
    for (const id of ids) expect(Id.safeParse(id).success, id).toBe(true);
    expect(new Set(ids).size).toBe(3);
    expect(seededId('a')).toBe(ids[0]);
  });

  test('an unknown template is refused', () => {
    expect(() => applyTemplate(newSeries(), { templateId: 'nope' }, dana)).toThrow('There is no template called nope.');
  });
});
