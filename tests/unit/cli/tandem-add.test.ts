import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { agendaFor } from '../../../src/shared/domain/series-doc.js';
import { runCli } from '../../../src/cli/tandem.js';
import { serveLocalSocket } from '../../../src/core/local-socket.js';
import { silentLogger } from '../../../src/node/log.js';
import { WEEKLY } from '../helpers/cadence.js';
import { openCore, tempDir } from '../helpers/core.js';

/** Runs the command line on `dataDir`; resolves to what it printed, or to the one-line error it would exit 1 with. */
async function tandem(dataDir: string, ...argv: string[]): Promise<{ out: string[]; error: string | null }> {
  const out: string[] = [];
  try {
    await runCli(argv, { TANDEM_DATA_DIR: dataDir }, (line) => out.push(line));
    return { out, error: null };
  } catch (error) {
    return { out, error: (error as Error).message };
  }
}

test('without a running Tandem, `tandem add` opens the data dir, stores the item and says where it went', async () => {
  const { core, api, dataDir } = await openCore({ clock: () => new Date('2030-01-02T09:00:00.000Z') });
  const sam = await api.createSeries({ kind: 'manager-report', myRole: 'manager', partnerName: 'Sam Lee', cadence: WEEKLY });
  await core.close();

  const run = await tandem(dataDir, 'add', '@sam', 'promotion', 'timeline', '#career');
  expect(run.error).toBeNull();
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

    const run = await tandem(dataDir, 'add', '--data-dir', dataDir, 'budget for the offsite #fyi !async');
    expect(run.error).toBeNull();
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

  expect((await tandem(dataDir, 'add', '@sam talk #carrer')).error).toMatch(/^#carrer is not a purpose: did you mean #career\?/);
  expect((await tandem(dataDir, 'add')).error).toMatch(/^add needs a LINE/);
  expect((await tandem(join(dataDir, 'typo'), 'add', 'talk')).error).toBe(
    `There is no Tandem data in ${join(dataDir, 'typo')}: open Tandem once, or name its folder with --data-dir.`,
  );
  expect(existsSync(join(dataDir, 'typo'))).toBe(false);

  const again = await openCore({ dataDir });
  expect(again.core.docs.with(sam.id, (doc) => agendaFor(doc, null))).toEqual([]);
  await again.core.close();
});
