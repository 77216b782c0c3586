/**
 * Meetings: one row per meeting of every 1:1 (when, and whether it was held), for lists and the
 * next-meeting column of the series list.
 */
import type { Kysely } from 'kysely';
import { meetingsMap, readMeeting } from '../../shared/domain/series-doc.js';
import type { Database } from '../store/schema.js';
import { keyedTableProjection } from './keyed-table.js';

export interface MeetingsTable {
  series_id: string;
  id: string;
  scheduled_for: string;
  status: string;
}

export interface MeetingsTables {
  meetings: MeetingsTable;
}

export const meetingsProjection = keyedTableProjection({
  name: 'meetings',
  version: '1',
  table: 'meetings',
  entries: meetingsMap,
  async create(db: Kysely<Database>) {
    await db.schema
      .createTable('meetings')
      .addColumn('series_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('scheduled_for', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('meetings_key', ['series_id', 'id'])
      .execute();
    await db.schema.createIndex('meetings_by_series').on('meetings').columns(['series_id', 'scheduled_for']).execute();
  },
  row(seriesId, id, value) {
    const m = readMeeting(id, value);
    if ('reason' in m) return { problems: [m.reason] };
    return { row: { series_id: seriesId, id, scheduled_for: m.scheduledFor, status: m.status } };
  },
});
