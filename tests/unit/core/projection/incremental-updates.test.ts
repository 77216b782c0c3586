import { expect, test } from 'vitest';
import { addAgendaItem, removeAgendaItem, setItemState } from '../../../../src/shared/domain/commands.js';
import { tempDir } from '../../helpers/core.js';
import { AS_ME, openProjectionFixture, peerOf, type ProjectionFixture } from './fixture.js';

const titles = (fx: ProjectionFixture) =>
  fx.store.sqlite.prepare('select id, title, state from agenda_items order by title').all() as {
    id: string;
    title: string;
    state: string;
  }[];

test('a change rewrites only the rows of the entries it touched, and removes the rows of removed entries', async () => {
  const fx = await openProjectionFixture();
  const s = fx.newSeries('Ada');
  const [x, y] = fx.docs.with(s, (doc) => [addAgendaItem(doc, { title: 'X' }, AS_ME), addAgendaItem(doc, { title: 'Y' }, AS_ME)]);
  await fx.projector.flush();
  // A marker only a rewrite of Y's row would undo.
  fx.store.sqlite.prepare(`update agenda_items set title = 'marker' where id = ?`).run(y);

  fx.docs.with(s, (doc) => setItemState(doc, { itemId: x!, state: 'discussed' }, AS_ME));
  await fx.projector.flush();
  expect(titles(fx)).toEqual([
    { id: x, title: 'X', state: 'discussed' },
    { id: y, title: 'marker', state: 'open' },
  ]);

  peerOf(fx, s).send((doc) => removeAgendaItem(doc, { itemId: x! }, AS_ME));
  await fx.projector.flush();
  expect(titles(fx)).toEqual([{ id: y, title: 'marker', state: 'open' }]);
  await fx.close();
});

test('the first change of a 1:1 in a new process projects it in full, so rows left behind by an interrupted run are corrected', async () => {
  const dataDir = tempDir();
  const fx = await openProjectionFixture({ dataDir });
  const s = fx.newSeries('Ada');
  const [x, y] = fx.docs.with(s, (doc) => [addAgendaItem(doc, { title: 'X' }, AS_ME), addAgendaItem(doc, { title: 'Y' }, AS_ME)]);
  await fx.projector.flush();
  // As if the process had stopped after storing a change to Y and before projecting it.
  fx.store.sqlite.prepare(`update agenda_items set title = 'stale' where id = ?`).run(y);
  await fx.close();

  const next = await openProjectionFixture({ dataDir });
  next.docs.with(s, (doc) => setItemState(doc, { itemId: x!, state: 'discussed' }, AS_ME));
  await next.projector.flush();
  expect(titles(next).map((r) => r.title)).toEqual(['X', 'Y']);
  await next.close();
});
