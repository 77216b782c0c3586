/**
 * Keeps each 1:1's archive documents (shared/domain/archive.ts): moves the old years out of a
 * series document soon after it is loaded and whenever its meetings change (which also migrates
 * documents written before archives existed), copies every move it sees (its own, or the other
 * person's arriving) into the archive documents, and tells sync which archive documents a series
 * has, so a shared 1:1's archives travel through the same relay room secret.
 */
import type * as Y from 'yjs';
import {
  ARCHIVE_DOC_KIND,
  archiveDocId,
  archiveOldYears,
  archivedMap,
  archivedYears,
  parseArchiveDocId,
  rehomeLateEdits,
  watchMoves,
  type DecodedUpdate,
} from '../../shared/domain/archive.js';
import { seriesOfPrivateDoc } from '../../shared/domain/private-notes.js';
import { meetingsMap } from '../../shared/domain/series-doc.js';
import type { DocRegistry } from '../../node/docstore/doc-registry.js';
import type { Logger } from '../../node/log.js';

/** The origin of the copies written into archive documents. */
export const ARCHIVE_COPY = Symbol('tandem-archive-copy');

export const isSeriesDoc = (docId: string): boolean => seriesOfPrivateDoc(docId) === null && parseArchiveDocId(docId) === null;

export class Archives {
  private readonly scheduled = new Set<string>();

  constructor(
    private readonly docs: DocRegistry,
    private readonly now: () => Date,
    private readonly userId: () => string,
    /** Called when a series gains an archive year (to sync it where the series is shared). */
    private readonly onYears: (seriesId: string, years: number[]) => void,
    private readonly log: Logger,
  ) {}

  /** For DocRegistry's onLoad: watches a series document as soon as it is in memory. */
  loaded(docId: string, doc: Y.Doc): void {
    if (!isSeriesDoc(docId)) return;
    watchMoves(doc, (year, fn) => this.write(docId, year, fn), ARCHIVE_COPY);
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.changed.has(archivedMap(doc) as never)) this.onYears(docId, archivedYears(doc));
      if (transaction.changed.has(meetingsMap(doc) as never)) this.schedule(docId);
    });
    this.schedule(docId);
  }

  /**
   * For a window's update just applied to a document: hands what it carried for meetings that
   * had moved to their archive meanwhile to that archive (`rehomeLateEdits`).
   */
  fromWindow(docId: string, doc: Y.Doc, update: DecodedUpdate): void {
    if (!isSeriesDoc(docId)) return;
    rehomeLateEdits(
      doc,
      update,
      (year, fn) => {
        // An archive not here yet holds nothing to re-home into; whoever has it does.
        if (this.docs.exists(archiveDocId(docId, year))) this.write(docId, year, fn);
      },
      ARCHIVE_COPY,
    );
  }

  /** The archive document of a year, created empty when it is not here yet (it fills by sync or by a move). */
  ensure(seriesId: string, year: number): string {
    const id = archiveDocId(seriesId, year);
    if (!this.docs.exists(id)) {
      this.docs.create(id, ARCHIVE_DOC_KIND);
      this.docs.release(id);
    }
    return id;
  }

  /** Moves what can move now, once the current transaction and its observers are done. */
  private schedule(seriesId: string): void {
    if (this.scheduled.has(seriesId)) return;
    this.scheduled.add(seriesId);
    setImmediate(() => {
      this.scheduled.delete(seriesId);
      // Only while loaded: moving is never worth loading a document for.
      if (!this.docs.isLoaded(seriesId)) return;
      try {
        this.docs.with(seriesId, (doc) => archiveOldYears(doc, {}, { now: this.now(), userId: this.userId() }));
      } catch (error) {
        this.log.error({ seriesId, error: (error as Error).message }, 'old meetings could not move to their archive');
      }
    });
  }

  /**
   * Writes to a year's archive. A copy runs inside the series document's transaction, before its
   * tombstone is stored: should the copy fail to be stored (a full disk), the tombstone fails the
   * same way and the series document is reloaded from disk with the meetings still in it, to move
   * at the next pass.
   */
  private write(seriesId: string, year: number, fn: (archive: Y.Doc) => void): void {
    try {
      this.docs.with(this.ensure(seriesId, year), fn);
    } catch (error) {
      this.log.error({ seriesId, year, error: (error as Error).message }, 'a move could not be copied into its archive');
    }
  }
}
