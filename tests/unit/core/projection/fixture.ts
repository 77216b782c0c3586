/**
 * A projector over a real DocRegistry on a real SQLite file, wired as the core wires it (each
 * transaction reaches markDirty), with its log captured; and the projected tables as plain rows.
 */
import { join } from 'node:path';
import type SQLite from 'better-sqlite3';
import * as Y from 'yjs';
import { Projector, storedDocuments } from '../../../../src/core/projection/projector.js';
import type { Projection } from '../../../../src/core/projection/projection.js';
import { openStore, type Store } from '../../../../src/core/store/database.js';
import { DocRegistry } from '../../../../src/node/docstore/doc-registry.js';
import { UpdateLog } from '../../../../src/node/docstore/update-log.js';
import { createSeries, type CommandContext } from '../../../../src/shared/domain/commands.js';
import { tempDir } from '../../helpers/core.js';
import { WEEKLY } from '../../helpers/cadence.js';

export const ME = 'user-me';

/** The context of a command this device's user runs. */
export const AS_ME: CommandContext = { now: new Date('2030-01-01T09:00:00.000Z'), userId: ME };

export interface LogEntry {
  level: 'warn' | 'error';
  obj: object;
  msg: string;
}

export interface ProjectionFixture {
  store: Store;
  docs: DocRegistry;
  projector: Projector;
  logs: LogEntry[];
  /** Creates a 1:1 as the core does; returns its id. */
  newSeries(partnerName: string): string;
  /** Applies an update to a series as if it came from a peer. */
  fromPeer(seriesId: string, update: Uint8Array): void;
  close(): Promise<void>;
}

export async function openProjectionFixture(
  options: { dataDir?: string; projections?: readonly Projection[]; onProjected?: (seriesIds: string[]) => void } = {},
): Promise<ProjectionFixture> {
  const file = join(options.dataDir ?? tempDir(), 'tandem.db');
  const store = await openStore(file);
  let projector: Projector | undefined;
  const docs = new DocRegistry(new UpdateLog(store.sqlite, file), {
    compactAfter: 500,
    idleUnloadMs: 60_000,
    onUpdate: (docId, _update, _origin, transaction) => projector?.markDirty(docId, transaction),
  });
  const logs: LogEntry[] = [];
  projector = new Projector(
    store.db,
    storedDocuments(store.db, docs, () => ME),
    {
      debounceMs: 5,
      onProjected: options.onProjected ?? (() => {}),
      log: { warn: (obj, msg) => logs.push({ level: 'warn', obj, msg }), error: (obj, msg) => logs.push({ level: 'error', obj, msg }) },
      ...(options.projections ? { projections: options.projections } : {}),
    },
  );
  await projector.ensure();
  return {
    store,
    docs,
    projector,
    logs,
    newSeries(partnerName) {
      const id = crypto.randomUUID();
      const doc = docs.create(id, 'series');
      createSeries(
        doc,
        {
          kind: 'peer',
          cadence: WEEKLY,
          me: { name: 'Me', role: 'peer' },
          partner: { name: partnerName, role: 'peer' },
          firstMeetingAt: '2030-01-07T10:00:00.000Z',
        },
        AS_ME,
      );
      docs.release(id);
      return id;
    },
    fromPeer(seriesId, update) {
      docs.with(seriesId, (doc) => Y.applyUpdate(doc, update, 'peer'));
    },
    async close() {
      await projector.flush();
      docs.closeAll();
      await store.close();
    },
  };
}

export const PROJECTED_TABLES = ['series', 'meetings', 'archived_meetings', 'agenda_items', 'actions'] as const;

/**
 * Every projected row, table by table, in a stable order; search entries without their row
 * number (the order rows were written in), and the FTS index checked against them.
 */
export function projectedRows(sqlite: SQLite.Database): Record<string, unknown[]> {
  sqlite.prepare(`insert into search_fts(search_fts, rank) values ('integrity-check', 1)`).run();
  return {
    ...Object.fromEntries(
      PROJECTED_TABLES.map((t) => [t, sqlite.prepare(`select * from ${t} order by ${t === 'series' ? 'id' : 'series_id, id'}`).all()]),
    ),
    search_entries: sqlite
      .prepare(
        'select series_id, key, kind, meeting_id, entry_id, purpose, created_at, title, body from search_entries order by series_id, key',
      )
      .all(),
  };
}

/** A peer's replica of a series: what it changes reaches the fixture as a remote update. */
export function peerOf(fx: ProjectionFixture, seriesId: string) {
  const doc = new Y.Doc();
  Y.applyUpdate(
    doc,
    fx.docs.with(seriesId, (d) => Y.encodeStateAsUpdate(d)),
  );
  return {
    doc,
    /** Makes `change` on the peer's replica and sends it. */
    send(change: (doc: Y.Doc) => void): void {
      const before = Y.encodeStateVector(doc);
      doc.transact(() => change(doc));
      fx.fromPeer(seriesId, Y.encodeStateAsUpdate(doc, before));
    },
  };
}
