/**
 * The projection: plain tables (series, meetings, agenda items) derived from the documents so
 * that lists and pickers never load a Y.Doc. It is a cache. Its tables are owned here, not by the
 * migrations, and carry a version: when they are missing or older than this code, they are dropped,
 * recreated and rebuilt from the documents, which remain the only truth.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type * as Y from 'yjs';
import { TandemError } from '../../shared/errors.js';
import { hasMeta, listAgenda, listMeetings, nextMeeting, perspective, readMeta } from '../../shared/domain/series-doc.js';
import type { Database } from '../store/schema.js';

export const PROJECTION_VERSION = '1';
const TABLES = ['agenda_items', 'meetings', 'series', 'projection_meta'] as const;

export interface ProjectionSource {
  /** Ids of every series document on disk. */
  seriesIds(): Promise<string[]>;
  /** Runs `fn` with the series document loaded. */
  withDoc<T>(seriesId: string, fn: (doc: Y.Doc) => T): T;
  updatedAt(seriesId: string): Promise<string>;
  userId(): string;
}

export class Projector {
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<string[]> = Promise.resolve([]);

  constructor(
    private readonly db: Kysely<Database>,
    private readonly source: ProjectionSource,
    private readonly options: { debounceMs: number; onProjected: (seriesIds: string[]) => void },
  ) {}

  /** Creates the tables and rebuilds them when missing or outdated. Returns whether it rebuilt. */
  async ensure(): Promise<boolean> {
    const version = await this.db
      .selectFrom('projection_meta')
      .select('value')
      .where('key', '=', 'version')
      .executeTakeFirst()
      .catch(() => undefined);
    const tables = await sql<{
      n: number;
    }>`select count(*) as n from sqlite_schema where type = 'table' and name in (${sql.join(TABLES)})`.execute(this.db);
    if (version?.value === PROJECTION_VERSION && tables.rows[0]?.n === TABLES.length) return false;
    await this.rebuild();
    return true;
  }

  async rebuild(): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      for (const t of TABLES) await tx.schema.dropTable(t).ifExists().execute();
      await createTables(tx);
      await tx.insertInto('projection_meta').values({ key: 'version', value: PROJECTION_VERSION }).execute();
    });
    for (const id of await this.source.seriesIds()) await this.projectReadable(id);
  }

  /** Notes that a series changed; it is projected after a short debounce, or at the next flush. */
  markDirty(seriesId: string): void {
    this.dirty.add(seriesId);
    if (!this.timer) {
      this.timer = setTimeout(
        () => this.flush().catch((error: unknown) => console.error(`[projection] ${(error as Error).message}`)),
        this.options.debounceMs,
      );
      this.timer.unref();
    }
  }

  /** Projects every series marked dirty; resolves once the tables reflect all earlier changes. */
  flush(): Promise<string[]> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // A failed flush must not poison every later one: each starts from a settled chain.
    this.flushing = this.flushing
      .catch(() => [])
      .then(async () => {
        const ids = [...this.dirty];
        this.dirty.clear();
        for (const id of ids) await this.projectReadable(id);
        if (ids.length) this.options.onProjected(ids);
        return ids;
      });
    return this.flushing;
  }

  /**
   * One unreadable or malformed document (a peer's bad data) must not hide the others or stop the
   * process; its previous row stays, and opening it reports what is wrong.
   */
  private async projectReadable(seriesId: string): Promise<void> {
    try {
      await this.project(seriesId);
    } catch (error) {
      if (!(error instanceof TandemError && error.code === 'storage')) {
        console.error(`[projection] 1:1 ${seriesId} skipped: ${(error as Error).message}`);
      }
    }
  }

  private async project(seriesId: string): Promise<void> {
    const userId = this.source.userId();
    const rows = this.source.withDoc(seriesId, (doc) => {
      if (!hasMeta(doc)) return null;
      const meta = readMeta(doc);
      const { partnerName, myRole } = perspective(meta, userId);
      const meetings = listMeetings(doc);
      const next = nextMeeting(doc);
      const agenda = listAgenda(doc);
      return { meta, partnerName, myRole, meetings, next, agenda };
    });
    const updatedAt = await this.source.updatedAt(seriesId);
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('agenda_items').where('series_id', '=', seriesId).execute();
      await tx.deleteFrom('meetings').where('series_id', '=', seriesId).execute();
      await tx.deleteFrom('series').where('id', '=', seriesId).execute();
      if (!rows) return;
      await tx
        .insertInto('series')
        .values({
          id: seriesId,
          kind: rows.meta.kind,
          cadence: rows.meta.cadence,
          partner_name: rows.partnerName,
          my_role: rows.myRole,
          created_at: rows.meta.createdAt,
          updated_at: updatedAt,
          next_meeting_at: rows.next?.scheduledFor ?? null,
          open_item_count: rows.agenda.filter((i) => i.meetingId === null && i.state === 'open').length,
        })
        .execute();
      for (const chunk of chunks(rows.meetings, 500)) {
        await tx
          .insertInto('meetings')
          .values(chunk.map((m) => ({ id: m.id, series_id: seriesId, scheduled_for: m.scheduledFor, status: m.status })))
          .execute();
      }
      for (const chunk of chunks(rows.agenda, 500)) {
        await tx
          .insertInto('agenda_items')
          .values(
            chunk.map((i) => ({
              id: i.id,
              series_id: seriesId,
              meeting_id: i.meetingId,
              title: i.title,
              purpose: i.purpose,
              is_async: i.async ? 1 : 0,
              state: i.state,
              order_key: i.order,
              author_id: i.authorId,
              created_at: i.createdAt,
            })),
          )
          .execute();
      }
    });
  }
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

async function createTables(tx: Transaction<Database>): Promise<void> {
  await tx.schema
    .createTable('projection_meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await tx.schema
    .createTable('series')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('cadence', 'text', (c) => c.notNull())
    .addColumn('partner_name', 'text', (c) => c.notNull())
    .addColumn('my_role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('next_meeting_at', 'text')
    .addColumn('open_item_count', 'integer', (c) => c.notNull())
    .execute();
  await tx.schema
    .createTable('meetings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('series_id', 'text', (c) => c.notNull())
    .addColumn('scheduled_for', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .execute();
  await tx.schema.createIndex('meetings_by_series').on('meetings').columns(['series_id', 'scheduled_for']).execute();
  await tx.schema
    .createTable('agenda_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('series_id', 'text', (c) => c.notNull())
    .addColumn('meeting_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('is_async', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('order_key', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await tx.schema.createIndex('agenda_by_series').on('agenda_items').columns(['series_id', 'meeting_id', 'order_key']).execute();
}
