import { expect, test } from 'vitest';
import { startReferenceServer } from '../../../../bench/reference-server.js';
import { listAgenda } from '../../../../src/shared/domain/series-doc.js';
import { addAgendaItem } from '../../../../src/shared/domain/commands.js';
import { converged, edit, person, share, until, stopsAfterEach } from './sync-fixtures.js';

const cleanup = stopsAfterEach();

test('two cores sync through a stock y-websocket server, and the unsent count settles although it cannot confirm', async () => {
  const server = await startReferenceServer();
  cleanup.push(() => server.close());
  const a = await person('Dana', server.url);
  const b = await person('Sam', server.url);
  cleanup.push(
    () => a.core.close(),
    () => b.core.close(),
  );

  const seriesId = await share(a, b);
  edit(a, seriesId, (doc) => addAgendaItem(doc, { title: 'Through a stock server' }, { now: new Date(), userId: 'a' }));
  await until(() => converged(a, b, seriesId), 'both sides to converge');
  expect(edit(b, seriesId, listAgenda).map((i) => i.title)).toEqual(['Through a stock server']);
  // The stock server never answers the state-vector query; after the probe the count must not stick.
  await until(() => a.core.sync.get(seriesId)!.state().unsent === 0, 'A’s unsent count to settle', 10_000);
  edit(a, seriesId, (doc) => addAgendaItem(doc, { title: 'Later' }, { now: new Date(), userId: 'a' }));
  expect(a.core.sync.get(seriesId)!.state()).toMatchObject({ status: 'synced', unsent: 0 });
});
