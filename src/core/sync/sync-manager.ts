/**
 * Which series are shared, and their live connections. A shared series stays loaded and
 * connected for as long as the core runs, so the other person's changes arrive (and ours leave)
 * whether or not a window shows it.
 */
import type { Kysely } from 'kysely';
import { Awareness } from 'y-protocols/awareness';
import type { SyncState } from '../../shared/api.js';
import { ARCHIVE_DOC_KIND, archiveDocId, archivedYears, parseArchiveDocId } from '../../shared/domain/archive.js';
import { seriesOfPrivateDoc } from '../../shared/domain/private-notes.js';
import { TandemError } from '../../shared/errors.js';
import type { DocRegistry } from '../../node/docstore/doc-registry.js';
import type { Logger } from '../../node/log.js';
import type { Database } from '../store/schema.js';
import type { PresenceHub } from './presence.js';
import type { SeriesSync, SyncTiming } from './series-sync.js';
import type { Share } from './share.js';

/**
 * The relay connection (ws, y-websocket) is loaded with the first share that connects: a device
 * that shares nothing never parses it, and one that does, not before its first list.
 */
let seriesSyncModule: Promise<typeof import('./series-sync.js')> | null = null;
const loadSeriesSync = async () => (await (seriesSyncModule ??= import('./series-sync.js'))).SeriesSync;

