/**
 * What a projection is: plain tables derived from the series documents, owned by one module that
 * declares their layout, their version and how a document's content becomes rows. The projector
 * (projector.ts) runs every projection of the registry (registry.ts) over what changed.
 */
import type { Kysely, Transaction } from 'kysely';
import * as Y from 'yjs';
import type { Database } from '../store/schema.js';

/** Pino-compatible: a structured object first, then the message. Never given document content. */
export interface ProjectionLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const silentLog: ProjectionLog = { warn: () => {}, error: () => {} };

/**
 * What changed in one series since it was last projected: the touched keys of each top-level map
 * (`agenda` → item ids, `meetings` → meeting ids, ...), or 'all' when that is unknown. Changes to
 * the 1:1's other documents come under roots of their own (`archiveRoot`, search's PRIVATE_NOTES).
 */
export type Changes = 'all' | ReadonlyMap<string, ReadonlySet<string>>;

export interface ProjectContext {
  seriesId: string;
  /** The user this device belongs to: the series row is written from their side. */
  userId: string;
  /** When the series document last changed on this device. */
  updatedAt: string;
  log: ProjectionLog;
  /** Runs `fn` with the 1:1's private notes loaded (null: it has none). Only search reads them. */
  withPrivateNotes<T>(fn: (doc: Y.Doc | null) => T): T;
  /** The years of the 1:1's archive documents on this device (listed for a full projection only). */
  archiveYears: readonly number[];
  /** Runs `fn` with one of the 1:1's archive documents loaded (null: it is not here). Only search reads them. */
  withArchive<T>(year: number, fn: (doc: Y.Doc | null) => T): T;
}

/** Writes what a projection read, inside the one transaction that projects a series. */
export type ProjectionWrite = (tx: Transaction<Database>) => Promise<void>;

export interface Projection {
  /** Names the projection's version in projection_meta; never reused for other tables. */
  readonly name: string;
  /** Bumped whenever the tables or the rows they hold change: the projection is then dropped and rebuilt alone. */
  readonly version: string;
  /** Every table (and nothing else) that `create` makes. */
  readonly tables: readonly string[];
  create(db: Kysely<Database>): Promise<void>;
  /**
   * Reads, from the loaded document, the rows that `changes` may have touched, and returns how to
   * write them (null: nothing of this projection changed). Synchronous: the document is only
   * borrowed for the call. A malformed value skips its row, never the others.
   */
  read(doc: Y.Doc, changes: Changes, ctx: ProjectContext): ProjectionWrite | null;
  /** Deletes every row of one series (removed from this device). */
  remove(tx: Transaction<Database>, seriesId: string): Promise<void>;
}

/** The keys a transaction touched, per top-level map; null when they cannot be told (the fallback is a full projection). */
export function touchedKeys(transaction: Y.Transaction): Map<string, Set<string>> | null {
  const touched = new Map<string, Set<string>>();
  const add = (root: unknown, key: string | null): boolean => {
    const name = rootName(transaction.doc, root);
    if (name === null || key === null) return false;
    let keys = touched.get(name);
    if (!keys) touched.set(name, (keys = new Set()));
    keys.add(key);
    return true;
  };
  for (const [type, subs] of transaction.changed) {
    if (type._item === null) {
      for (const sub of subs) if (!add(type, sub)) return null;
      continue;
    }
    // A change deep inside an entry (an item's title, a meeting's notes) touches that entry's key.
    let entry: Y.Item = type._item;
    while (entry.parent instanceof Y.AbstractType && entry.parent._item !== null) entry = entry.parent._item;
    if (!(entry.parent instanceof Y.AbstractType) || !add(entry.parent, entry.parentSub)) return null;
  }
  return touched;
}

const ARCHIVE_ROOT = /^archive\.(\d{4})\.(.+)$/;

/** The root under which the changes to a top-level map of a 1:1's archive document of `year` reach the projections. */
export const archiveRoot = (year: number, root: string): string => `archive.${year}.${root}`;

/** The year and the archive document's own root of a root named by `archiveRoot`, or null. */
export function parseArchiveRoot(name: string): { year: number; root: string } | null {
  const m = ARCHIVE_ROOT.exec(name);
  return m ? { year: Number(m[1]), root: m[2]! } : null;
}

/** The name a top-level type has in its document. */
export function rootName(doc: Y.Doc, root: unknown): string | null {
  for (const [name, type] of doc.share) if (type === root) return name;
  return null;
}

/** Merges two change sets of the same series. */
export function mergeChanges(a: Changes | undefined, b: Changes): Changes {
  if (a === undefined) return b;
  if (a === 'all' || b === 'all') return 'all';
  const merged = new Map<string, Set<string>>();
  for (const c of [a, b]) {
    for (const [root, keys] of c) {
      const into = merged.get(root) ?? new Set<string>();
      for (const k of keys) into.add(k);
      merged.set(root, into);
    }
  }
  return merged;
}

/** The row a malformed entry would have become is skipped; say which, without its content. */
export function logSkippedRow(ctx: ProjectContext, table: string, id: string, problems: string[]): void {
  ctx.log.warn({ seriesId: ctx.seriesId, table, id, problems }, 'projection skipped a malformed row');
}

export function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
