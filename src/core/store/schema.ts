/**
 * Table types for kysely. Durable tables (settings, docs, doc_updates) change only through
 * migrations; projection tables are a cache the projector owns and rebuilds (see projector.ts).
 */
import type { Generated } from 'kysely';

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

export interface ProjectionMetaTable {
  key: string;
  value: string;
}

export interface SeriesTable {
  id: string;
  kind: string;
  cadence: string;
  partner_name: string;
  my_role: string;
  created_at: string;
  updated_at: string;
  next_meeting_at: string | null;
  open_item_count: number;
}

export interface MeetingsTable {
  id: string;
  series_id: string;
  scheduled_for: string;
  status: string;
}

export interface AgendaItemsTable {
  id: string;
  series_id: string;
  meeting_id: string | null;
  title: string;
  purpose: string;
  is_async: Generated<number>;
  state: string;
  order_key: string;
  author_id: string;
  created_at: string;
}

export interface Database {
  settings: SettingsTable;
  docs: DocsTable;
  doc_updates: DocUpdatesTable;
  shares: SharesTable;
  projection_meta: ProjectionMetaTable;
  series: SeriesTable;
  meetings: MeetingsTable;
  agenda_items: AgendaItemsTable;
}