export class SyncManager {
  private readonly live = new Map<string, { sync: SeriesSync; unbridge: () => void }>();
  /** Shared series not connected yet (start-up connects them one at a time). */
  private readonly waiting = new Set<string>();
  /** Shared series whose connection could not even be set up (a bad relay address on disk). */
  private readonly broken = new Set<string>();
  private stopped = false;
  /** Set before anything connects (startAll, add, move), so `start` can stay synchronous. */
  private connection: typeof SeriesSync | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly docs: DocRegistry,
    private readonly presence: PresenceHub,
    private readonly onState: (state: SyncState) => void,
    private readonly deviceName: () => string,
    private readonly log: Logger,
    private readonly timing?: SyncTiming,
  ) {}

  private async loadConnection(): Promise<void> {
    this.connection ??= await loadSeriesSync();
  }

  /**
   * Resolves once every series shared earlier is known (its sync state says `connecting`), then
   * connects them one per turn of the event loop: loading a long history takes a while, and the
   * list and the first requests must not wait for all of them.
   */
  async startAll(onStarted: (seriesId: string) => void): Promise<void> {
    const rows = await this.db.selectFrom('shares').selectAll().execute();
    for (const r of rows) this.waiting.add(r.series_id);
    const connectInTurn = async () => {
      if (rows.length) await this.loadConnection();
      for (const r of rows) {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.stopped || !this.waiting.has(r.series_id)) continue;
        // One share that cannot connect must never keep the others from connecting.
        try {
          this.start({ seriesId: r.series_id, relayUrl: r.relay_url, key: r.relay_key, secret: r.secret });
        } catch (error) {
          this.broken.add(r.series_id);
          this.log.error({ seriesId: r.series_id, error: (error as Error).message }, 'shared 1:1 could not connect');
          continue;
        }
        onStarted(r.series_id);
      }
    };
    void connectInTurn().catch((error: unknown) => this.log.error({ error: (error as Error).message }, 'shared 1:1s could not connect'));
  }

  async share(seriesId: string): Promise<Share | null> {
    const r = await this.db.selectFrom('shares').selectAll().where('series_id', '=', seriesId).executeTakeFirst();
    return r ? { seriesId, relayUrl: r.relay_url, key: r.relay_key, secret: r.secret } : null;
  }

  /** Connects a share and records it; a share that cannot connect is not recorded. */
  async add(share: Share): Promise<SeriesSync> {
    await this.loadConnection();
    const sync = this.start(share);
    try {
      await this.db
        .insertInto('shares')
        .values({
          series_id: share.seriesId,
          relay_url: share.relayUrl,
          relay_key: share.key,
          secret: share.secret,
          created_at: new Date().toISOString(),
        })
        .execute();
    } catch (error) {
      this.stop(share.seriesId);
      throw error;
    }
    return sync;
  }

  /** Points a share at another relay (or key) and reconnects it there. */
  async move(share: Share): Promise<SeriesSync> {
    await this.loadConnection();
    await this.db
      .updateTable('shares')
      .set({ relay_url: share.relayUrl, relay_key: share.key })
      .where('series_id', '=', share.seriesId)
      .execute();
    this.stop(share.seriesId);
    return this.start(share);
  }

  get(seriesId: string): SeriesSync | undefined {
    return this.live.get(seriesId)?.sync;
  }

  state(seriesId: string): SyncState {
    const live = this.get(seriesId);
    if (live) return live.state();
    if (this.broken.has(seriesId)) return { seriesId, status: 'offline', unsent: 0, reason: 'unreachable' };
    return { seriesId, status: this.waiting.has(seriesId) ? 'connecting' : 'local', unsent: 0 };
  }

  /**
   * Tries a shared series' relay now instead of at its next scheduled attempt. (A share whose
   * address cannot be opened stays offline until an invite or Settings moves it elsewhere.)
   */
  retrySync(seriesId: string): SyncState {
    this.get(seriesId)?.retryNow();
    return this.state(seriesId);
  }

  /** Disconnects a series and its archives and forgets its share (the room secret with it). */
  async remove(seriesId: string): Promise<void> {
    this.waiting.delete(seriesId);
    this.broken.delete(seriesId);
    this.stop(seriesId);
    for (const id of [...this.live.keys()]) if (parseArchiveDocId(id)?.seriesId === seriesId) this.stop(id);
    await this.db.deleteFrom('shares').where('series_id', '=', seriesId).execute();
  }

  /**
   * Connects the archive documents of a shared series, one room per year through the same relay
   * with the same room secret (their ids derive from the series id, so the invite covers them),
   * creating here the empty ones the other person's moves named. Nothing for a series not shared.
   */
  syncArchives(seriesId: string, years: number[]): void {
    const series = this.get(seriesId);
    if (!series || parseArchiveDocId(seriesId)) return;
    for (const year of years) {
      const id = archiveDocId(seriesId, year);
      if (this.live.has(id)) continue;
      try {
        if (!this.docs.exists(id)) {
          this.docs.create(id, ARCHIVE_DOC_KIND);
          this.docs.release(id);
        }
        this.start({ ...series.share, seriesId: id });
      } catch (error) {
        this.log.error({ seriesId, year, error: (error as Error).message }, 'an archive of a shared 1:1 could not connect');
      }
    }
  }

  stopAll(): void {
    this.stopped = true;
    for (const id of [...this.live.keys()]) this.stop(id);
  }

  private stop(seriesId: string): void {
    for (const id of [...this.live.keys()]) if (parseArchiveDocId(id)?.seriesId === seriesId) this.stop(id);
    const live = this.live.get(seriesId);
    if (!live) return;
    this.live.delete(seriesId);
    live.unbridge();
    live.sync.destroy();
    this.docs.release(seriesId);
  }

  private start(share: Share): SeriesSync {
    if (seriesOfPrivateDoc(share.seriesId) !== null) throw new TandemError('invalid-input', 'Private notes are never shared.');
    this.waiting.delete(share.seriesId);
    const existing = this.get(share.seriesId);
    if (existing) return existing;
    const doc = this.docs.acquire(share.seriesId);
    const relayAwareness = new Awareness(doc);
    // The device's own state tells the other side this Tandem is online, and keeps the connection alive.
    relayAwareness.setLocalState({ device: { name: this.deviceName() } });
    let sync: SeriesSync;
    try {
      if (!this.connection) throw new TandemError('internal', 'a share was started before the relay connection was loaded');
      sync = new this.connection(doc, relayAwareness, share, this.onState, this.log, this.timing);
    } catch (error) {
      relayAwareness.destroy();
      this.docs.release(share.seriesId);
      throw error;
    }
    this.broken.delete(share.seriesId);
    const bridge = this.presence.bridge(share.seriesId, doc, relayAwareness);
    // Everyone's presence was dropped with the old connection, here and on the other side.
    sync.provider.on('status', ({ status }) => status === 'connected' && bridge.reannounce());
    this.live.set(share.seriesId, { sync, unbridge: bridge.unbridge });
    // The registry drops a document whose change could not be saved; reconnect over the copy
    // reloaded from disk, or the relay's later changes would go to a destroyed document.
    doc.once('destroy', () => {
      if (this.live.get(share.seriesId)?.sync !== sync) return;
      this.stop(share.seriesId);
      setImmediate(() => {
        try {
          this.start(share);
        } catch (error) {
          this.log.error({ seriesId: share.seriesId, error: (error as Error).message }, 'shared 1:1 could not reconnect');
        }
      });
    });
    if (!parseArchiveDocId(share.seriesId)) this.syncArchives(share.seriesId, archivedYears(doc));
    return sync;
  }
}

/** A new 256-bit room secret. */
