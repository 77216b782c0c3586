/**
 * Two (or more) real cores on their own data dirs, sharing series through a real relay process.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import * as Y from 'yjs';
import { TandemCore, type CoreSession } from '../../../../src/core/tandem-core.js';
import { addAgendaItem } from '../../../../src/shared/domain/commands.js';
import { listAgenda } from '../../../../src/shared/domain/series-doc.js';
import { recordingProxy } from '../../../e2e/support/recording-proxy.js';
import { newSecret, spawnRelay, type RelayProcess } from '../../server/helpers.js';

export const dir = (prefix: string) => mkdtempSync(join(tmpdir(), `tandem-sync-${prefix}-`));

export interface Person {
  core: TandemCore;
  api: CoreSession;
  dataDir: string;
}

export async function person(name: string, relayUrl: string, dataDir = dir(name), joinTimeoutMs = 10_000): Promise<Person> {
  const core = await TandemCore.open({ dataDir, defaultRelay: { url: relayUrl }, joinTimeoutMs });
  const api = core.connect();
  if (!(await api.getProfile())) await api.setProfile({ name });
  return { core, api, dataDir };
}

export async function relay(dataDir = dir('relay'), port = 0): Promise<RelayProcess & { dataDir: string }> {
  return { ...(await spawnRelay(['--port', String(port), '--data', dataDir])), dataDir };
}

/** A shares a new manager–report 1:1 with B; returns its id. */
export async function share(a: Person, b: Person): Promise<string> {
  const series = await a.api.createSeries({ partnerName: 'Sam', kind: 'manager-report', myRole: 'manager' });
  const invite = await a.api.createInvite({ seriesId: series.id });
  await b.api.acceptInvite({ code: invite.code });
  return series.id;
}

/** What a test started, stopped after it in reverse order: call once at the top level of a test file. */
export function stopsAfterEach(): (() => unknown)[] {
  const stops: (() => unknown)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });
  return stops;
}

export interface ShareOptions {
  seriesId?: string;
  secret?: string;
  key?: string;
  titles?: string[];
}

/**
 * Shares a 1:1 of `c` through `relayUrl` without an invite: a new one, or `seriesId` as joining
 * does; with `titles` already on its agenda.
 */
export async function shareTo(c: TandemCore, relayUrl: string, options: ShareOptions = {}): Promise<string> {
  const seriesId = options.seriesId ?? crypto.randomUUID();
  c.docs.create(seriesId, 'series');
  for (const title of options.titles ?? []) addItem(c, seriesId, title);
  c.docs.release(seriesId);
  await c.sync.add({ seriesId, relayUrl, key: options.key ?? null, secret: options.secret ?? newSecret() });
  return seriesId;
}

export const addItem = (c: TandemCore, seriesId: string, title: string) =>
  c.docs.with(seriesId, (doc) => addAgendaItem(doc, { title }, { now: new Date(), userId: 'me' }));

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  await new Promise((ok) => server.close(ok));
  return port;
}

export const edit = <T>(p: Person, seriesId: string, fn: (doc: Y.Doc) => T): T => p.core.docs.with(seriesId, fn);

/** What two sides must agree on: the agenda in order, and the whole document state. */
export function fingerprint(p: Person, seriesId: string): string {
  return edit(p, seriesId, (doc) =>
    JSON.stringify({
      agenda: listAgenda(doc).map((i) => [i.id, i.title, i.state]),
      meta: doc.getMap('meta').toJSON(),
      sv: [...Y.decodeStateVector(Y.encodeStateVector(doc))].sort((x, y) => x[0] - y[0]),
    }),
  );
}

export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const converged = (a: Person, b: Person, seriesId: string) => fingerprint(a, seriesId) === fingerprint(b, seriesId);

/** A relay and two people on it (Dana and Sam), each stopped by `cleanup` in reverse order. */
export async function pair(cleanup: (() => unknown)[]) {
  const r = await relay();
  cleanup.push(() => r.stop());
  const a = await person('Dana', r.url);
  const b = await person('Sam', r.url);
  cleanup.push(
    () => a.core.close(),
    () => b.core.close(),
  );
  return { r, a, b };
}

/**
 * A relay process, and Dana and Sam sharing a 1:1 on it, Dana through a proxy that records every
 * byte between her core and the relay; each stopped by `cleanup` in reverse order.
 */
export async function recordedPair(cleanup: (() => unknown)[]) {
  const server = await relay();
  cleanup.push(() => server.stop());
  const proxy = await recordingProxy(server.port);
  cleanup.push(() => proxy.close());
  const dana = await person('Dana', proxy.url);
  const sam = await person('Sam', server.url);
  cleanup.push(
    () => dana.core.close(),
    () => sam.core.close(),
  );
  return { server, proxy, dana, sam, seriesId: await share(dana, sam) };
}
