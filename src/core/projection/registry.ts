/**
 * Every projection, in the order they are written. Adding one (an FTS5 index, insight tables) is
 * a module owning its tables and version, listed here, and its table types added to
 * ProjectionTables.
 */
import type { ActionsTables } from './actions.js';
import type { ArchivedMeetingsTables } from './archived-meetings.js';
import { archivedMeetingsProjection } from './archived-meetings.js';
import { actionsProjection } from './actions.js';
import type { AgendaTables } from './agenda.js';
import { agendaProjection } from './agenda.js';
import type { MeetingsTables } from './meetings.js';
import { meetingsProjection } from './meetings.js';
import type { Projection } from './projection.js';
import type { SearchTables } from './search.js';
import { searchProjection } from './search.js';
import type { SeriesTables } from './series.js';
import { seriesProjection } from './series.js';

export const PROJECTIONS: readonly Projection[] = [
  seriesProjection,
  meetingsProjection,
  archivedMeetingsProjection,
  agendaProjection,
  actionsProjection,
  searchProjection,
];

/** The projector's own table: the version each projection's tables were built with. */
export interface ProjectionMetaTable {
  key: string;
  value: string;
}

export type ProjectionTables = { projection_meta: ProjectionMetaTable } & SeriesTables &
  MeetingsTables &
  ArchivedMeetingsTables &
  AgendaTables &
  ActionsTables &
  SearchTables;
