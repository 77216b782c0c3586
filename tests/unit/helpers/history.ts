/**
 * A 1:1 held twice a year from 2021 to early 2023, with the 2023-09 meeting still to come: its
 * 2021 and 2022 meetings can move to archive documents. Each held meeting has one item discussed,
 * one next step done and one still open, and a paragraph of notes.
 */
import SQLite from 'better-sqlite3';
import * as Y from 'yjs';
import { addAgendaItem, addMeeting, type CommandContext } from '../../../src/shared/domain/commands.js';
import { addNextStep, endMeeting, markDiscussed, setNextStepDone } from '../../../src/shared/domain/meetings.js';
import { listMeetings, meetingNotes, meetingsMap } from '../../../src/shared/domain/series-doc.js';

export const HISTORY_DATES = ['2021-03-01', '2021-09-01', '2022-03-01', '2022-09-01', '2023-03-01', '2023-09-01'].map(
  (d) => `${d}T10:00:00.000Z`,
);
export const historyMeetingId = (date: string) => `meeting-${date.slice(0, 7)}`;
/** The meetings of 2021 and 2022. */
export const MOVABLE = HISTORY_DATES.slice(0, 4).map(historyMeetingId);

export const at = (iso: string): CommandContext => ({ now: new Date(iso), userId: 'dana' });

/** Replaces the meetings of a new series document (see seedSeries or createSeries) with that history. */
export function fillHistory(doc: Y.Doc): Y.Doc {
  for (const m of listMeetings(doc)) meetingsMap(doc).delete(m.id);
  for (const d of HISTORY_DATES) addMeeting(doc, { scheduledFor: d, id: historyMeetingId(d) }, at(d));
  for (const d of HISTORY_DATES.slice(0, -1)) {
    const meetingId = historyMeetingId(d);
    const itemId = addAgendaItem(doc, { title: `Topic of ${d.slice(0, 7)}` }, at(d));
    markDiscussed(doc, { meetingId, itemId, discussed: true }, at(d));
    const done = addNextStep(doc, { meetingId, text: `Done after ${d.slice(0, 7)}`, ownerId: 'dana', due: '2030-01-01' }, at(d));
    setNextStepDone(doc, { stepId: done, done: true }, at(d));
    addNextStep(doc, { meetingId, text: `Still open from ${d.slice(0, 7)}`, ownerId: 'sam', due: '2030-01-01' }, at(d));
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText(`Notes of ${d.slice(0, 7)}.`)]);
    meetingNotes(doc, meetingId).insert(0, [p]);
    endMeeting(doc, { meetingId }, at(d));
  }
  return doc;
}

/**
 * Writes that history into a stored series document as a Tandem from before archives wrote it:
 * straight into its update log, nothing moved. Returns the document as it then stands.
 */
export function writeOldHistory(dbFile: string, seriesId: string): Y.Doc {
  const db = new SQLite(dbFile);
  try {
    const row = db.prepare('select snapshot, snapshot_seq from docs where doc_id = ?').get(seriesId) as {
      snapshot: Buffer;
      snapshot_seq: number;
    };
    const old = new Y.Doc();
    Y.applyUpdate(old, row.snapshot);
    const before = Y.encodeStateVector(old);
    fillHistory(old);
    db.prepare('insert into doc_updates (doc_id, seq, "update") values (?, ?, ?)').run(
      seriesId,
      row.snapshot_seq + 1,
      Y.encodeStateAsUpdate(old, before),
    );
    return old;
  } finally {
    db.close();
  }
}
