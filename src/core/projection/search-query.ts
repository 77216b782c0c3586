/**
 * Search across every 1:1 from the FTS5 index the search projection keeps (search.ts): ranked by
 * bm25 (a hit in a title weighs more than one in a body: the index's rank, see search.ts), each result with its title and a
 * snippet cut into plain and matched parts, so no markup crosses to the window.
 */
import { sql, type Kysely } from 'kysely';
import type { SearchResult, TextPart } from '../../shared/api.js';
import { SearchInput } from '../../shared/schemas.js';
import type { Database } from '../store/schema.js';
import type { SearchKind } from './search.js';

/** How many of the newest matches are ranked by bm25. */
export const CANDIDATES = 250;

const OPEN = '\u0001';
const CLOSE = '\u0002';

/** Words of the query as FTS5 strings (quoted, so no word is read as an operator); the last one as a prefix, for search as you type. */
export function ftsQuery(query: string): string | null {
  const words = query.match(/[\p{L}\p{N}]+/gu);
  if (!words) return null;
  return words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

function parts(marked: string): TextPart[] {
  const out: TextPart[] = [];
  for (const [k, piece] of marked.split(new RegExp(`[${OPEN}${CLOSE}]`)).entries()) if (piece) out.push({ text: piece, hit: k % 2 === 1 });
  return out;
}

export async function searchIndex(db: Kysely<Database>, input: SearchInput): Promise<SearchResult[]> {
  const { query, seriesId, purpose, from, to, limit } = SearchInput.parse(input);
  const match = ftsQuery(query);
  if (!match) return [];
  const at = sql<string>`coalesce(m.scheduled_for, am.scheduled_for, e.created_at)`;
  // A meeting moved to an archive is dated by the series' index of what moved.
  const archivedJoin = sql`left join archived_meetings am on am.series_id = e.series_id and am.id = e.meeting_id`;
  const filtered = Boolean(seriesId || purpose || from || to);
  // Ranking every match costs a bm25 computation per row (half a second for 40,000 items all
  // titled "Topic …"): the newest CANDIDATES matches (rows are rewritten when their entry
  // changes, so the highest row numbers are the most recently written) are ranked, the best
  // `limit` kept, and only those get their highlighted title and snippet. Those come from a second
  // pass over the matches, bounded below by the lowest row kept: it reads no more than the
  // candidates (looking each kept row up by rowid instead would set up the whole query again per
  // row, and an unbounded pass read every match and joined it before dropping it).
  const rows = await sql<{
    series_id: string;
    series_name: string;
    kind: SearchKind;
    meeting_id: string | null;
    entry_id: string | null;
    purpose: string | null;
    at: string;
    title: string;
    snippet: string;
  }>`
    with candidates as materialized (
      select search_fts.rowid as n, search_fts.rank as score
      from search_fts
      ${filtered ? sql`join search_entries e on e.n = search_fts.rowid left join meetings m on m.series_id = e.series_id and m.id = e.meeting_id ${archivedJoin}` : sql``}
      where search_fts match ${match}
        ${seriesId ? sql`and e.series_id = ${seriesId}` : sql``}
        ${purpose ? sql`and e.purpose = ${purpose}` : sql``}
        ${from ? sql`and ${at} >= ${from}` : sql``}
        ${to ? sql`and ${at} < date(${to}, '+1 day')` : sql``}
      order by search_fts.rowid desc
      limit ${CANDIDATES}
    ),
    top as materialized (select n, score from candidates order by score limit ${limit})
    select e.series_id, coalesce(nullif(s.title, ''), s.partner_name) as series_name, e.kind, e.meeting_id, e.entry_id, e.purpose,
      ${at} as at,
      highlight(search_fts, 0, ${OPEN}, ${CLOSE}) as title,
      snippet(search_fts, 1, ${OPEN}, ${CLOSE}, '…', 16) as snippet
    from search_fts
    join top on top.n = search_fts.rowid
    join search_entries e on e.n = search_fts.rowid
    join series s on s.id = e.series_id
    left join meetings m on m.series_id = e.series_id and m.id = e.meeting_id
    ${archivedJoin}
    where search_fts match ${match} and search_fts.rowid >= (select min(n) from top)
    order by top.score, ${at} desc
  `.execute(db);
  return rows.rows.map((r) => ({
    seriesId: r.series_id,
    seriesName: r.series_name,
    kind: r.kind,
    meetingId: r.meeting_id,
    entryId: r.entry_id,
    purpose: r.purpose,
    at: r.at,
    title: parts(r.title),
    snippet: parts(r.snippet),
  }));
}
