/**
 * A relay is untrusted too: an update nesting types past what Yjs can delete again, forwarded by a
 * stock server that checks nothing, is refused by the core before it touches the 1:1.
 */
import { expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { startReferenceServer } from '../../../../bench/reference-server.js';
import { MAX_NESTING_DEPTH } from '../../../../src/node/docstore/nesting.js';
import { createLogger } from '../../../../src/node/log.js';
import { TandemCore } from '../../../../src/core/tandem-core.js';
import { nestedChainUpdates } from '../../helpers/updates.js';
import { dir, edit, until, stopsAfterEach } from './sync-fixtures.js';

const cleanup = stopsAfterEach();

test('an update from the relay nesting types past the bound is refused, the connection dropped, and the core carries on', async () => {
  const server = await startReferenceServer();
  cleanup.push(() => server.close());
  const logged: string[] = [];
  const core = await TandemCore.open({
    dataDir: dir('deep'),
    defaultRelay: { url: server.url },
    log: createLogger({ write: (l) => void logged.push(l) }),
  });
  cleanup.push(() => core.close());
  const api = core.connect();
  await api.setProfile({ name: 'Dana' });
  const series = await api.createSeries({ partnerName: 'Sam', kind: 'peer' });
  await api.createInvite({ seriesId: series.id });
  await until(() => core.sync.get(series.id)?.state().status === 'synced', 'the 1:1 to sync');

  const mallory = new Y.Doc();
  const provider = new WebsocketProvider(server.url, series.id, mallory, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  cleanup.push(() => provider.destroy());
  await until(() => provider.synced, 'the hostile peer to sync');
  Y.applyUpdate(mallory, nestedChainUpdates(1, MAX_NESTING_DEPTH + 1)[0]!);
  await until(() => logged.some((l) => l.includes('nests types more than')), 'the core to refuse the update');
  expect(edit({ core, api, dataDir: '' }, series.id, (doc) => doc.getXmlFragment('deep').length)).toBe(0);
  // The core still serves its 1:1s.
  await api.addAgendaItem({ seriesId: series.id, title: 'still here' });
  expect((await api.listSeries()).find((s) => s.id === series.id)).toMatchObject({ openItemCount: 1 });
});
