/**
 * Reading a 1:1 with its held years: the archive documents its index names (see
 * shared/domain/archive.ts), loaded for the time of one read.
 */
import type * as Y from 'yjs';
import { archiveDocId, archivedYears } from '../../shared/domain/archive.js';

export interface ArchiveDocSource {
  exists(docId: string): boolean;
  acquire(docId: string): Y.Doc;
  release(docId: string): void;
}

/**
 * Runs `fn` with the archive documents of a series that are on this device loaded (a year the
 * other person moved may not have arrived yet), releasing them afterwards.
 */
export function withArchiveDocs<T>(docs: ArchiveDocSource, seriesId: string, series: Y.Doc, fn: (archives: Y.Doc[]) => T): T {
  const ids = archivedYears(series)
    .map((year) => archiveDocId(seriesId, year))
    .filter((id) => docs.exists(id));
  const held: string[] = [];
  try {
    const archives = ids.map((id) => {
      const archive = docs.acquire(id);
      held.push(id);
      return archive;
    });
    return fn(archives);
  } finally {
    for (const id of held) docs.release(id);
  }
}
