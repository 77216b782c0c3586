/**
 * The application core: everything Tandem knows about 1:1s, runnable in plain Node. It owns the
 * store, the loaded documents and the projection, and hands each connected UI a session object
 * that implements the TandemApi contract with every input validated.
 */
import { join } from 'node:path';
import { addDays, isWeekend, set as setTime } from 'date-fns';
import * as Y from 'yjs';
import type { z } from 'zod';
import {
  type EventListener,
  type FrameListener,
  type Invite,
  type Profile,
  type RelayConfig,
  type SeriesSummary,
  type SyncState,
  type TandemEvent,
} from '../shared/api.js';
import { TandemError } from '../shared/errors.js';
import {
  AcceptInviteInput,
  AddAgendaItemInput,
  CreateSeriesInput,
  Id,
  SeriesRef,
  SetProfileInput,
  SetRelayInput,
  describeZodError,
  type Role,
} from '../shared/schemas.js';
import { addAgendaItem, hasMeta, initSeriesDoc, perspective, readMeta, setParticipant } from '../shared/domain/series-doc.js';
import { decodeInvite, encodeInvite } from './sync/invites.js';
import { PresenceHub } from './sync/presence.js';
import { SyncManager, newRoomSecret } from './sync/sync-manager.js';
import { prepareDataDir } from './data-dir.js';
import { DocRegistry } from '../node/docstore/doc-registry.js';
import { UpdateLog, applyChecked } from '../node/docstore/update-log.js';
import { Projector } from './projection/projector.js';
import type { ServedSession } from './rpc-server.js';
import { openStore, type Store } from './store/database.js';

export interface CoreOptions {
  dataDir: string;
  /** Log rows per document before compaction (default 500). */
  compactAfter?: number;
  /** How long an unused document stays in memory (default 60 s). */
  idleUnloadMs?: number;
  /** Delay before changes reach the list tables (default 100 ms). */
  projectionDebounceMs?: number;
  /** The relay to share through until the user sets one (from --relay / TANDEM_RELAY_URL). */
  defaultRelay?: RelayConfig;
  /** How long joining waits for the relay to deliver the 1:1 (default 15 s). */
  joinTimeoutMs?: number;
  /** better-sqlite3 built for another Node ABI (Electron's); see scripts/start.mjs. */
  sqliteBinding?: string;
}

export const DATABASE_FILE = 'tandem.db';

function parse<S extends z.ZodType>(schema: S, input: unknown, method: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new TandemError('invalid-input', `${method}: ${describeZodError(result.error)}`);
  return result.data;
}

/** The next weekday at 10:00 local time: a sensible first slot when the user gives none. */
export function defaultFirstMeeting(now: Date): string {
  let day = addDays(now, 1);
  while (isWeekend(day)) day = addDays(day, 1);
  return setTime(day, { hours: 10, minutes: 0, seconds: 0, milliseconds: 0 }).toISOString();
}

export class TandemCore {
  private readonly sessions = new Set<CoreSession>();
  /** Joins waiting for their content, one per series however often the join is retried. */
  private readonly joining = new Map<string, Promise<void>>();
  private profile: Profile | null = null;

  readonly presence: PresenceHub;
  readonly sync: SyncManager;

  private constructor(
    readonly store: Store,
    readonly docs: DocRegistry,
    readonly projector: Projector,
    private readonly options: CoreOptions,
  ) {
    this.presence = new PresenceHub((seriesId, update, origin) => {
      for (const s of this.sessions) if (s !== origin) s.deliverAwareness(seriesId, update);
    });
    this.sync = new SyncManager(
      store.db,
      docs,
      this.presence,
      (state) => this.broadcast({ type: 'sync-state', state }),
      () => this.profile?.name ?? 'Tandem',
    );
  }

  static async open(options: CoreOptions): Promise<TandemCore> {
    prepareDataDir(options.dataDir);
    const file = join(options.dataDir, DATABASE_FILE);
    const store = await openStore(file, options.sqliteBinding);
    const log = new UpdateLog(store.sqlite, file);
    let core: TandemCore | undefined;
    const docs = new DocRegistry(log, {
      compactAfter: options.compactAfter ?? 500,
      idleUnloadMs: options.idleUnloadMs ?? 60_000,
      onUpdate: (docId, update, origin) => core?.routeUpdate(docId, update, origin),
    });
    const projector = new Projector(
      store.db,
      {
        seriesIds: async () =>
          (await store.db.selectFrom('docs').select('doc_id').where('kind', '=', 'series').execute()).map((r) => r.doc_id),
        withDoc: (id, fn) => docs.with(id, fn),
        updatedAt: async (id) =>
          (await store.db.selectFrom('docs').select('updated_at').where('doc_id', '=', id).executeTakeFirstOrThrow()).updated_at,
        userId: () => core?.profile?.id ?? '',
      },
      {
        debounceMs: options.projectionDebounceMs ?? 100,
        onProjected: () => core?.broadcast({ type: 'series-changed' }),
      },
    );
    core = new TandemCore(store, docs, projector, options);
    try {
      core.profile = await core.readProfile();
      await projector.ensure();
    } catch (error) {
      await store.close();
      throw error;
    }
    await core.sync.startAll((seriesId) => core!.profile && void core!.joinWhenArrived(seriesId));
    return core;
  }

