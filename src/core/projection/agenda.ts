/**
 * Agenda items: one row per item of every 1:1, for lists, pickers and (later) search and insights.
 */
import type { Generated, Kysely } from 'kysely';
import { agendaMap, readItem } from '../../shared/domain/series-doc.js';
import type { Database } from '../store/schema.js';
import { keyedTableProjection } from './keyed-table.js';

export interface AgendaItemsTable {
  series_id: string;
  id: string;
  meeting_id: string | null;
  title: string;
  /** null: no purpose chosen. */
  purpose: string | null;
  is_async: Generated<number>;
  state: string;
  order_key: string;
  author_id: string;
  created_at: string;
}

export interface AgendaTables {
  agenda_items: AgendaItemsTable;
}

export const agendaProjection = keyedTableProjection({
  name: 'agenda',
  version: '2',
  table: 'agenda_items',
  entries: agendaMap,
  async create(db: Kysely<Database>) {
    await db.schema
      .createTable('agenda_items')
      .addColumn('series_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('meeting_id', 'text')
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text')
      .addColumn('is_async', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('order_key', 'text', (c) => c.notNull())
      .addColumn('author_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('agenda_items_key', ['series_id', 'id'])
      .execute();
    await db.schema.createIndex('agenda_by_series').on('agenda_items').columns(['series_id', 'meeting_id', 'order_key']).execute();
  },
  row(seriesId, id, value) {
    const i = readItem(id, value);
    if ('reason' in i) return { problems: [i.reason] };
    return {
      row: {
        series_id: seriesId,
        id,
        meeting_id: i.meetingId,
        title: i.title,
        purpose: i.purpose,
        is_async: i.async ? 1 : 0,
        state: i.state,
        order_key: i.order,
        author_id: i.authorId,
        created_at: i.createdAt,
      },
    };
  },
});
