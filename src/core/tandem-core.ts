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
  TandemError,
  type EventListener,
  type FrameListener,
  type Profile,
  type SeriesSummary,
  type TandemEvent,
} from '../shared/api.js';
import {
  AddAgendaItemInput,
  CreateSeriesInput,
  Id,
  SeriesRef,
  SetProfileInput,
  describeZodError,
  type Role,
} from '../shared/schemas.js';
import { addAgendaItem, initSeriesDoc } from '../shared/series-doc.js';
import { prepareDataDir } from './data-dir.js';
import { DocRegistry } from '../shared/docstore/doc-registry.js';
import { UpdateLog, applyChecked } from '../shared/docstore/update-log.js';
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
  private profile: Profile | null = null;

  private constructor(
    readonly store: Store,
    readonly docs: DocRegistry,
    readonly projector: Projector,
  ) {}

  static async open(options: CoreOptions): Promise<TandemCore> {
    prepareDataDir(options.dataDir);
    const file = join(options.dataDir, DATABASE_FILE);
    const store = await openStore(file);
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
    core = new TandemCore(store, docs, projector);
    try {
      core.profile = await core.readProfile();
      await projector.ensure();
    } catch (error) {
      await store.close();
      throw error;
    }
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
    await this.store.db
      .insertInto('settings')
      .values({ key: 'profile', value: JSON.stringify(profile) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(profile) }))
      .execute();
    this.profile = profile;
    return profile;
  }

  private async readProfile(): Promise<Profile | null> {
    const row = await this.store.db.selectFrom('settings').select('value').where('key', '=', 'profile').executeTakeFirst();
    return row ? (JSON.parse(row.value) as Profile) : null;
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
  private readonly open = new Set<string>();
  private readonly frameListeners = new Set<FrameListener>();
  private readonly eventListeners = new Set<EventListener>();

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
    const doc = this.open.has(seriesId) ? this.core.docs.with(seriesId, (d) => d) : this.core.docs.acquire(seriesId);
    this.open.add(seriesId);
    return Y.encodeStateAsUpdate(doc);
  }

  async closeSeries(input: unknown) {
    const { seriesId } = parse(SeriesRef, input, 'closeSeries');
    if (this.open.delete(seriesId)) this.core.docs.release(seriesId);
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
    for (const id of this.open) this.core.docs.release(id);
    this.open.clear();
    this.frameListeners.clear();
    this.eventListeners.clear();
    this.core.forget(this);
  }
}