  /** A new UI session: the object a transport serves, implementing the TandemApi contract. */
  connect(): CoreSession {
    const session = new CoreSession(this);
    this.sessions.add(session);
    return session;
  }

  async close(): Promise<void> {
    for (const s of [...this.sessions]) s.dispose();
    this.sync.stopAll();
    await this.projector.flush();
    this.docs.closeAll();
    await this.store.close();
  }

  get currentProfile(): Profile | null {
    return this.profile;
  }

  requireProfile(): Profile {
    if (!this.profile) throw new TandemError('invalid-input', 'set your name first (setProfile)');
    return this.profile;
  }

  async saveProfile(name: string): Promise<Profile> {
    const profile = { id: this.profile?.id ?? crypto.randomUUID(), name };
    await this.writeSetting('profile', profile);
    this.profile = profile;
    return profile;
  }

  private async readSetting<T>(key: string): Promise<T | null> {
    const row = await this.store.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return row ? (JSON.parse(row.value) as T) : null;
  }

  private async writeSetting(key: string, value: unknown): Promise<void> {
    const json = JSON.stringify(value);
    await this.store.db
      .insertInto('settings')
      .values({ key, value: json })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json }))
      .execute();
  }

  private readProfile(): Promise<Profile | null> {
    return this.readSetting<Profile>('profile');
  }

  async relay(): Promise<RelayConfig | null> {
    return (await this.readSetting<RelayConfig>('relay')) ?? this.options.defaultRelay ?? null;
  }

  async saveRelay(relay: RelayConfig): Promise<RelayConfig> {
    await this.writeSetting('relay', relay);
    return relay;
  }

  async createInvite(seriesId: string): Promise<Invite> {
    const me = this.requireProfile();
    await this.requireSeries(seriesId);
    let share = await this.sync.share(seriesId);
    const relay = await this.relay();
    if (!share) {
      if (!relay) throw new TandemError('invalid-input', 'createInvite: set the relay to share through first (Settings)');
      share = { seriesId, relayUrl: relay.url, key: relay.key ?? null, secret: newRoomSecret() };
      await this.sync.add(share);
    } else if (relay && (relay.url !== share.relayUrl || (relay.key ?? null) !== share.key)) {
      // The relay was changed in Settings: the 1:1 moves there, and so does every new invite.
      share = { ...share, relayUrl: relay.url, key: relay.key ?? null };
      await this.sync.move(share);
    }
    const meta = this.docs.with(seriesId, readMeta);
    const { partnerName } = perspective(meta, me.id);
    return encodeInvite({
      v: 1,
      relay: share.relayUrl,
      ...(share.key ? { key: share.key } : {}),
      room: seriesId,
      secret: share.secret,
      title: `${me.name} & ${partnerName}`.slice(0, 200),
      from: { name: me.name },
      role: meta.invitee.role,
    });
  }

  async acceptInvite(code: string): Promise<SeriesSummary> {
    this.requireProfile();
    const invite = decodeInvite(code);
    const existing = await this.sync.share(invite.room);
    if (existing && existing.secret !== invite.secret) {
      throw new TandemError('invalid-input', 'acceptInvite: this 1:1 is already on this device with another invite');
    }
    if (existing && (existing.relayUrl !== invite.relay || existing.key !== (invite.key ?? null))) {
      // A newer invite for the same room: the inviter moved the 1:1 to another relay.
      await this.sync.move({ ...existing, relayUrl: invite.relay, key: invite.key ?? null });
    }
    if (!existing) {
      if (await this.seriesExists(invite.room)) {
        throw new TandemError('invalid-input', 'acceptInvite: this 1:1 is already on this device');
      }
      this.docs.create(invite.room, 'series');
      this.docs.release(invite.room);
      await this.sync.add({ seriesId: invite.room, relayUrl: invite.relay, key: invite.key ?? null, secret: invite.secret });
    }
    const arrived = await Promise.race([
      this.joinWhenArrived(invite.room).then(() => true),
      new Promise<false>((resolve) => setTimeout(resolve, this.options.joinTimeoutMs ?? 15_000, false).unref()),
    ]);
    if (!arrived) {
      throw new TandemError(
        'offline',
        `Joined, but the relay at ${invite.relay} has not delivered the 1:1 yet; it appears in your list as soon as it does. ` +
          `If it never does, ask ${invite.from.name} for a new invite and check that the relay address is right.`,
      );
    }
    const joined = (await this.listSeries()).find((s) => s.id === invite.room);
    if (!joined) throw new TandemError('internal', `the joined 1:1 ${invite.room} did not reach the list`);
    return joined;
  }

  /**
   * Resolves once a shared series' content is here, adding this user as its other participant if
   * they are not yet one. The content can arrive long after joining (the inviter's laptop was
   * closed), so this also runs for every share at start-up.
   */
  joinWhenArrived(seriesId: string): Promise<void> {
    const waiting = this.joining.get(seriesId);
    if (waiting) return waiting;
    const me = this.requireProfile();
    const doc = this.docs.acquire(seriesId);
    let done = false;
    const joined = new Promise<void>((resolve) => {
      const settle = () => {
        if (done || !hasMeta(doc)) return;
        done = true;
        this.joining.delete(seriesId);
        doc.off('update', onUpdate);
        const meta = readMeta(doc);
        if (!meta.participants[me.id]) setParticipant(doc, me.id, { name: me.name, role: meta.invitee.role });
        this.docs.release(seriesId);
        resolve();
      };
      // Outside the update event: a new transaction must not start inside another's observers.
      const onUpdate = () => queueMicrotask(settle);
      doc.on('update', onUpdate);
      settle();
    });
    if (!done) this.joining.set(seriesId, joined);
    return joined;
  }

  syncState(seriesId: string): SyncState {
    return this.sync.state(seriesId);
  }

  async seriesExists(seriesId: string): Promise<boolean> {
    const row = await this.store.db
      .selectFrom('docs')
      .select('doc_id')
      .where('doc_id', '=', seriesId)
      .where('kind', '=', 'series')
      .executeTakeFirst();
    return row !== undefined;
  }

  async requireSeries(seriesId: string): Promise<void> {
    if (!(await this.seriesExists(seriesId))) throw new TandemError('not-found', `there is no 1:1 with id ${seriesId}`);
  }

  async listSeries(): Promise<SeriesSummary[]> {
    await this.projector.flush();
    const rows = await this.store.db
      .selectFrom('series')
      .selectAll()
      .orderBy((eb) => eb.fn.coalesce('next_meeting_at', eb.val('9999')))
      .orderBy('partner_name')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind as SeriesSummary['kind'],
      cadence: r.cadence as SeriesSummary['cadence'],
      partnerName: r.partner_name,
      myRole: r.my_role as Role,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      nextMeetingAt: r.next_meeting_at,
      openItemCount: r.open_item_count,
    }));
  }

  async createSeries(input: z.output<typeof CreateSeriesInput>): Promise<SeriesSummary> {
    const me = this.requireProfile();
    const myRole: Role = input.kind === 'peer' ? 'peer' : input.myRole!;
    const partnerRole: Role = myRole === 'peer' ? 'peer' : myRole === 'manager' ? 'report' : 'manager';
    const id = crypto.randomUUID();
    const doc = this.docs.create(id, 'series');
    try {
      initSeriesDoc(doc, {
        kind: input.kind,
        cadence: input.cadence,
        createdAt: new Date().toISOString(),
        me: { id: me.id, name: me.name, role: myRole },
        partner: { name: input.partnerName, role: partnerRole },
        firstMeetingAt: input.firstMeetingAt ? new Date(input.firstMeetingAt).toISOString() : defaultFirstMeeting(new Date()),
      });
    } finally {
      this.docs.release(id);
    }
    const created = (await this.listSeries()).find((s) => s.id === id);
    if (!created) throw new TandemError('internal', `the new 1:1 ${id} did not reach the list`);
    return created;
  }

  /** Sends an update to every session that has the series open, except the one it came from. */
  private routeUpdate(seriesId: string, update: Uint8Array, origin: unknown): void {
    this.projector.markDirty(seriesId);
    for (const s of this.sessions) if (s !== origin) s.deliver(seriesId, update);
  }

  broadcast(event: TandemEvent): void {
    for (const s of this.sessions) s.emit(event);
  }

  forget(session: CoreSession): void {
    this.sessions.delete(session);
  }
}

