/**
 * The projector keeps the projections (registry.ts) in step with the documents, so that lists and
 * pickers never load a Y.Doc. The projections are a cache: their tables are owned by their modules,
 * not by the migrations, and each carries a version; a projection whose tables are missing or
 * older than its code is dropped, recreated and rebuilt from the documents alone.
 *
 * Changes are projected incrementally: each transaction on a series document says which entries
 * it touched (touchedKeys), and after a short debounce only their rows are rewritten. A series is
 * projected in full when that cannot be told, and the first time it changes in this process (its
 * rows may predate changes stored just before the last exit).
 */
import { sql, type Kysely } from 'kysely';
import type * as Y from 'yjs';
import { TandemError } from '../../shared/errors.js';
import type { DocRegistry } from '../../node/docstore/doc-registry.js';
import type { Database } from '../store/schema.js';
import { archiveRoot, mergeChanges, silentLog, touchedKeys, type Changes, type Projection, type ProjectionLog } from './projection.js';
import { PROJECTIONS } from './registry.js';
import { PRIVATE_NOTES } from './search.js';
import { privateDocId } from '../../shared/domain/private-notes.js';
import { ARCHIVE_DOC_KIND, archiveDocId, parseArchiveDocId } from '../../shared/domain/archive.js';

/** The layout of the projector's own bookkeeping (projection_meta, how rows are keyed): a change rebuilds every projection. */
export const PROJECTION_VERSION = '2';

export interface ProjectionSource {
  /** Ids of every series document on disk. */
  seriesIds(): Promise<string[]>;
  /** Runs `fn` with the series document loaded. */
  withDoc<T>(seriesId: string, fn: (doc: Y.Doc) => T): T;
  /** Runs `fn` with the series' private notes loaded, or with null when it has none. */
  withPrivate<T>(seriesId: string, fn: (doc: Y.Doc | null) => T): T;
  /** The years of the series' archive documents on disk. */
  archiveYears(seriesId: string): Promise<number[]>;
  /** Runs `fn` with an archive document of the series loaded, or with null when it is not here. */
  withArchive<T>(seriesId: string, year: number, fn: (doc: Y.Doc | null) => T): T;
  updatedAt(seriesId: string): Promise<string>;
  userId(): string;
}

export interface ProjectorOptions {
  debounceMs: number;
  onProjected: (seriesIds: string[]) => void;
  log?: ProjectionLog;
  /** The projections to maintain (default: the registry). */
  projections?: readonly Projection[];
}

/** The documents as the core keeps them: series in the store's docs table, loaded through `docs`. */
export function storedDocuments(db: Kysely<Database>, docs: Pick<DocRegistry, 'with' | 'exists'>, userId: () => string): ProjectionSource {
  return {
    seriesIds: async () => (await db.selectFrom('docs').select('doc_id').where('kind', '=', 'series').execute()).map((r) => r.doc_id),
    withDoc: (id, fn) => docs.with(id, fn),
    withPrivate: (id, fn) => (docs.exists(privateDocId(id)) ? docs.with(privateDocId(id), fn) : fn(null)),
    archiveYears: async (id) =>
      (
        await db
          .selectFrom('docs')
          .select('doc_id')
          .where('kind', '=', ARCHIVE_DOC_KIND)
          .where('doc_id', 'like', `${id}.archive.%`)
          .execute()
      )
        .map((r) => parseArchiveDocId(r.doc_id))
        .filter((a) => a?.seriesId === id)
        .map((a) => a!.year)
        .sort((a, b) => a - b),
    withArchive: (id, year, fn) => (docs.exists(archiveDocId(id, year)) ? docs.with(archiveDocId(id, year), fn) : fn(null)),
    updatedAt: async (id) =>
      (await db.selectFrom('docs').select('updated_at').where('doc_id', '=', id).executeTakeFirstOrThrow()).updated_at,
    userId,
  };
}

const versionKey = (p: Projection) => `version:${p.name}`;

