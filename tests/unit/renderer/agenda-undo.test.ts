/**
 * Undo in a window undoes that user's own agenda commands, and nothing a peer did meanwhile:
 * a real window replica on core A, core B editing through a real relay.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { addAgendaItem, editItemText, removeAgendaItem, setItemState } from '../../../src/shared/domain/commands.js';
import { markDiscussed } from '../../../src/shared/domain/meetings.js';
import { agendaFor, listAgenda, nextMeeting, removedItemsMap } from '../../../src/shared/domain/series-doc.js';
import { SeriesReplica } from '../../../src/renderer/replica/series-replica.js';
import { converged, edit, pair, share, until, type Person } from '../core/sync/sync-fixtures.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup() {
  const { a, b } = await pair(cleanup);
  const seriesId = await share(a, b);
  const userA = (await a.api.getProfile())!.id;
  const userB = (await b.api.getProfile())!.id;
  const window = new SeriesReplica(a.api, seriesId, { name: 'Dana', color: '#2f5fd0' }, userA);
  cleanup.push(() => window.close());
  await window.ready;
  return { a, b, seriesId, window, userB };
}

const titles = (p: Person, seriesId: string) =>
  edit(p, seriesId, (doc) => listAgenda(doc).map((i) => `${i.title}|${i.context}|${i.state}`));
const byB = (userId: string) => ({ now: new Date(), userId });

describe('undo and redo of agenda commands', () => {
  test("undoing my edits after a peer's concurrent edits leaves theirs in place, on both sides; redo brings mine back", async () => {
    const { a, b, seriesId, window, userB } = await setup();
    const mine = window.run(addAgendaItem, { title: 'Promotion timeline' });
    window.undoManager.stopCapturing();
    await until(() => edit(b, seriesId, (doc) => agendaFor(doc, null).length) === 1, 'B to receive the item');

    window.run(editItemText, { itemId: mine, field: 'title', value: 'Promotion timeline and scope' });
    window.run(setItemState, { itemId: mine, state: 'discussed' });
    // Meanwhile B adds an item of their own and writes context into mine.
    edit(b, seriesId, (doc) => {
      addAgendaItem(doc, { title: 'Team offsite' }, byB(userB));
      editItemText(doc, { itemId: mine, field: 'context', value: 'Ask about the staff level' }, byB(userB));
    });
    await until(() => agendaFor(window.doc, null).length === 2, "B's edits to reach A's window");
    await until(() => agendaFor(window.doc, null).find((i) => i.id === mine)?.context !== '', "B's context to reach A's window");

    window.undoManager.undo();
    await until(() => converged(a, b, seriesId), 'both sides to converge after undo');
    // B is the report of this manager–report 1:1: their item goes first.
    expect(titles(b, seriesId)).toEqual(['Team offsite||open', 'Promotion timeline|Ask about the staff level|open']);

    window.undoManager.redo();
    await until(() => converged(a, b, seriesId), 'both sides to converge after redo');
    expect(titles(b, seriesId)).toEqual(['Team offsite||open', 'Promotion timeline and scope|Ask about the staff level|discussed']);
  });

  test('the Undo of a deletion brings back exactly that item, keeping later edits by me and my peer', async () => {
    const { a, b, seriesId, window, userB } = await setup();
    const first = window.run(addAgendaItem, { title: 'Feedback on the launch' });
    const second = window.run(addAgendaItem, { title: 'Hiring plan' });
    const undoDelete = window.runUndoable(removeAgendaItem, { itemId: first });
    window.run(editItemText, { itemId: second, field: 'title', value: 'Hiring plan for Q3' });
    await until(() => edit(b, seriesId, (doc) => agendaFor(doc, null).length) === 1, 'B to see the deletion');
    edit(b, seriesId, (doc) => addAgendaItem(doc, { title: 'Vacation' }, byB(userB)));
    await until(() => agendaFor(window.doc, null).length === 2, "B's item to reach A's window");

    undoDelete();
    await until(() => converged(a, b, seriesId), 'both sides to converge');
    // Where B's item lands among them is the report-first rule's business, not undo's.
    expect(titles(b, seriesId).sort()).toEqual(['Feedback on the launch||open', 'Hiring plan for Q3||open', 'Vacation||open']);
  });

  test('the Undo of removing an item of a meeting takes back the record of its removal with it', async () => {
    const { window } = await setup();
    const item = window.run(addAgendaItem, { title: 'Promotion timeline' });
    window.run(markDiscussed, { meetingId: nextMeeting(window.doc)!.id, itemId: item, discussed: true });
    window.undoManager.stopCapturing();
    const undoRemove = window.runUndoable(removeAgendaItem, { itemId: item });
    expect(removedItemsMap(window.doc).has(item)).toBe(true);
    undoRemove();
    expect(listAgenda(window.doc).map((i) => i.title)).toEqual(['Promotion timeline']);
    // Left behind, the record would remove the item from its archive once its meeting moved there.
    expect(removedItemsMap(window.doc).has(item)).toBe(false);
  });
});
