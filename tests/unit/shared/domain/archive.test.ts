import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { archiveOldYears, archivedYears, readArchived } from '../../../../src/shared/domain/archive.js';
import { listNextSteps, nextStepsFor } from '../../../../src/shared/domain/meetings.js';
import { agendaMap, listMeetings } from '../../../../src/shared/domain/series-doc.js';
import { Peer, sync } from '../../helpers/archive-peers.js';
import { MOVABLE, at, fillHistory } from '../../helpers/history.js';
import { seedSeries } from '../../helpers/series-doc.js';

function history(): Y.Doc {
  return fillHistory(seedSeries(new Y.Doc(), 'manager-report', at('2021-01-01T00:00:00.000Z')));
}

const MOVING = MOVABLE;

describe('archive documents', () => {
  test('moving a year leaves the series document with the recent meetings and every open next step, and the archive with the rest', () => {
    const peer = new Peer(Y.encodeStateAsUpdate(history()));
    expect(archiveOldYears(peer.live, {}, at('2023-04-01T00:00:00.000Z')).sort()).toEqual([2021, 2022]);
    expect(listMeetings(peer.live).map((m) => m.id)).toEqual(['meeting-2023-03', 'meeting-2023-09']);
    expect(archivedYears(peer.live)).toEqual([2022, 2021]);
    expect(readArchived(peer.live).map((m) => m.id)).toEqual(MOVING);
    // Open next steps of moved meetings stay to be reviewed; done ones moved with their meeting.
    const steps = listNextSteps(peer.live);
    expect(steps.filter((s) => !s.done)).toHaveLength(5);
    expect(steps.filter((s) => s.done).map((s) => s.text)).toEqual(['Done after 2023-03']);
    expect(listNextSteps(peer.archive(2021)).map((s) => s.text)).toEqual(['Done after 2021-03', 'Done after 2021-09']);
    // The next meeting still reviews every open one, those of moved meetings included.
    expect(nextStepsFor(peer.live, 'meeting-2023-09').filter((s) => !s.done)).toHaveLength(5);
    for (const id of MOVING) expect(peer.holders(id)).toHaveLength(1);
    expect(peer.notes('meeting-2021-09')).toContain('Notes of 2021-09.');
    const items: string[] = [];
    agendaMap(peer.archive(2022)).forEach((m) => items.push(String((m as Y.Map<unknown>).get('title'))));
    expect(items.sort()).toEqual(['Topic of 2022-03', 'Topic of 2022-09']);
    // Again: nothing left to move.
    expect(archiveOldYears(peer.live, {}, at('2023-04-01T00:00:00.000Z'))).toEqual([]);
  });

  test('the series document is small once its old years moved', () => {
    const peer = new Peer(Y.encodeStateAsUpdate(history()));
    const before = Y.encodeStateAsUpdate(peer.live).byteLength;
    archiveOldYears(peer.live, {}, at('2023-04-01T00:00:00.000Z'));
    expect(Y.encodeStateAsUpdate(peer.live).byteLength).toBeLessThan(before * 0.6);
  });

  test('an edit the other person made offline to a meeting that moved arrives in the archive', () => {
    const state = Y.encodeStateAsUpdate(history());
    const a = new Peer(state);
    const b = new Peer(state);
    archiveOldYears(a.live, {}, at('2023-04-01T00:00:00.000Z'));
    b.edit('meeting-2021-09', ' Fixed by Sam.');
    sync(a, b, false);
    sync(a, b, true);
    for (const p of [a, b]) {
      expect(p.holders('meeting-2021-09')).toHaveLength(1);
      expect(p.notes('meeting-2021-09')).toBe('<paragraph>Notes of 2021-09. Fixed by Sam.</paragraph><paragraph></paragraph>');
    }
  });

  test('a Tandem that receives the moved years already collected (from the relay, or someone who moved them long ago) keeps the archive whole', () => {
    const a = new Peer(Y.encodeStateAsUpdate(history()));
    archiveOldYears(a.live, {}, at('2023-04-01T00:00:00.000Z'));
    const joiner = new Peer(Y.encodeStateAsUpdate(a.live));
    sync(a, joiner, false);
    for (const p of [a, joiner]) {
      for (const id of MOVING) expect(p.holders(id)).toHaveLength(1);
      expect(p.notes('meeting-2021-03')).toContain('Notes of 2021-03.');
    }
  });

  test('both moving at once, offline, with edits in flight on either side: every meeting once, no edit lost', () => {
    const state = Y.encodeStateAsUpdate(history());
    const step = fc.oneof(
      fc.record({ kind: fc.constant('edit' as const), peer: fc.nat(1), meeting: fc.nat(MOVING.length - 1) }),
      fc.record({ kind: fc.constant('archive' as const), peer: fc.nat(1) }),
      fc.record({ kind: fc.constant('sync' as const), archivesFirst: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), fc.boolean(), (steps, archivesFirst) => {
        const peers: [Peer, Peer] = [new Peer(state), new Peer(state)];
        const written: [string, string][] = [];
        steps.forEach((s, n) => {
          if (s.kind === 'edit') {
            const text = ` edit${n}`;
            peers[s.peer]!.edit(MOVING[s.meeting]!, text);
            written.push([MOVING[s.meeting]!, text]);
          } else if (s.kind === 'archive') archiveOldYears(peers[s.peer]!.live, {}, at('2023-04-01T00:00:00.000Z'));
          else sync(peers[0], peers[1], s.archivesFirst);
        });
        // Both end up having moved the old years, then everything is exchanged.
        for (const p of peers) archiveOldYears(p.live, {}, at('2023-04-01T00:00:00.000Z'));
        sync(peers[0], peers[1], archivesFirst);
        sync(peers[0], peers[1], !archivesFirst);
        for (const p of peers) {
          for (const id of MOVING) {
            expect(p.holders(id)).toHaveLength(1);
            expect(p.holders(id)[0]).not.toBe(p.live);
          }
          for (const [id, text] of written) expect(p.notes(id)).toContain(text.trim());
        }
        for (const id of MOVING) expect(peers[0].notes(id)).toBe(peers[1].notes(id));
      }),
      { numRuns: 150 },
    );
  });
});
