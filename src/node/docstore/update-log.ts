/**
 * Persists Y.Docs as a snapshot plus an append-only log of updates (docs/architecture.md, "Documents are the truth").
 *
 * Appends use better-sqlite3 prepared statements directly rather than kysely: they run
 * synchronously inside the Y.Doc's update handler, so an update is on disk before anyone is told
 * it happened and no await can interleave another write. Kysely is used where async is harmless.
 *
 * Compaction re-encodes the loaded document (never Y.mergeUpdates over a long log, which is
 * superlinear) and in one transaction writes the snapshot and deletes the rows it covers.
 */
import type SQLite from 'better-sqlite3';
import * as Y from 'yjs';
import { TandemError } from '../../shared/errors.js';
import { NestingTooDeep, checkNesting } from './nesting.js';

export interface LoadedDoc {
  doc: Y.Doc;
  /** The stored snapshot when nothing was logged after it: then it is the document's whole state. */
  state: Uint8Array | null;
  /** Highest seq applied; the next append uses seq + 1. */
  seq: number;
  /** Log rows not yet folded into the snapshot. */
  pending: number;
}

export interface PendingUpdate {
  docId: string;
  seq: number;
  update: Uint8Array;
}

export class UpdateLog {
  private readonly insertUpdate: SQLite.Statement<[string, number, Uint8Array]>;
  private readonly touchDoc: SQLite.Statement<[string, string]>;
  private readonly insertDoc: SQLite.Statement<[string, string, string]>;
  private readonly selectDoc: SQLite.Statement<[string], { snapshot: Uint8Array | null; snapshot_seq: number } | undefined>;
  private readonly selectUpdates: SQLite.Statement<[string, number], { seq: number; update: Uint8Array }>;
  private readonly writeSnapshot: SQLite.Statement<[Uint8Array, number, string]>;
  private readonly deleteCovered: SQLite.Statement<[string, number]>;
  private readonly selectFamily: SQLite.Statement<[{ id: string }], { doc_id: string }>;
  private readonly deleteUpdates: SQLite.Statement<[string]>;
  private readonly deleteDoc: SQLite.Statement<[string]>;
  private readonly selectSize: SQLite.Statement<[string, string], { bytes: number }>;
  private readonly selectSeq: SQLite.Statement<[string, string], { seq: number }>;
  private readonly selectSnapshotAlone: SQLite.Statement<[string], { snapshot: Uint8Array | null }>;

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly file: string,
  ) {
    this.insertUpdate = sqlite.prepare('insert into doc_updates (doc_id, seq, "update") values (?, ?, ?)');
    this.touchDoc = sqlite.prepare('update docs set updated_at = ? where doc_id = ?');
    this.insertDoc = sqlite.prepare('insert into docs (doc_id, kind, snapshot_seq, updated_at) values (?, ?, 0, ?)');
    this.selectDoc = sqlite.prepare('select snapshot, snapshot_seq from docs where doc_id = ?');
    this.selectUpdates = sqlite.prepare('select seq, "update" from doc_updates where doc_id = ? and seq > ? order by seq');
    this.writeSnapshot = sqlite.prepare('update docs set snapshot = ?, snapshot_seq = ? where doc_id = ?');
    this.deleteCovered = sqlite.prepare('delete from doc_updates where doc_id = ? and seq <= ?');
    this.selectFamily = sqlite.prepare(
      "select doc_id from docs where doc_id = @id or substr(doc_id, 1, length(@id) + 1) in (@id || ':', @id || '.')",
    );
    this.deleteUpdates = sqlite.prepare('delete from doc_updates where doc_id = ?');
    this.deleteDoc = sqlite.prepare('delete from docs where doc_id = ?');
    this.selectSnapshotAlone = sqlite.prepare(
      'select snapshot from docs d where doc_id = ? and not exists (select 1 from doc_updates u where u.doc_id = d.doc_id and u.seq > d.snapshot_seq)',
    );
    this.selectSize = sqlite.prepare(
      'select coalesce((select length(snapshot) from docs where doc_id = ?), 0) + coalesce((select sum(length("update")) from doc_updates where doc_id = ?), 0) as bytes',
    );
    this.selectSeq = sqlite.prepare(
      'select max(snapshot_seq, coalesce((select max(seq) from doc_updates where doc_id = ?), 0)) as seq from docs where doc_id = ?',
    );
  }

  /** The number of the last update stored for the document (covered by its snapshot or in its log), or null when there is no such document. */
  storedSeq(docId: string): number | null {
    return this.selectSeq.get(docId, docId)?.seq ?? null;
  }

  /** Bytes the document takes on disk: its snapshot and its log. */
  storedBytes(docId: string): number {
    return this.selectSize.get(docId, docId)?.bytes ?? 0;
  }

  /** The stored snapshot when nothing was logged after it (then it is the document's whole state), else null. */
  snapshotAlone(docId: string): Uint8Array | null {
    return this.selectSnapshotAlone.get(docId)?.snapshot ?? null;
  }

  /** Marks the document as used now, whether or not it changed. */
  touch(docId: string): void {
    this.touchDoc.run(new Date().toISOString(), docId);
  }

  exists(docId: string): boolean {
    return this.selectDoc.get(docId) !== undefined;
  }

  create(docId: string, kind: string): void {
    this.insertDoc.run(docId, kind, new Date().toISOString());
  }

  /**
   * Loads a document: snapshot, then every later update in order. An update that does not decode
   * stops the load with an error naming the file and the row; nothing is written.
   */
  load(docId: string): LoadedDoc {
    const row = this.selectDoc.get(docId);
    if (!row) throw new TandemError('not-found', `no document ${docId} in ${this.file}`);
    let seq = row.snapshot_seq;
    let pending = 0;
    const selectUpdates = this.selectUpdates;
    function* entries() {
      if (row!.snapshot) yield { where: 'the snapshot', update: row!.snapshot };
      for (const u of selectUpdates.iterate(docId, row!.snapshot_seq)) {
        yield { where: `update #${u.seq}`, update: u.update };
        seq = u.seq;
        pending++;
      }
    }
    const doc = replayStored(
      docId,
      entries(),
      this,
      (where, error) =>
        new TandemError(
          'storage',
          `Tandem could not read ${where} of document ${docId} in ${this.file} (${error.message}). ` +
            'Nothing was changed on disk; restore the file from a backup, or move it aside to start afresh.',
        ),
    );
    return { doc, seq, pending, state: pending === 0 && row.snapshot ? row.snapshot : null };
  }

  /**
   * Deletes a document and every document whose id is its id followed by `:` or `.` (those
   * belonging to it, like a 1:1's private notes and its archived years), snapshots and logs, in one
   * transaction. Returns their ids.
   */
  removeFamily(docId: string): string[] {
    return this.sqlite.transaction(() => {
      const ids = this.selectFamily.all({ id: docId }).map((r) => r.doc_id);
      for (const id of ids) {
        this.deleteUpdates.run(id);
        this.deleteDoc.run(id);
      }
      return ids;
    })();
  }

  /** Appends one update durably under the given seq. */
  append(docId: string, seq: number, update: Uint8Array): void {
    this.appendMany([{ docId, seq, update }]);
  }

  /** Appends updates of any documents durably in one transaction (one fsync for all of them). */
  appendMany(rows: readonly PendingUpdate[]): void {
    const now = new Date().toISOString();
    this.sqlite.transaction(() => {
      for (const { docId, seq, update } of rows) this.insertUpdate.run(docId, seq, update);
      for (const docId of new Set(rows.map((r) => r.docId))) this.touchDoc.run(now, docId);
    })();
  }

  /** Folds every row up to `seq` into a snapshot of `doc`, which must contain all of them. */
  compact(docId: string, doc: Y.Doc, seq: number): void {
    this.fold(docId, Y.encodeStateAsUpdate(doc), seq);
  }

  /** Folds every row up to `seq` into `snapshot`, a document's state that contains all of them. */
  fold(docId: string, snapshot: Uint8Array, seq: number): void {
    this.sqlite.transaction(() => {
      this.writeSnapshot.run(snapshot, seq, docId);
      this.deleteCovered.run(docId, seq);
    })();
  }
}