/** One UI's view of the core. Holds the series it has open and its listeners. */
export class CoreSession implements ServedSession {
  /** Series this UI has open, with how many openSeries calls are not yet closed (a quick reopen overlaps its close). */
  private readonly open = new Map<string, number>();
  private readonly frameListeners = new Set<FrameListener>();
  private readonly eventListeners = new Set<EventListener>();
  private readonly awarenessListeners = new Set<FrameListener>();

  constructor(private readonly core: TandemCore) {}

  async getProfile() {
    return this.core.currentProfile;
  }

  async setProfile(input: unknown) {
    const { name } = parse(SetProfileInput, input, 'setProfile');
    return this.core.saveProfile(name);
  }

  async listSeries() {
    return this.core.listSeries();
  }

  async createSeries(input: unknown) {
    return this.core.createSeries(parse(CreateSeriesInput, input, 'createSeries'));
  }

  async openSeries(input: unknown) {
    const { seriesId } = parse(SeriesRef, input, 'openSeries');
    await this.core.requireSeries(seriesId);
    const count = this.open.get(seriesId) ?? 0;
    const doc = count ? this.core.docs.with(seriesId, (d) => d) : this.core.docs.acquire(seriesId);
    this.open.set(seriesId, count + 1);
    this.core.presence.awareness(seriesId, doc);
    // After the state reply has gone out, tell the window who is already here.
    setImmediate(() => {
      const present = this.core.presence.snapshot(seriesId);
      if (present) this.deliverAwareness(seriesId, present);
    });
    return Y.encodeStateAsUpdate(doc);
  }

