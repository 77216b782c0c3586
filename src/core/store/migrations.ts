/**
 * Durable schema, as kysely migrations. Each migration is named by its order and never edited
 * once released: a change is a new migration, tested from an empty database and from each older one.
 */
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { createDocTables } from '../../shared/docstore/tables.js';

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
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the database to the newest schema; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
