import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { addAgendaItem, addMeeting } from '../../../../src/shared/domain/commands.js';
import { agendaMap, meetingsMap, metaMap } from '../../../../src/shared/domain/series-doc.js';
import { AS_ME, openProjectionFixture, peerOf, projectedRows, type ProjectionFixture } from './fixture.js';

const SECRET_TITLE = 'Salary talk with Robin';
const PEER = { now: new Date(), userId: 'peer' };
const entry = (map: Y.Map<unknown>, id: string) => map.get(id) as Y.Map<unknown>;

/** Two 1:1s with good items; the peer of the first then writes one malformed value of each kind. */
async function withMalformedPeer(fx: ProjectionFixture) {
  const a = fx.newSeries('Ada');
  const b = fx.newSeries('Bo');
  const good = fx.docs.with(a, (doc) => [
    addAgendaItem(doc, { title: SECRET_TITLE }, AS_ME),
    addAgendaItem(doc, { title: 'Hiring' }, AS_ME),
  ]);
  const other = fx.docs.with(b, (doc) => addAgendaItem(doc, { title: 'Pairing' }, AS_ME));
  await fx.projector.flush();
  const ids = { notMap: 'not-a-map', purpose: crypto.randomUUID(), order: crypto.randomUUID(), meeting: '' };
  peerOf(fx, a).send((doc) => {
    addAgendaItem(doc, { title: SECRET_TITLE, id: ids.purpose }, PEER);
    entry(agendaMap(doc), ids.purpose).set('purpose', { career: SECRET_TITLE });
    addAgendaItem(doc, { title: SECRET_TITLE, id: ids.order }, PEER);
    entry(agendaMap(doc), ids.order).set('order', 'zzzz');
    ids.meeting = addMeeting(doc, { scheduledFor: '2030-02-01T10:00:00.000Z' }, PEER);
    entry(meetingsMap(doc), ids.meeting).set('scheduledFor', SECRET_TITLE);
    agendaMap(doc).set(ids.notMap, SECRET_TITLE);
  });
  await fx.projector.flush();
  return { a, b, good, other, ids };
}

function expectOnlyGoodRows(fx: ProjectionFixture, r: Awaited<ReturnType<typeof withMalformedPeer>>) {
  const rows = projectedRows(fx.store.sqlite);
  const items = rows.agenda_items as { series_id: string; id: string }[];
  expect(
    items
      .filter((i) => i.series_id === r.a)
      .map((i) => i.id)
      .sort(),
  ).toEqual([...r.good].sort());
  expect(items.filter((i) => i.series_id === r.b).map((i) => i.id)).toEqual([r.other]);
  const meetings = rows.meetings as { series_id: string; id: string }[];
  expect(meetings.filter((m) => m.series_id === r.a)).toHaveLength(1);
  expect(meetings.some((m) => m.id === r.ids.meeting)).toBe(false);
  expect((rows.series as { id: string; open_item_count: number }[]).map((s) => [s.id, s.open_item_count]).sort()).toEqual(
    [
      [r.a, 2],
      [r.b, 1],
    ].sort(),
  );
}

function skipped(fx: ProjectionFixture): string[] {
  return fx.logs
    .filter((l) => l.msg === 'projection skipped a malformed row')
    .map((l) => `${(l.obj as { table: string }).table}/${(l.obj as { id: string }).id}`)
    .sort();
}

describe('a malformed value from a peer skips its row only, and is logged without its content', () => {
  test('when projected from the change', async () => {
    const fx = await openProjectionFixture();
    const r = await withMalformedPeer(fx);
    expectOnlyGoodRows(fx, r);
    expect(skipped(fx)).toEqual(
      [`agenda_items/${r.ids.notMap}`, `agenda_items/${r.ids.purpose}`, `agenda_items/${r.ids.order}`, `meetings/${r.ids.meeting}`].sort(),
    );
    expect(JSON.stringify(fx.logs)).not.toContain('Salary');
    await fx.close();
  });

  test('when rebuilt in full', async () => {
    const fx = await openProjectionFixture();
    const r = await withMalformedPeer(fx);
    fx.logs.length = 0;
    await fx.projector.rebuild();
    expectOnlyGoodRows(fx, r);
    expect(skipped(fx)).toHaveLength(4);
    expect(JSON.stringify(fx.logs)).not.toContain('Salary');
    await fx.close();
  });

  test('a series whose meta is malformed loses its list row, and the other 1:1s keep theirs', async () => {
    const fx = await openProjectionFixture();
    const a = fx.newSeries('Ada');
    const b = fx.newSeries('Bo');
    await fx.projector.flush();
    peerOf(fx, a).send((doc) => metaMap(doc).set('kind', { evil: true }));
    await fx.projector.flush();
    const series = projectedRows(fx.store.sqlite).series as { id: string }[];
    expect(series.map((s) => s.id)).toEqual([b]);
    expect(skipped(fx)).toEqual([`series/${a}`]);
    expect((projectedRows(fx.store.sqlite).meetings as { series_id: string }[]).some((m) => m.series_id === a)).toBe(true);
    await fx.close();
  });
});
