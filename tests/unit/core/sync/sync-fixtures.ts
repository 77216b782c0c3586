/**
 * Two (or more) real cores on their own data dirs, sharing series through a real relay process.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { TandemCore, type CoreSession } from '../../../../src/core/tandem-core.js';
import { listAgenda } from '../../../../src/shared/domain/series-doc.js';
import { spawnRelay, type RelayProcess } from '../../server/helpers.js';

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
export async function pair(cleanup: (() => Promise<unknown>)[]) {
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
