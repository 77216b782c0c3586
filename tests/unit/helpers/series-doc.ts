/** The 1:1 most domain tests start from (Dana and Sam, weekly, first meeting 2030-01-07 10:00 UTC), and its replicas. */
import * as Y from 'yjs';
import { createSeries, type CommandContext } from '../../../src/shared/domain/commands.js';
import { WEEKLY } from './cadence.js';

export function seedSeries(
  doc: Y.Doc,
  kind: 'peer' | 'manager-report' = 'manager-report',
  ctx: CommandContext = { now: new Date('2030-01-01T00:00:00.000Z'), userId: 'me' },
): Y.Doc {
  const peer = kind === 'peer';
  createSeries(
    doc,
    {
      kind,
      cadence: WEEKLY,
      me: { name: 'Dana', role: peer ? 'peer' : 'manager' },
      partner: { name: 'Sam', role: peer ? 'peer' : 'report' },
      firstMeetingAt: '2030-01-07T10:00:00.000Z',
    },
    ctx,
  );
  return doc;
}

/** Another person's copy of `doc`, as joining it gives one. */
export function replicaOf(doc: Y.Doc): Y.Doc {
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  return other;
}

/** Two replicas exchange what the other lacks, both ways, as a relay round trip does. */
export function exchange(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}
