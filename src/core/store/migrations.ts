/**
 * Durable schema, as kysely migrations. Each migration is named by its order and never edited
 * once released: a change is a new migration, tested from an empty database and from each older one.
 */
import type { Kysely, Migration } from 'kysely';
import { createDocTables } from '../../node/docstore/tables.js';

export const migrations: Record<string, Migration> = {
  '0001_documents_and_settings': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await createDocTables(db);
    },
  },
  '0002_shares': {
    async up(db: Kysely<unknown>) {
      // Room secrets stay on this device, in a data directory only its user can read.
      await db.schema
        .createTable('shares')
        .addColumn('series_id', 'text', (c) => c.primaryKey())
        .addColumn('relay_url', 'text', (c) => c.notNull())
        .addColumn('relay_key', 'text')
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0003_health_parts': {
    async up(db: Kysely<unknown>) {
      // Derived from the documents and private to this device: a row names the document's
      // version it was read at, and goes with the document (the cascade runs in the very
      // transaction that removes it, so a document created again under the same id never meets
      // a part of its earlier life).
      await db.schema
        .createTable('health_parts')
        .addColumn('doc_id', 'text', (c) => c.primaryKey().references('docs.doc_id').onDelete('cascade'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('part', 'text', (c) => c.notNull())
        .execute();
    },
  },
};
