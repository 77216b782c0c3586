/**
 * Table types for kysely. Durable tables (settings, docs, doc_updates, shares, health_parts) change only through
 * migrations; projection tables are a cache, each owned (with its type) by its projection module
 * under ../projection and rebuilt when its version changes.
 */
import type { ProjectionTables } from '../projection/registry.js';

export interface SettingsTable {
  key: string;
  value: string;
}

export interface DocsTable {
  doc_id: string;
  /** `series` documents are shared; later kinds (private notes) never leave the device. */
  kind: string;
  snapshot: Uint8Array | null;
  /** Every update with seq <= snapshot_seq is contained in the snapshot. */
  snapshot_seq: number;
  updated_at: string;
}

export interface DocUpdatesTable {
  doc_id: string;
  seq: number;
  update: Uint8Array;
}

export interface SharesTable {
  series_id: string;
  relay_url: string;
  relay_key: string | null;
  secret: string;
  created_at: string;
}

/**
 * Each document's part of a 1:1's health history, as its insights read it (features/insights/
 * queries.ts): derived data, kept so that a restart need not load every document again.
 */
export interface HealthPartsTable {
  doc_id: string;
  /** Everything the part was computed from (the document's version among it); another key means it is stale. */
  key: string;
  /** JSON, validated when read back. */
  part: string;
}

export interface DurableTables {
  settings: SettingsTable;
  docs: DocsTable;
  doc_updates: DocUpdatesTable;
  shares: SharesTable;
  health_parts: HealthPartsTable;
}

export type Database = DurableTables & ProjectionTables;
