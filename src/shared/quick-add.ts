/**
 * The quick-add line: one line typed in the tray window, a launcher or a terminal that becomes an
 * agenda item. `@name` as the first word picks the 1:1; `#career`, `#coaching`, `#feedback`,
 * `#connection`, `#air` and `#fyi` set the purpose; `!async` sets the async flag; `>>` puts the
 * item on the meeting after next. Everything else is the title. Browser-safe: the window previews
 * the line as it is typed and the core parses it again when it saves.
 */
import { ITEM_TITLE_MAX } from './item-limits.js';
import type { Purpose } from './schemas.js';

/** The purpose tags, in the order the window suggests them. */
export const PURPOSE_TAGS = {
  career: 'career',
  coaching: 'coaching',
  feedback: 'feedback',
  connection: 'connection',
  air: 'clearing-the-air',
  fyi: 'status',
} as const satisfies Record<string, Purpose>;

type Tag = keyof typeof PURPOSE_TAGS;
const TAGS = Object.keys(PURPOSE_TAGS) as Tag[];
const tagOf = (purpose: Purpose): Tag => TAGS.find((t) => PURPOSE_TAGS[t] === purpose)!;

export const ASYNC_FLAG = '!async';
export const AFTER_NEXT = '>>';

export interface QuickAddLine {
  /** What followed `@` (without it), or null when the line names no 1:1. */
  who: string | null;
  title: string;
  purpose: Purpose | null;
  async: boolean;
  /** The item is for the meeting after the next one. */
  afterNext: boolean;
}

export type ParseResult = { ok: true; line: QuickAddLine } | { ok: false; message: string };

const fail = (message: string): ParseResult => ({ ok: false, message });

/** The closest purpose tag to a misspelt one, when there is a plausible one. */
function nearestTag(word: string): Tag | null {
  const scored = TAGS.map((t) => ({ t, d: editDistance(word, t) })).sort((a, b) => a.d - b.d);
  return scored[0]!.d <= 2 ? scored[0]!.t : null;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next.push(Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    row = next;
  }
  return row[b.length]!;
}

const TAG_LIST = TAGS.map((t) => `#${t}`).join(', ');

/** Parses a quick-add line, or says in one sentence what is wrong with it. Never throws. */
export function parseQuickAdd(text: string): ParseResult {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  let purpose: Purpose | null = null;
  let async = false;
  let afterNext = false;
  const title: string[] = [];
  for (const word of words) {
    if (word === ASYNC_FLAG) async = true;
    else if (word === AFTER_NEXT) afterNext = true;
    else if (/^#[a-z]+$/i.test(word)) {
      const tag = word.slice(1).toLowerCase();
      if (!(tag in PURPOSE_TAGS)) {
        const near = nearestTag(tag);
        return fail(`${word} is not a purpose${near ? `: did you mean #${near}?` : '.'} The purposes are ${TAG_LIST}.`);
      }
      const chosen = PURPOSE_TAGS[tag as Tag];
      if (purpose !== null && purpose !== chosen) return fail('An item has one purpose: keep one of the # tags.');
      purpose = chosen;
    } else title.push(word);
  }
  // Markers may come first (`>> @sam …`): the name is the first word that is not one.
  let who: string | null = null;
  if (title[0]?.startsWith('@')) {
    who = title.shift()!.slice(1);
    if (who.length === 0) return fail('Write a name right after @, like @sam.');
  }
  const joined = title.join(' ');
  if (joined.length === 0) return fail('Type what you want to talk about.');
  if (joined.length > ITEM_TITLE_MAX) return fail(`An item title can be at most ${ITEM_TITLE_MAX} characters.`);
  return { ok: true, line: { who, title: joined, purpose, async, afterNext } };
}

/** The canonical line for a parsed one: parsing it gives the same value back. */
export function formatQuickAdd(line: QuickAddLine): string {
  return [
    line.who === null ? null : `@${line.who}`,
    line.title,
    line.purpose === null ? null : `#${tagOf(line.purpose)}`,
    line.async ? ASYNC_FLAG : null,
    line.afterNext ? AFTER_NEXT : null,
  ]
    .filter((part) => part !== null)
    .join(' ');
}

/** A 1:1 the line can go to. `recency`: larger is more recent (last quick-add, else last change). */
export interface QuickAddTarget {
  id: string;
  /** The other person's name and the 1:1's own title, both searchable. */
  names: readonly string[];
  recency: number;
}

/** Lower case, accents and everything but letters and digits removed: "Zoë O'Brien" → "zoeobrien". */
export const foldName = (value: string): string =>
  value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');

/**
 * How well `query` matches `name` as a subsequence of its letters (0: not at all). Starting the
 * name, starting a word and running on without gaps all count for more, so `sam` ranks "Sam Lee"
 * above "Wilson Adams".
 */
export function fuzzyScore(query: string, name: string): number {
  const q = foldName(query);
  if (q.length === 0) return 1;
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
  const folded = words.join('');
  const wordStarts = new Set<number>();
  let at = 0;
  for (const w of words) {
    wordStarts.add(at);
    at += w.length;
  }
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const ch of q) {
    const found = folded.indexOf(ch, from);
    if (found < 0) return 0;
    score += 1 + (found === 0 ? 3 : 0) + (wordStarts.has(found) ? 2 : 0) + (found === previous + 1 ? 2 : 0);
    previous = found;
    from = found + 1;
  }
  return score / (1 + (folded.length - q.length) / 10);
}

/**
 * The 1:1s matching `query`, best first; ties (and an empty query) most recent first. A target
 * scores by the better of its names.
 */
export function matchTargets<T extends QuickAddTarget>(query: string, targets: readonly T[]): T[] {
  return targets
    .map((target) => ({ target, score: Math.max(0, ...target.names.map((n) => fuzzyScore(query, n))) }))
    .filter((m) => m.score > 0)
    .sort((a, b) => b.score - a.score || b.target.recency - a.target.recency)
    .map((m) => m.target);
}

/** The `@` word that picks `target` again when parsed: its first name without spaces or marks. */
export const handleFor = (target: QuickAddTarget): string => foldName(target.names[0] ?? '') || target.id;

/**
 * Tab in the window: completes the word being typed at the end of the line. A leading `@partial`
 * becomes the best match's handle, a `#partial` the first purpose tag it starts. Returns the line
 * unchanged when there is nothing to complete.
 */
export function completeLine(text: string, targets: readonly QuickAddTarget[]): string {
  const match = /(^|\s)([@#])(\S*)$/.exec(text);
  if (!match) return text;
  const [, space, sigil, partial] = match as unknown as [string, string, string, string];
  const before = text.slice(0, match.index + space.length);
  if (sigil === '@') {
    if (before.trim().length > 0) return text;
    const best = matchTargets(partial, targets)[0];
    return best ? `@${handleFor(best)} ` : text;
  }
  const tag = TAGS.find((t) => t.startsWith(partial.toLowerCase()));
  return tag ? `${before}#${tag} ` : text;
}

/** Where a quick-added item went. */
export interface QuickAddResult {
  seriesId: string;
  itemId: string;
  title: string;
  partnerName: string;
  /** The meeting it is on the agenda of (ISO), or null when none is planned (a paused 1:1). */
  meetingAt: string | null;
}

/** A 1:1 the window offers, most recent first. */
export interface QuickAddChoice extends QuickAddTarget {
  partnerName: string;
  title: string;
}
