/**
 * Full-text search over every 1:1 and its archived years: agenda items (title and context), shared
 * notes, check-ins (the prompt and each person's line), next steps and, on this device only,
 * private notes. One row per searchable entry in `search_entries`, keyed by 1:1 and `key`
 * (`item:<id>`, `notes:<meetingId>`, `check-in:<meetingId>`, `step:<id>`, `private:<meetingId>`;
 * an archive document's entries prefixed by its year, `2024/notes:<meetingId>`), and an
 * external-content FTS5 index over it kept in step by triggers, so replacing a row by key is an
 * indexed delete and an insert. Private notes and archives live in documents of their own: the
 * projector passes their changes under the PRIVATE_NOTES root and the archive roots (archiveRoot).
 */
import { sql, type Generated, type Kysely } from 'kysely';
import * as Y from 'yjs';
import type { SearchResult } from '../../shared/api.js';
import { checkInPromptFor } from '../../shared/domain/check-in-prompts.js';
import { readCheckIns, readNextStep } from '../../shared/domain/meetings.js';
import { notesText } from '../../shared/domain/notes-text.js';
import { privateNotes } from '../../shared/domain/private-notes.js';
import { actionsMap, agendaMap, meetingsMap, readItem, readMeeting } from '../../shared/domain/series-doc.js';
import type { Database } from '../store/schema.js';
import { chunks, parseArchiveRoot, rootName, type Projection } from './projection.js';

/** The root name under which changes to a 1:1's private notes reach the projections. */
export const PRIVATE_NOTES = 'privateNotes';

export type SearchKind = SearchResult['kind'];

export interface SearchEntriesTable {
  n: Generated<number>;
  series_id: string;
  key: string;
  kind: SearchKind;
  /** The meeting the entry belongs to (null: an item waiting for the next meeting). */
  meeting_id: string | null;
  /** The entry's own id: an item or a next step (null for notes and check-ins). */
  entry_id: string | null;
  purpose: string | null;
  created_at: string;
  title: string;
  body: string;
}

export interface SearchTables {
  search_entries: SearchEntriesTable;
}

type Row = Omit<SearchEntriesTable, 'n'>;

function meetingRows(doc: Y.Doc, seriesId: string, prefix: string, meetingId: string): Row[] {
  const meeting = readMeeting(meetingId, meetingsMap(doc).get(meetingId));
  const m = meetingsMap(doc).get(meetingId);
  if ('reason' in meeting || !(m instanceof Y.Map)) return [];
  const base = { series_id: seriesId, meeting_id: meetingId, entry_id: null, purpose: null, created_at: meeting.scheduledFor, title: '' };
  const rows: Row[] = [];
  const notes = m.get('notes');
  const text = notes instanceof Y.XmlFragment ? notesText(notes) : '';
  if (text) rows.push({ ...base, key: `${prefix}notes:${meetingId}`, kind: 'notes', body: text });
  const { byUser, shared } = readCheckIns(doc, meetingId);
  const lines = [...Object.values(byUser), shared].filter(Boolean);
  if (lines.length)
    rows.push({
      ...base,
      key: `${prefix}check-in:${meetingId}`,
      kind: 'check-in',
      title: checkInPromptFor(doc, meetingId),
      body: lines.join('\n'),
    });
  return rows;
}

function itemRow(seriesId: string, prefix: string, id: string, value: unknown): Row | null {
  const item = readItem(id, value);
  if ('reason' in item) return null;
  return {
    series_id: seriesId,
    key: `${prefix}item:${id}`,
    kind: 'item',
    meeting_id: item.meetingId,
    entry_id: id,
    purpose: item.purpose,
    created_at: item.createdAt,
    title: item.title,
    body: item.context,
  };
}

function stepRow(seriesId: string, prefix: string, id: string, value: unknown): Row | null {
  const step = readNextStep(id, value);
  if (!step?.text) return null;
  return {
    series_id: seriesId,
    key: `${prefix}step:${id}`,
    kind: 'step',
    meeting_id: step.meetingId,
    entry_id: id,
    purpose: null,
    created_at: step.createdAt,
    title: step.text,
    body: '',
  };
}

type Keys = 'all' | ReadonlySet<string> | undefined;

/**
 * The rows of the touched entries of one document of a 1:1 (its series document, or an archive
 * document with its keys prefixed by the year: a meeting being moved is briefly in both, and each
 * document's rows must come and go with that document's entries), and the keys they replace.
 */
