/**
 * Each document's part of a 1:1's health history (features/insights/queries.ts), kept in memory
 * and in tandem.db's `health_parts` under a key naming everything it was computed from, so that
 * neither a change elsewhere nor a restart makes Tandem load and read an unchanged document again.
 *
 * The rows are derived data and private to this device: they are in no document, so nothing syncs
 * them. Read back, a row is untrusted: one that does not parse or fit its schema (damaged, or
 * written by another version) is computed again and replaced, never used and never fatal. Rows are
 * written behind, all those computed in a while in one transaction: the overview is computed
 * again whenever a 1:1 changes, and an fsync each time would cost more than the part saves; a
 * crash loses only the work of reading those documents again.
 */
import type SQLite from 'better-sqlite3';
import type { z } from 'zod';
import type { Logger } from '../../node/log.js';
import type { HealthPartAccess } from '../features/context.js';

interface Kept {
  key: string;
  part: unknown;
}

/** How long computed parts wait to be written together. */
const WRITE_AFTER_MS = 2_000;

export class HealthParts implements HealthPartAccess {
  private readonly memory = new Map<string, Kept>();
  private readonly unsaved = new Map<string, Kept>();
  private readonly select: SQLite.Statement<[string], { key: string; part: string }>;
  private readonly upsert: SQLite.Statement<{ id: string; key: string; part: string }>;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly log: Logger,
  ) {
    this.select = sqlite.prepare('select key, part from health_parts where doc_id = ?');
    // A part of a document removed meanwhile is not written (nor could it be: the key references docs).
    this.upsert = sqlite.prepare(
      'insert into health_parts (doc_id, key, part) select @id, @key, @part where exists (select 1 from docs where doc_id = @id) ' +
        'on conflict (doc_id) do update set key = excluded.key, part = excluded.part',
    );
  }

  /** How many documents' parts are held in memory. */
  get size(): number {
    return this.memory.size;
  }

  get<T>(docId: string, key: string, schema: z.ZodType<T>, compute: () => T): T {
    const kept = this.memory.get(docId);
    if (kept?.key === key) return kept.part as T;
    // Rows are written from memory: when memory holds another key for it, so does the row, or an older one.
    const stored = kept ? undefined : this.read(docId, key, schema);
    if (stored !== undefined) {
      this.memory.set(docId, { key, part: stored });
      return stored;
    }
    const part = compute();
    this.memory.set(docId, { key, part });
    this.unsaved.set(docId, { key, part });
    this.timer ??= setTimeout(() => this.flush(), WRITE_AFTER_MS).unref();
    return part;
  }

  forget(docIds: readonly string[]): void {
    for (const id of docIds) {
      this.memory.delete(id);
      this.unsaved.delete(id);
    }
  }

  /** Writes every part computed since the last write, in one transaction. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.unsaved.size === 0) return;
    const rows = [...this.unsaved].map(([id, { key, part }]) => ({ id, key, part: JSON.stringify(part) }));
    this.unsaved.clear();
    try {
      this.sqlite.transaction(() => {
        for (const row of rows) this.upsert.run(row);
      })();
    } catch (error) {
      this.log.warn({ error: (error as Error).message, parts: rows.length }, 'health parts could not be kept; they will be read again');
    }
  }

  private read<T>(docId: string, key: string, schema: z.ZodType<T>): T | undefined {
    const row = this.select.get(docId);
    if (row?.key !== key) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(row.part);
    } catch {
      json = undefined;
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    this.log.warn({ docId }, 'a kept health part does not fit; reading its document again');
    return undefined;
  }
}