  async closeSeries(input: unknown) {
    const { seriesId } = parse(SeriesRef, input, 'closeSeries');
    const count = this.open.get(seriesId);
    if (!count) return;
    if (count > 1) {
      this.open.set(seriesId, count - 1);
      return;
    }
    this.open.delete(seriesId);
    this.core.presence.leave(this, seriesId);
    this.core.docs.release(seriesId);
  }

  async getRelay() {
    return this.core.relay();
  }

  async setRelay(input: unknown) {
    const relay = parse(SetRelayInput, input, 'setRelay');
    return this.core.saveRelay(relay.key ? { url: relay.url, key: relay.key } : { url: relay.url });
  }

  async createInvite(input: unknown) {
    return this.core.createInvite(parse(SeriesRef, input, 'createInvite').seriesId);
  }

  async acceptInvite(input: unknown) {
    return this.core.acceptInvite(parse(AcceptInviteInput, input, 'acceptInvite').code);
  }

  async getSyncState(input: unknown) {
    const { seriesId } = parse(SeriesRef, input, 'getSyncState');
    await this.core.requireSeries(seriesId);
    return this.core.syncState(seriesId);
  }

  sendAwareness(seriesId: string, update: Uint8Array) {
    parse(Id, seriesId, 'sendAwareness');
    if (!this.open.has(seriesId)) throw new TandemError('invalid-input', `sendAwareness: 1:1 ${seriesId} is not open in this window`);
    this.core.presence.apply(seriesId, update, this);
  }

  onAwareness(listener: FrameListener) {
    this.awarenessListeners.add(listener);
    return () => void this.awarenessListeners.delete(listener);
  }

  deliverAwareness(seriesId: string, update: Uint8Array): void {
    if (!this.open.has(seriesId)) return;
    for (const l of this.awarenessListeners) l(seriesId, update);
  }

  async addAgendaItem(input: unknown) {
    const item = parse(AddAgendaItemInput, input, 'addAgendaItem');
    const me = this.core.requireProfile();
    await this.core.requireSeries(item.seriesId);
    const id = this.core.docs.with(item.seriesId, (doc) =>
      addAgendaItem(doc, { title: item.title, context: item.context, purpose: item.purpose, async: item.async, authorId: me.id }),
    );
    return { id };
  }

  async sendDocUpdate(seriesId: string, update: Uint8Array) {
    parse(Id, seriesId, 'sendDocUpdate');
    if (!this.open.has(seriesId)) throw new TandemError('invalid-input', `sendDocUpdate: 1:1 ${seriesId} is not open in this window`);
    this.core.docs.with(seriesId, (doc) => {
      try {
        applyChecked(doc, update, this);
      } catch (error) {
        if (error instanceof TandemError) throw error;
        throw new TandemError('invalid-input', `sendDocUpdate: the update does not decode (${(error as Error).message})`);
      }
    });
  }

  onDocUpdate(listener: FrameListener) {
    this.frameListeners.add(listener);
    return () => void this.frameListeners.delete(listener);
  }

  onEvent(listener: EventListener) {
    this.eventListeners.add(listener);
    return () => void this.eventListeners.delete(listener);
  }

  deliver(seriesId: string, update: Uint8Array): void {
    if (!this.open.has(seriesId)) return;
    for (const l of this.frameListeners) l(seriesId, update);
  }

  emit(event: TandemEvent): void {
    for (const l of this.eventListeners) l(event);
  }

  dispose(): void {
    this.core.presence.leave(this);
    for (const id of this.open.keys()) this.core.docs.release(id);
    this.open.clear();
    this.frameListeners.clear();
    this.eventListeners.clear();
    this.awarenessListeners.clear();
    this.core.forget(this);
  }
}