function documentRows(doc: Y.Doc, seriesId: string, prefix: string, keysOf: (root: string) => Keys, rows: Row[], removed: string[]): void {
  const each = (map: Y.Map<unknown>, fallback: string, fn: (id: string) => void) => {
    const keys = keysOf(rootName(doc, map) ?? fallback);
    if (keys) for (const id of keys === 'all' ? map.keys() : keys) fn(id);
  };
  const keep = (row: Row | null) => row && rows.push(row);
  each(agendaMap(doc), 'agenda', (id) => {
    removed.push(`${prefix}item:${id}`);
    keep(itemRow(seriesId, prefix, id, agendaMap(doc).get(id)));
  });
  each(meetingsMap(doc), 'meetings', (id) => {
    removed.push(`${prefix}notes:${id}`, `${prefix}check-in:${id}`);
    rows.push(...meetingRows(doc, seriesId, prefix, id));
  });
  each(actionsMap(doc), 'actions', (id) => {
    removed.push(`${prefix}step:${id}`);
    keep(stepRow(seriesId, prefix, id, actionsMap(doc).get(id)));
  });
}

/** Dated at search time by its meeting (in the series or an archive): a date kept here would go stale when the meeting moves. */
function privateRow(doc: Y.Doc | null, seriesId: string, meetingId: string): Row | null {
  const fragment = doc && privateNotes(doc, meetingId);
  const text = fragment ? notesText(fragment) : '';
  if (!text) return null;
  return {
    series_id: seriesId,
    key: `private:${meetingId}`,
    kind: 'private',
    meeting_id: meetingId,
    entry_id: null,
    purpose: null,
    created_at: '',
    title: '',
    body: text,
  };
}

export const searchProjection: Projection = {
  name: 'search',
  version: '2',
  tables: ['search_entries', 'search_fts'],
  async create(db: Kysely<Database>) {
    await db.schema
      .createTable('search_entries')
      .addColumn('n', 'integer', (c) => c.primaryKey())
      .addColumn('series_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('meeting_id', 'text')
      .addColumn('entry_id', 'text')
      .addColumn('purpose', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addUniqueConstraint('search_entries_key', ['series_id', 'key'])
      .execute();
    // Diacritics folded, so "resume" finds "résumé"; prefixes of two and three letters indexed for search as you type.
    await sql`create virtual table search_fts using fts5(title, body, content='search_entries', content_rowid='n', tokenize='unicode61 remove_diacritics 2', prefix='2 3')`.execute(
      db,
    );
    // The rank FTS5 sorts by: bm25 with a hit in a title worth four in a body.
    await sql`insert into search_fts(search_fts, rank) values ('rank', 'bm25(4.0, 1.0)')`.execute(db);
    await sql`create trigger search_entries_ai after insert on search_entries begin
      insert into search_fts(rowid, title, body) values (new.n, new.title, new.body); end`.execute(db);
    await sql`create trigger search_entries_ad after delete on search_entries begin
      insert into search_fts(search_fts, rowid, title, body) values ('delete', old.n, old.title, old.body); end`.execute(db);
  },
  async remove(tx, seriesId) {
    await tx.deleteFrom('search_entries').where('series_id', '=', seriesId).execute();
  },
  read(doc, changes, ctx) {
    const keysOf = (root: string): Keys => (changes === 'all' ? 'all' : changes.get(root));
    const archived = new Map<number, Map<string, ReadonlySet<string>>>();
    if (changes !== 'all') {
      for (const [name, keys] of changes) {
        const at = parseArchiveRoot(name);
        if (!at) continue;
        const roots = archived.get(at.year) ?? new Map<string, ReadonlySet<string>>();
        archived.set(at.year, roots.set(at.root, keys));
      }
    }
    const years = changes === 'all' ? ctx.archiveYears : [...archived.keys()];
    const privates = keysOf(PRIVATE_NOTES);
    const rows: Row[] = [];
    const removed: string[] = [];
    documentRows(doc, ctx.seriesId, '', keysOf, rows, removed);
    for (const year of years) {
      const archiveKeys = (root: string): Keys => (changes === 'all' ? 'all' : archived.get(year)?.get(root));
      ctx.withArchive(year, (archive) => archive && documentRows(archive, ctx.seriesId, `${year}/`, archiveKeys, rows, removed));
    }
    if (privates) {
      ctx.withPrivateNotes((privateDoc) => {
        const ids = privates === 'all' ? [...(privateDoc?.getMap('notes').keys() ?? [])] : [...privates];
        for (const id of ids) {
          removed.push(`private:${id}`);
          const row = privateRow(privateDoc, ctx.seriesId, id);
          if (row) rows.push(row);
        }
      });
    }
    if (changes !== 'all' && removed.length === 0) return null;

    return async (tx) => {
      if (changes === 'all') await tx.deleteFrom('search_entries').where('series_id', '=', ctx.seriesId).execute();
      else {
        for (const keys of chunks(removed, 500)) {
          await tx.deleteFrom('search_entries').where('series_id', '=', ctx.seriesId).where('key', 'in', keys).execute();
        }
      }
      for (const chunk of chunks(rows, 500)) await tx.insertInto('search_entries').values(chunk).execute();
    };
  },
};