/**
 * Builds a document from stored entries in order, in one transaction. An entry that does not
 * apply destroys the document and throws `failed(its where)`, so a half-loaded document can never
 * be persisted. No separate decode check: decoding twice would double the cost of opening.
 */
export function replayStored(
  guid: string,
  entries: Iterable<{ where: string; update: Uint8Array }>,
  origin: unknown,
  failed: (where: string, error: Error) => Error,
): Y.Doc {
  const doc = namedDoc(guid);
  let where = 'the first entry';
  try {
    doc.transact(() => {
      for (const entry of entries) {
        where = entry.where;
        Y.applyUpdate(doc, entry.update, origin);
      }
    }, origin);
  } catch (error) {
    doc.destroy();
    throw failed(where, error as Error);
  }
  return doc;
}

/**
 * Applies an update after checking that it decodes, since a bad one can otherwise half-apply, and
 * that it nests no type too deeply for Yjs to handle (nesting.ts). Returns it decoded.
 */
export function applyChecked(doc: Y.Doc, update: Uint8Array, origin: unknown): ReturnType<typeof Y.decodeUpdate> {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
    checkNesting(decoded, doc);
  } catch (error) {
    if (!(error instanceof NestingTooDeep)) throw error;
    throw new TandemError('invalid-input', `The change was refused and nothing of it applied: ${error.message}.`);
  }
  Y.applyUpdate(doc, update, origin);
  return decoded;
}

/**
 * A new document named by its id: Y.Doc's default name is a random UUID, whose making allocates
 * some 13 KB (a typed array per digit), in every document loaded. Nothing reads a document's name
 * but Yjs' sub-documents, which these documents never hold.
 */
export const namedDoc = (guid: string) => new Y.Doc({ guid });