export class Projector {
  private readonly dirty = new Map<string, Changes>();
  /** Series projected in full by every projection since this process started: later changes are applied incrementally. */
  private readonly complete = new Set<string>();
  private readonly projections: readonly Projection[];
  private readonly log: ProjectionLog;
  private timer: NodeJS.Timeout | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly source: ProjectionSource,
    private readonly options: ProjectorOptions,
  ) {
    this.projections = options.projections ?? PROJECTIONS;
    this.log = options.log ?? silentLog;
  }

  /** Creates the tables and rebuilds the projections that are missing or outdated. Returns whether it rebuilt any. */
  ensure(): Promise<boolean> {
    return this.serially(async () => {
      const stored = await this.storedVersions();
      if (stored?.get('version') !== PROJECTION_VERSION) {
        await this.recreate(this.projections, true);
        return true;
      }
      const present = await this.existingTables();
      const stale = this.projections.filter((p) => stored.get(versionKey(p)) !== p.version || p.tables.some((t) => !present.has(t)));
      if (stale.length) await this.recreate(stale, false);
      return stale.length > 0;
    });
  }

  /** Drops every projection and rebuilds it from the documents. */
  rebuild(): Promise<void> {
    return this.serially(() => this.recreate(this.projections, true));
  }

  /**
   * Notes that a series changed; it is projected after a short debounce, or at the next flush.
   * With the transaction, only the entries it touched are projected again.
   */
  markDirty(seriesId: string, transaction?: Y.Transaction): void {
    this.enqueue(seriesId, (this.complete.has(seriesId) && transaction && touchedKeys(transaction)) || 'all');
  }

  /** Notes that a series' private notes (a document of their own) changed: the meetings touched, under the PRIVATE_NOTES root. */
  markPrivateDirty(seriesId: string, transaction: Y.Transaction): void {
    const touched = this.complete.has(seriesId) && touchedKeys(transaction);
    this.enqueue(seriesId, touched ? new Map([[PRIVATE_NOTES, new Set([...touched.values()].flatMap((keys) => [...keys]))]]) : 'all');
  }

  /** Notes that one of a series' archive documents changed: its touched keys, under that year's archive roots (archiveRoot). */
  markArchiveDirty(seriesId: string, year: number, transaction: Y.Transaction): void {
    const touched = this.complete.has(seriesId) && touchedKeys(transaction);
    this.enqueue(seriesId, touched ? new Map([...touched].map(([root, keys]) => [archiveRoot(year, root), keys])) : 'all');
  }

  private enqueue(seriesId: string, changes: Changes): void {
    this.dirty.set(seriesId, mergeChanges(this.dirty.get(seriesId), changes));
    if (!this.timer) {
      this.timer = setTimeout(
        () => this.flush().catch((error: unknown) => this.log.error({ error: (error as Error).message }, 'projection failed')),
        this.options.debounceMs,
      );
      this.timer.unref();
    }
  }

  /** Projects every series marked dirty; resolves once the tables reflect all earlier changes. */
  flush(): Promise<string[]> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    return this.serially(async () => {
      const batch = [...this.dirty];
      this.dirty.clear();
      for (const [id, changes] of batch) await this.projectReadable(id, this.complete.has(id) ? changes : 'all', this.projections);
      const ids = batch.map(([id]) => id);
      if (ids.length) this.options.onProjected(ids);
      return ids;
    });
  }

  /** Deletes every row of a series removed from this device, after any projection queued before. */
  forget(seriesId: string): Promise<void> {
    this.dirty.delete(seriesId);
    this.complete.delete(seriesId);
    return this.serially(() =>
      this.db.transaction().execute(async (tx) => {
        for (const p of this.projections) await p.remove(tx, seriesId);
      }),
    );
  }

  /** Runs `fn` after everything queued before it; a failure must not poison every later run. */
  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.catch(() => undefined).then(fn);
    this.queue = run;
    return run;
  }

  private async storedVersions(): Promise<Map<string, string> | null> {
    const rows = await this.db
      .selectFrom('projection_meta')
      .select(['key', 'value'])
      .execute()
      .catch(() => null);
    return rows && new Map(rows.map((r) => [r.key, r.value]));
  }

  private async existingTables(): Promise<Set<string>> {
    const rows = await sql<{ name: string }>`select name from sqlite_schema where type = 'table'`.execute(this.db);
    return new Set(rows.rows.map((r) => r.name));
  }

  /**
   * Recreates the tables of `projections` and projects every series into them. Their versions are
   * recorded last, so an interrupted rebuild is redone at the next start.
   */
  private async recreate(projections: readonly Projection[], everything: boolean): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      if (everything) {
        await tx.schema.dropTable('projection_meta').ifExists().execute();
        await tx.schema
          .createTable('projection_meta')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
      }
      for (const p of projections) {
        await tx.deleteFrom('projection_meta').where('key', '=', versionKey(p)).execute();
        for (const t of p.tables) await tx.schema.dropTable(t).ifExists().execute();
        await p.create(tx);
      }
    });
    for (const id of await this.source.seriesIds()) await this.projectReadable(id, 'all', projections);
    const versions = projections.map((p) => ({ key: versionKey(p), value: p.version }));
    if (everything) versions.push({ key: 'version', value: PROJECTION_VERSION });
    await this.db.insertInto('projection_meta').values(versions).execute();
  }

  /**
   * One unreadable or malformed document (a peer's bad data) must not hide the others or stop the
   * process; its previous rows stay, and opening it reports what is wrong.
   */
  private async projectReadable(seriesId: string, changes: Changes, projections: readonly Projection[]): Promise<void> {
    try {
      await this.project(seriesId, changes, projections);
      if (changes === 'all' && projections === this.projections) this.complete.add(seriesId);
    } catch (error) {
      // What was missed is unknown now: the next change projects this series in full.
      this.complete.delete(seriesId);
      const unreadable = error instanceof TandemError && error.code === 'storage';
      this.log[unreadable ? 'warn' : 'error']({ seriesId, error: (error as Error).message }, 'projection skipped a 1:1');
    }
  }

  private async project(seriesId: string, changes: Changes, projections: readonly Projection[]): Promise<void> {
    const ctx = {
      seriesId,
      userId: this.source.userId(),
      updatedAt: await this.source.updatedAt(seriesId),
      log: this.log,
      withPrivateNotes: <T>(fn: (doc: Y.Doc | null) => T): T => this.source.withPrivate(seriesId, fn),
      archiveYears: changes === 'all' ? await this.source.archiveYears(seriesId) : [],
      withArchive: <T>(year: number, fn: (doc: Y.Doc | null) => T): T => this.source.withArchive(seriesId, year, fn),
    };
    const writes = this.source.withDoc(seriesId, (doc) => projections.map((p) => p.read(doc, changes, ctx)));
    await this.db.transaction().execute(async (tx) => {
      for (const write of writes) await write?.(tx);
    });
  }
}
