/**
 * Actions (next steps agreed in a meeting): one row per action of every 1:1.
 */
import type { Kysely } from 'kysely';
import * as Y from 'yjs';
import { z } from 'zod';
import { actionsMap } from '../../shared/domain/series-doc.js';
import type { Database } from '../store/schema.js';
import { keyedTableProjection } from './keyed-table.js';

export interface ActionsTable {
  series_id: string;
  id: string;
  text: string;
  owner_id: string;
  due: string | null;
  done: number;
  done_at: string | null;
  meeting_id: string | null;
}

export interface ActionsTables {
  actions: ActionsTable;
}

const ActionEntry = z.object({
  text: z.string().default(''),
  ownerId: z.string().default(''),
  due: z.string().nullable().default(null),
  done: z.boolean().default(false),
  doneAt: z.string().nullable().default(null),
  meetingId: z.string().nullable().default(null),
});

/** An action's fields as stored: text types as their string, everything else as written, for the schema to judge. */
function readAction(value: unknown): z.ZodSafeParseResult<z.output<typeof ActionEntry>> | null {
  if (!(value instanceof Y.Map)) return null;
  const field = (k: string) => {
    const v: unknown = value.get(k);
    return v instanceof Y.Text ? v.toString() : v;
  };
  return ActionEntry.safeParse(Object.fromEntries(Object.keys(ActionEntry.shape).map((k) => [k, field(k)])));
}

export const actionsProjection = keyedTableProjection({
  name: 'actions',
  version: '1',
  table: 'actions',
  entries: actionsMap,
  async create(db: Kysely<Database>) {
    await db.schema
      .createTable('actions')
      .addColumn('series_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('due', 'text')
      .addColumn('done', 'integer', (c) => c.notNull())
      .addColumn('done_at', 'text')
      .addColumn('meeting_id', 'text')
      .addPrimaryKeyConstraint('actions_key', ['series_id', 'id'])
      .execute();
  },
  row(seriesId, id, value) {
    const entry = readAction(value);
    if (!entry) return { problems: ['action is not a map'] };
    // Field names and issue codes only: never the value a peer wrote.
    if (!entry.success) return { problems: entry.error.issues.map((i) => `${i.path.join('.')} ${i.code}`) };
    const a = entry.data;
    return {
      row: {
        series_id: seriesId,
        id,
        text: a.text,
        owner_id: a.ownerId,
        due: a.due,
        done: a.done ? 1 : 0,
        done_at: a.doneAt,
        meeting_id: a.meetingId,
      },
    };
  },
});
