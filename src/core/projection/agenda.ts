/**
 * Agenda items: one row per item of every 1:1, for lists, pickers and (later) search and insights.
 */
import { generateKeyBetween } from 'fractional-indexing';
import type { Generated, Kysely } from 'kysely';
import { z } from 'zod';
import { agendaMap } from '../../shared/domain/series-doc.js';
import { AgendaState, Purpose } from '../../shared/schemas.js';
import type { Database } from '../store/schema.js';
import { keyedTableProjection } from './keyed-table.js';
import { parseEntry } from './projection.js';

export interface AgendaItemsTable {
  series_id: string;
  id: string;
  meeting_id: string | null;
  title: string;
  purpose: string;
  is_async: Generated<number>;
  state: string;
  order_key: string;
  author_id: string;
  created_at: string;
}

export interface AgendaTables {
  agenda_items: AgendaItemsTable;
}

/** Whether `key` is a fractional-index key, the only kind of order the agenda sorts by. */
function isOrderKey(key: string): boolean {
  try {
    generateKeyBetween(null, key);
    return true;
  } catch {
    return false;
  }
}

/** An item as the domain writes it; missing fields take the defaults the domain reads them with. */
export const AgendaEntry = z.object({
  title: z.string().default(''),
  purpose: Purpose.default('status'),
  async: z.boolean().default(false),
  authorId: z.string().default(''),
  createdAt: z.string().default(''),
  meetingId: z.string().nullable().default(null),
  state: AgendaState.default('open'),
  order: z.string().refine(isOrderKey, 'not a fractional-index key'),
});

export const agendaProjection = keyedTableProjection({
  name: 'agenda',
  version: '1',
  table: 'agenda_items',
  entries: agendaMap,
  async create(db: Kysely<Database>) {
    await db.schema
      .createTable('agenda_items')
      .addColumn('series_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('meeting_id', 'text')
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
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
    const entry = parseEntry(AgendaEntry, value);
    if (!('data' in entry)) return entry;
    const i = entry.data;
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
