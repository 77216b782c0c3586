/**
 * Property: whatever two people do to the same agenda — adds and reorders from both sides, in
 * any interleaving, with either of them offline for a while and reconnecting — once both are
 * online again they converge to the same order, with every item exactly once.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { listAgenda } from '../../../../src/shared/domain/series-doc.js';
import { addAgendaItem, moveAgendaItem } from '../../../../src/shared/domain/commands.js';
import { converged, edit, person, relay, share, until, type Person } from './sync-fixtures.js';

type Step =
  | { kind: 'add'; who: 0 | 1 }
  | { kind: 'move'; who: 0 | 1; from: number; to: number }
  | { kind: 'offline' | 'online'; who: 0 | 1 }
  | { kind: 'pause' };

const who = fc.constantFrom<0 | 1>(0, 1);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('add' as const), who }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('move' as const), who, from: fc.nat(30), to: fc.nat(30) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('offline' as const, 'online' as const), who }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'pause' as const }) },
);

let stopRelay: () => Promise<unknown>;
let people: [Person, Person];

beforeAll(async () => {
  const r = await relay();
  stopRelay = () => r.stop();
  people = [await person('Dana', r.url), await person('Sam', r.url)];
});

afterAll(async () => {
  for (const p of people) await p.core.close();
  await stopRelay();
});

test('concurrent adds and reorders from both sides, across offline periods, converge without duplicates or losses', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 40 }), async (steps) => {
      const seriesId = await share(people[0], people[1]);
      const providers = people.map((p) => p.core.sync.get(seriesId)!.provider);
      const added = new Set<string>();
      for (const s of steps) {
        if (s.kind === 'pause') await new Promise((r) => setTimeout(r, 5));
        else if (s.kind === 'offline') providers[s.who]!.disconnect();
        else if (s.kind === 'online') providers[s.who]!.connect();
        else if (s.kind === 'add')
          added.add(
            edit(people[s.who], seriesId, (doc) =>
              addAgendaItem(doc, { title: `item ${added.size}` }, { now: new Date(), userId: String(s.who) }),
            ),
          );
        else if (s.kind === 'move')
          edit(people[s.who], seriesId, (doc) => {
            const items = listAgenda(doc);
            if (items.length)
              moveAgendaItem(
                doc,
                { itemId: items[s.from % items.length]!.id, toIndex: s.to % items.length },
                { now: new Date(), userId: 'me' },
              );
          });
      }
      for (const p of providers) p.connect();
      await until(() => converged(people[0], people[1], seriesId), 'the two sides to converge', 20_000);
      for (const p of people) {
        const ids = edit(p, seriesId, listAgenda).map((i) => i.id);
        expect(ids.length).toBe(added.size);
        expect(new Set(ids)).toEqual(added);
      }
    }),
    { numRuns: 25 },
  );
});
