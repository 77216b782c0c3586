/**
 * The series list: one row per 1:1, seen from this device's user (who the other person is, my
 * role), with its next meeting and how many items wait for it. Any change to a 1:1 rewrites its
 * row (its updated_at moves with every change); reading it costs a pass over the 1:1's meetings
 * and a look at each item's meeting.
 */
import type { Kysely } from 'kysely';
import type * as Y from 'yjs';
import { agendaFor, hasMeta, isOpenItem, nextMeeting, perspective, readMeta } from '../../shared/domain/series-doc.js';
import { TandemError } from '../../shared/errors.js';
import type { Database } from '../store/schema.js';
import { logSkippedRow, type ProjectContext, type Projection } from './projection.js';

export interface SeriesTable {
  id: string;
  kind: string;
  cadence: string;
  title: string;
  state: string;
  partner_name: string;
  my_role: string;
  created_at: string;
  updated_at: string;
  next_meeting_at: string | null;
  open_item_count: number;
}

export interface SeriesTables {
  series: SeriesTable;
}

/** Readable items for the next meeting that still wait to be discussed. */
const openItemCount = (doc: Y.Doc): number => agendaFor(doc, null).filter(isOpenItem).length;

function seriesRow(doc: Y.Doc, ctx: ProjectContext): SeriesTable | null {
  if (!hasMeta(doc)) return null;
  try {
    const meta = readMeta(doc);
    const { partnerName, myRole } = perspective(meta, ctx.userId);
    return {
      id: ctx.seriesId,
      kind: meta.kind,
      cadence: meta.cadence.pattern,
      title: meta.title,
      state: meta.state,
      partner_name: partnerName,
      my_role: myRole,
      created_at: meta.createdAt,
      updated_at: ctx.updatedAt,
      next_meeting_at: nextMeeting(doc)?.scheduledFor ?? null,
      open_item_count: openItemCount(doc),
    };
  } catch (error) {
    // readMeta refuses a 1:1 whose details a peer damaged; its message names the part, not the content.
    if (!(error instanceof TandemError && error.code === 'invalid-input')) throw error;
    logSkippedRow(ctx, 'series', ctx.seriesId, [error.message]);
    return null;
  }
}

export const seriesProjection: Projection = {
  name: 'series',
  version: '2',
  tables: ['series'],
  async create(db: Kysely<Database>) {
    await db.schema
      .createTable('series')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('cadence', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('partner_name', 'text', (c) => c.notNull())
      .addColumn('my_role', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('next_meeting_at', 'text')
      .addColumn('open_item_count', 'integer', (c) => c.notNull())
      .execute();
  },
  async remove(tx, seriesId) {
    await tx.deleteFrom('series').where('id', '=', seriesId).execute();
  },
  read(doc, _changes, ctx) {
    const row = seriesRow(doc, ctx);
    return async (tx) => {
      await tx.deleteFrom('series').where('id', '=', ctx.seriesId).execute();
      if (row) await tx.insertInto('series').values(row).execute();
    };
  },
};
