/**
 * Private notes: one local-only Y.Doc per 1:1, beside the shared series document. It is stored
 * like any document (same update log, same durability) but never shared: sync connects only
 * documents of kind `series`, and this one is of kind `private`. Its id is the series id with a
 * suffix, so frames carry it like any other document id.
 *
 *   notes  Y.Map  meetingId → Y.XmlFragment (the same editor as the shared notes)
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { BAD_ID, Id } from '../schemas.js';
import { parseArchiveDocId } from './archive.js';
import { run, type CommandContext } from './commands.js';

export const PRIVATE_DOC_KIND = 'private';
const SUFFIX = ':private';

export const privateDocId = (seriesId: string): string => seriesId + SUFFIX;

/** The series a private document belongs to, or null when `docId` is not a private document's id. */
export function seriesOfPrivateDoc(docId: string): string | null {
  return docId.endsWith(SUFFIX) ? docId.slice(0, -SUFFIX.length) : null;
}

/** An id frames may carry: a series, a series' private notes or one of its archives (said like any bad id). */
export const DocId = z
  .string()
  .refine((id) => Id.safeParse(seriesOfPrivateDoc(id) ?? parseArchiveDocId(id)?.seriesId ?? id).success, { message: BAD_ID });

const notesMap = (doc: Y.Doc) => doc.getMap<unknown>('notes');

/** The private notes of a meeting, or null until someone writes the first (see `ensurePrivateNotes`). */
export function privateNotes(doc: Y.Doc, meetingId: string): Y.XmlFragment | null {
  const notes = notesMap(doc).get(meetingId);
  return notes instanceof Y.XmlFragment ? notes : null;
}

export function ensurePrivateNotes(doc: Y.Doc, input: { meetingId: string }, _ctx: CommandContext): Y.XmlFragment {
  return (
    privateNotes(doc, input.meetingId) ??
    run(doc, () => {
      const fragment = new Y.XmlFragment();
      notesMap(doc).set(input.meetingId, fragment);
      return fragment;
    })
  );
}
