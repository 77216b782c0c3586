/**
 * Writes meetings as Markdown files (shared/domain/markdown.ts) into a folder: one folder per 1:1,
 * one file per meeting. Private notes are included only when asked for. A meeting a peer damaged
 * is skipped and counted, never allowed to stop the rest of the export.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type * as Y from 'yjs';
import type { ExportResult } from '../../shared/api.js';
import { meetingFileName, meetingMarkdown, readSeriesForMarkdown, seriesFolderName } from '../../shared/domain/markdown.js';
import { privateDocId } from '../../shared/domain/private-notes.js';
import { listMeetings, perspective, readMeta } from '../../shared/domain/series-doc.js';
import { TandemError } from '../../shared/errors.js';
import type { ExportInput } from '../../shared/schemas.js';
import type { DocRegistry } from '../../node/docstore/doc-registry.js';

export interface ExportSource {
  docs: Pick<DocRegistry, 'with' | 'exists'>;
  seriesIds(): Promise<string[]>;
  userId: string;
}

function exportSeries(
  doc: Y.Doc,
  seriesId: string,
  input: ExportInput,
  privateDoc: Y.Doc | null,
  userId: string,
  result: ExportResult,
): void {
  const meta = readMeta(doc);
  const folder = join(input.dir, seriesFolderName(meta.title || perspective(meta, userId).partnerName, seriesId));
  const meetings = listMeetings(doc).filter((m) => !input.meetingId || m.id === input.meetingId);
  if (input.meetingId && !meetings.length) throw new TandemError('not-found', 'That meeting is not in this 1:1.');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const series = readSeriesForMarkdown(doc);
  for (const meeting of meetings) {
    let text: string;
    try {
      text = meetingMarkdown(doc, meeting.id, { userId, privateDoc }, series);
    } catch {
      result.skipped++;
      continue;
    }
    const file = join(folder, meetingFileName(meeting.scheduledFor, meeting.status, meeting.id));
    writeFileSync(file, text, { mode: 0o600 });
    result.files.push(file);
  }
}

export async function exportMarkdown(source: ExportSource, input: ExportInput): Promise<ExportResult> {
  if (!isAbsolute(input.dir)) throw new TandemError('invalid-input', 'Choose the export folder by its full path.');
  const ids = input.seriesId ? [input.seriesId] : await source.seriesIds();
  const result: ExportResult = { dir: input.dir, files: [], skipped: 0 };
  try {
    mkdirSync(input.dir, { recursive: true, mode: 0o700 });
    for (const seriesId of ids) {
      if (!source.docs.exists(seriesId)) throw new TandemError('not-found', `This 1:1 is not on this device: ${seriesId}.`);
      const withPrivate = <T>(fn: (p: Y.Doc | null) => T): T =>
        input.includePrivate && source.docs.exists(privateDocId(seriesId)) ? source.docs.with(privateDocId(seriesId), fn) : fn(null);
      source.docs.with(seriesId, (doc) =>
        withPrivate((privateDoc) => exportSeries(doc, seriesId, input, privateDoc, source.userId, result)),
      );
    }
  } catch (error) {
    if (error instanceof TandemError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new TandemError('storage', `Tandem could not write the export into ${input.dir} (${code}). Choose a folder you can write to.`);
  }
  return result;
}
