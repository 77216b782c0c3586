/**
 * Writes meetings as Markdown files (shared/domain/markdown.ts) into a folder: one folder per 1:1,
 * one file per meeting, the meetings moved into archive documents (shared/domain/archive.ts)
 * included. Private notes are included only when asked for. A meeting a peer damaged
 * is skipped and counted, never allowed to stop the rest of the export.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type * as Y from 'yjs';
import type { ExportResult } from '../../shared/api.js';
import { meetingFileName, meetingMarkdown, readSeriesForMarkdown, seriesFolderName } from '../../shared/domain/markdown.js';
import { privateDocId } from '../../shared/domain/private-notes.js';
import { readArchived, withArchiveDocs } from '../../shared/domain/archive.js';
import { listMeetings, perspective, readMeta, type Meeting } from '../../shared/domain/series-doc.js';
import { TandemError } from '../../shared/errors.js';
import type { ExportInput } from '../../shared/schemas.js';
import type { DocRegistry } from '../../node/docstore/doc-registry.js';

export interface ExportSource {
  docs: Pick<DocRegistry, 'with' | 'exists' | 'acquire' | 'release'>;
  seriesIds(): Promise<string[]>;
  userId: string;
}

function exportSeries(
  doc: Y.Doc,
  archives: readonly Y.Doc[],
  seriesId: string,
  input: ExportInput,
  privateDoc: Y.Doc | null,
  userId: string,
  result: ExportResult,
): void {
  const meta = readMeta(doc);
  const folder = join(input.dir, seriesFolderName(meta.title || perspective(meta, userId).partnerName, seriesId));
  // Each meeting from the document holding it; one caught mid-move, in two, is written once.
  const meetings = new Map<string, { meeting: Meeting; holder: Y.Doc }>();
  for (const holder of [doc, ...archives]) {
    for (const meeting of listMeetings(holder)) if (!meetings.has(meeting.id)) meetings.set(meeting.id, { meeting, holder });
  }
  const wanted = [...meetings.values()].filter(({ meeting }) => !input.meetingId || meeting.id === input.meetingId);
  if (input.meetingId && !wanted.length) throw new TandemError('not-found', 'That meeting is not in this 1:1.');
  // Moved meetings whose archive has not arrived from the relay yet cannot be written.
  if (!input.meetingId) result.skipped += readArchived(doc).filter((m) => !meetings.has(m.id)).length;
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const series = readSeriesForMarkdown(doc, archives);
  for (const { meeting, holder } of wanted.sort((a, b) => a.meeting.scheduledFor.localeCompare(b.meeting.scheduledFor))) {
    let text: string;
    try {
      text = meetingMarkdown(holder, meeting.id, { userId, privateDoc }, series);
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
        withArchiveDocs(source.docs, seriesId, doc, (archives) =>
          withPrivate((privateDoc) => exportSeries(doc, archives, seriesId, input, privateDoc, source.userId, result)),
        ),
      );
    }
  } catch (error) {
    if (error instanceof TandemError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new TandemError('storage', `Tandem could not write the export into ${input.dir} (${code}). Choose a folder you can write to.`);
  }
  return result;
}
