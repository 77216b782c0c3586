import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { agendaFor } from '../../../src/shared/domain/series-doc.js';
import { runCli, USAGE } from '../../../src/cli/tandem-cli.js';
import { serveLocalSocket } from '../../../src/core/local-socket.js';
import { silentLogger } from '../../../src/node/log.js';
import { WEEKLY } from '../helpers/cadence.js';
import { openCore, tempDir } from '../helpers/core.js';

function io(dataDir: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: { TANDEM_DATA_DIR: dataDir } } };
}

test('without a running Tandem, `tandem add` opens the data dir, stores the item and says where it went', async () => {
  const { core, api, dataDir } = await openCore({ clock: () => new Date('2030-01-02T09:00:00.000Z') });
  const sam = await api.createSeries({ kind: 'manager-report', myRole: 'manager', partnerName: 'Sam Lee', cadence: WEEKLY });
  await core.close();

  const run = io(dataDir);
  expect(await runCli(['add', '@sam', 'promotion', 'timeline', '#career'], run.io)).toBe(0);
  expect(run.out).toEqual([
    expect.stringMatching(/^Added “promotion timeline” to your 1:1 with Sam Lee, for the meeting on \w{3} \d+ Jan, \d\d:00\.$/),
  ]);

  const again = await openCore({ dataDir });
  expect(again.core.docs.with(sam.id, (doc) => agendaFor(doc, null).map((i) => [i.title, i.purpose]))).toEqual([
    ['promotion timeline', 'career'],
  ]);
  await again.core.close();
});

test('with a Tandem running on the data dir, `tandem add` goes through it: its windows see the item at once', async () => {
  const { core, api, dataDir } = await openCore();
  const sam = await api.createSeries({ kind: 'peer', partnerName: 'Sam Lee' });
  const local = await serveLocalSocket(core, dataDir, silentLogger);
  try {
    const window = core.connect();
    await window.openSeries({ seriesId: sam.id });
    const frames: string[] = [];
    window.onDocUpdate((seriesId) => frames.push(seriesId));

    const run = io(dataDir);
    expect(await runCli(['add', '--data-dir', dataDir, 'budget for the offsite #fyi !async'], run.io)).toBe(0);
    expect(run.out[0]).toMatch(/^Added “budget for the offsite” to your 1:1 with Sam Lee/);
    expect(frames).toContain(sam.id);
    expect(core.docs.with(sam.id, (doc) => agendaFor(doc, null).map((i) => [i.title, i.purpose, i.async]))).toEqual([
      ['budget for the offsite', 'status', true],
    ]);
  } finally {
    await local?.close();
    await core.close();
  }
});

test('a bad line or no command gets a sentence and a non-zero exit, and nothing is added', async () => {
  const dataDir = tempDir();
  const { core, api } = await openCore({ dataDir });
  const sam = await api.createSeries({ kind: 'peer', partnerName: 'Sam Lee' });
  await core.close();

  const bad = io(dataDir);
  expect(await runCli(['add', '@sam talk #carrer'], bad.io)).toBe(1);
  expect(bad.err).toEqual([expect.stringMatching(/^#carrer is not a purpose: did you mean #career\?/)]);
  const usage = io(dataDir);
  expect(await runCli(['list'], usage.io)).toBe(2);
  expect(await runCli(['add'], usage.io)).toBe(2);
  expect(usage.err).toEqual([USAGE, USAGE]);
  const nowhere = io(join(dataDir, 'typo'));
  expect(await runCli(['add', 'talk'], nowhere.io)).toBe(1);
  expect(nowhere.err).toEqual([
    `There is no Tandem data in ${join(dataDir, 'typo')}: open Tandem once, or name its folder with --data-dir.`,
  ]);
  expect(existsSync(join(dataDir, 'typo'))).toBe(false);

  const again = await openCore({ dataDir });
  expect(again.core.docs.with(sam.id, (doc) => agendaFor(doc, null))).toEqual([]);
  await again.core.close();
});
