/**
 * The two tables an UpdateLog needs, shared by the core's and the relay's first migration.
 * Frozen: later changes to these tables are new migrations in each database, never edits here.
 */
import { sql, type Kysely } from 'kysely';

export async function createDocTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('docs')
    .addColumn('doc_id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'blob')
    .addColumn('snapshot_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('doc_updates')
    .addColumn('doc_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('update', 'blob', (c) => c.notNull())
    .addPrimaryKeyConstraint('doc_updates_pk', ['doc_id', 'seq'])
    .modifyEnd(sql`without rowid`)
    .execute();
}
