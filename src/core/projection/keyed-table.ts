/**
 * A projection of one top-level map of the document (meetings, agenda, actions) into one table
 * with a row per entry, keyed by (series_id, id): ids are random, but a peer can write any id, and
 * one 1:1's entry must never collide with another's.
 */
import type { Kysely } from 'kysely';
import type * as Y from 'yjs';
import type { Database } from '../store/schema.js';
import { chunks, logSkippedRow, rootName, type Projection } from './projection.js';

/** The rows every keyed table has; its other columns are the projection's own. */
export interface KeyedRow {
  series_id: string;
  id: string;
}

/** An entry's row, or why it cannot be one (which field is wrong, never its content). */
export type RowOrProblems<R> = { row: R } | { problems: string[] };

export interface KeyedTableSpec<R extends KeyedRow> {
  name: string;
  version: string;
  table: string;
  /** The top-level map whose entries become rows. */
  entries(doc: Y.Doc): Y.Map<unknown>;
  create(db: Kysely<Database>): Promise<void>;
  row(seriesId: string, id: string, value: unknown): RowOrProblems<R>;
}

/** Rows are replaced by key: delete what may have changed, insert what is there now and well formed. */
export function keyedTableProjection<R extends KeyedRow>(spec: KeyedTableSpec<R>): Projection {
  return {
    name: spec.name,
    version: spec.version,
    tables: [spec.table],
    create: spec.create,
    async remove(tx, seriesId) {
      await (tx as unknown as Kysely<Record<string, KeyedRow>>).deleteFrom(spec.table).where('series_id', '=', seriesId).execute();
    },
    read(doc, changes, ctx) {
      const map = spec.entries(doc);
      const keys = changes === 'all' ? 'all' : changes.get(rootName(doc, map) ?? '');
      if (keys === undefined) return null;
      const rows: R[] = [];
      for (const id of keys === 'all' ? map.keys() : keys) {
        const value: unknown = map.get(id);
        if (value === undefined) continue;
        const result = spec.row(ctx.seriesId, id, value);
        if ('row' in result) rows.push(result.row);
        else logSkippedRow(ctx, spec.table, id, result.problems);
      }
      return async (tx) => {
        // Every keyed table has these two columns; kysely cannot see that through a table name it only knows as a string.
        const db = tx as unknown as Kysely<Record<string, KeyedRow>>;
        if (keys === 'all') await db.deleteFrom(spec.table).where('series_id', '=', ctx.seriesId).execute();
        else {
          for (const ids of chunks([...keys], 500)) {
            await db.deleteFrom(spec.table).where('series_id', '=', ctx.seriesId).where('id', 'in', ids).execute();
          }
        }
        for (const chunk of chunks(rows, 500)) await db.insertInto(spec.table).values(chunk).execute();
      };
    },
  };
}
