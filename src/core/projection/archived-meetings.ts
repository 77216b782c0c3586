/**
 * Archived meetings: one row per meeting that moved to an archive document (shared/domain/archive.ts),
 * from the series document's index, so lists of past meetings need no archive loaded. With the
 * meetings table, every meeting a 1:1 ever had.
 */
import type { Kysely } from 'kysely';
import { archivedMap, readArchivedEntry } from '../../shared/domain/archive.js';
import type { Database } from '../store/schema.js';
import { keyedTableProjection } from './keyed-table.js';

export interface ArchivedMeetingsTable {
  series_id: string;
  id: string;
  /** The year of the archive document holding it. */
  year: number;
  scheduled_for: string;
  status: string;
}

export interface ArchivedMeetingsTables {
  archived_meetings: ArchivedMeetingsTable;
}

export const archivedMeetingsProjection = keyedTableProjection({
  name: 'archived_meetings',
  version: '1',
  table: 'archived_meetings',
  entries: archivedMap,
  async create(db: Kysely<Database>) {
    await db.schema
      .createTable('archived_meetings')
      .addColumn('series_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('scheduled_for', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('archived_meetings_key', ['series_id', 'id'])
      .execute();
  },
  row(seriesId, id, value) {
    const entry = readArchivedEntry(id, value);
    if (!entry) return { problems: ['archived meeting is malformed'] };
    return { row: { series_id: seriesId, id, year: entry.year, scheduled_for: entry.scheduledFor, status: entry.status } };
  },
});
