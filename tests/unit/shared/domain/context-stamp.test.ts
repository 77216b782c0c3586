/**
 * When an item's context was begun: the stamp the preparation signal judges "context before the
 * meeting" on, written by the commands that add and edit an item when its context goes from empty
 * to holding text, and by nothing else.
 */
import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { addAgendaItem, changeItemText, editItemText } from '../../../../src/shared/domain/commands.js';
import { readItemTiming } from '../../../../src/shared/domain/meetings.js';
import { seedSeries } from '../../helpers/series-doc.js';

const at = (minute: number, userId = 'dana') => ({ now: new Date(Date.UTC(2030, 0, 1, 9, minute)), userId });
const stamp = (minute: number, by = 'dana') => ({ contextAt: at(minute).now.toISOString(), contextBy: by });
const stampOf = (doc: Parameters<typeof readItemTiming>[0], id: string) => {
  const { contextAt, contextBy } = readItemTiming(doc, id);
  return { contextAt, contextBy };
};

test('an item added with context is stamped with its author and time; one added without is not', () => {
  const doc = seedSeries(new Y.Doc());
  const withContext = addAgendaItem(doc, { title: 'Roadmap', context: 'See the draft' }, at(0));
  const blank = addAgendaItem(doc, { title: 'Offsite', context: '   ' }, at(0));
  expect(stampOf(doc, withContext)).toEqual(stamp(0));
  expect(stampOf(doc, blank)).toEqual({ contextAt: null, contextBy: null });
});

test('typing context into an empty item stamps it once, with whoever began it; later typing and title edits do not', () => {
  const doc = seedSeries(new Y.Doc());
  const id = addAgendaItem(doc, { title: 'Roadmap' }, at(0));
  editItemText(doc, { itemId: id, field: 'title', value: 'Roadmap review' }, at(1));
  changeItemText(doc, { itemId: id, field: 'context', index: 0, remove: 0, insert: ' ' }, at(2));
  expect(stampOf(doc, id)).toEqual({ contextAt: null, contextBy: null });
  changeItemText(doc, { itemId: id, field: 'context', index: 1, remove: 0, insert: 'D' }, at(3, 'sam'));
  changeItemText(doc, { itemId: id, field: 'context', index: 2, remove: 0, insert: 'raft' }, at(4));
  editItemText(doc, { itemId: id, field: 'context', value: ' Draft attached' }, at(5));
  expect(stampOf(doc, id)).toEqual(stamp(3, 'sam'));
});

test('context emptied and begun again is stamped again: the stamp dates the context the item holds', () => {
  const doc = seedSeries(new Y.Doc());
  const id = addAgendaItem(doc, { title: 'Roadmap', context: 'Old notes' }, at(0));
  editItemText(doc, { itemId: id, field: 'context', value: '' }, at(10));
  expect(stampOf(doc, id)).toEqual(stamp(0));
  editItemText(doc, { itemId: id, field: 'context', value: 'New notes' }, at(20, 'sam'));
  expect(stampOf(doc, id)).toEqual(stamp(20, 'sam'));
});
