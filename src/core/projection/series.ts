/**
 * The series list: one row per 1:1, seen from this device's user (who the other person is, my
 * role), with its next meeting and how many items wait for it. Any change to a 1:1 rewrites its
 * row (its updated_at moves with every change); reading it costs a pass over the 1:1's meetings.
 */
import type { Kysely } from 'kysely';
import * as Y from 'yjs';
import { z } from 'zod';
import { agendaMap, hasMeta, isOpenItem, meetingsMap, metaMap, perspective, readMeta } from '../../shared/domain/series-doc.js';
import { Cadence, Role, SeriesKind } from '../../shared/schemas.js';
import type { Database } from '../store/schema.js';
import { AgendaEntry } from './agenda.js';
import { MeetingEntry } from './meetings.js';
import { describeProblems, logSkippedRow, parseEntry, type Projection } from './projection.js';

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

export interface SeriesTables {
  series: SeriesTable;
}

const SeriesEntry = z.object({
  kind: SeriesKind,
  cadence: Cadence.default('weekly'),
  createdAt: z.string().default(''),
});

/** The other person and my role as read from the participants, which a peer writes too. */
const Perspective = z.object({ partnerName: z.string(), myRole: Role });

/** The earliest well-formed meeting still scheduled: the one the agenda is being built for. */
function nextMeetingAt(doc: Y.Doc): string | null {
  let next: { at: string; id: string } | null = null;
  for (const [id, value] of meetingsMap(doc).entries()) {
    if (!(value instanceof Y.Map) || value.get('status') !== 'scheduled') continue;
    const meeting = parseEntry(MeetingEntry, value);
    if (!('data' in meeting)) continue;
    const at = meeting.data.scheduledFor;
    if (!next || at < next.at || (at === next.at && id < next.id)) next = { at, id };
  }
  return next?.at ?? null;
}

/** Well-formed items for the next meeting (meetingId null) that are still open. */
function openItemCount(doc: Y.Doc): number {
  let count = 0;
  agendaMap(doc).forEach((value) => {
    if (!(value instanceof Y.Map) || (value.get('meetingId') ?? null) !== null) return;
    const item = parseEntry(AgendaEntry, value);
    if ('data' in item && isOpenItem(item.data)) count++;
  });
  return count;
}

export const seriesProjection: Projection = {
  name: 'series',
  version: '1',
  tables: ['series'],
  async create(db: Kysely<Database>) {
    await db.schema
      .createTable('series')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('cadence', 'text', (c) => c.notNull())
      .addColumn('partner_name', 'text', (c) => c.notNull())
      .addColumn('my_role', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('next_meeting_at', 'text')
      .addColumn('open_item_count', 'integer', (c) => c.notNull())
      .execute();
  },
  read(doc, _changes, ctx) {
    let row: SeriesTable | null = null;
    if (hasMeta(doc)) {
      const meta = parseEntry(SeriesEntry, metaMap(doc));
      const seen = Perspective.safeParse(perspective(readMeta(doc), ctx.userId));
      if (!('data' in meta)) logSkippedRow(ctx, 'series', ctx.seriesId, meta.problems);
      else if (!seen.success) logSkippedRow(ctx, 'series', ctx.seriesId, describeProblems(seen.error));
      else {
        row = {
          id: ctx.seriesId,
          kind: meta.data.kind,
          cadence: meta.data.cadence,
          partner_name: seen.data.partnerName,
          my_role: seen.data.myRole,
          created_at: meta.data.createdAt,
          updated_at: ctx.updatedAt,
          next_meeting_at: nextMeetingAt(doc),
          open_item_count: openItemCount(doc),
        };
      }
    }
    return async (tx) => {
      await tx.deleteFrom('series').where('id', '=', ctx.seriesId).execute();
      if (row) await tx.insertInto('series').values(row).execute();
    };
  },
};
