/**
 * The command line against real data dirs: in this process through `runCli` for each command and
 * error, and as a real process (bin/tandem.mjs) for the exit code, the one-line error and the
 * refusal of a data dir another Tandem process holds.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { runCli } from '../../../src/cli/tandem.js';
import { TandemCore } from '../../../src/core/tandem-core.js';
import { addAgendaItem, addMeeting } from '../../../src/shared/domain/commands.js';
import { skipMeeting } from '../../../src/shared/domain/series-commands.js';
import { currentMeeting } from '../../../src/shared/domain/meetings.js';
import { meetingNotes } from '../../../src/shared/domain/series-doc.js';
import { tempDir } from '../helpers/core.js';
import { damageTable } from '../helpers/damage.js';
import { writeParagraph } from '../helpers/notes.js';

const BIN = resolve(import.meta.dirname, '../../../bin/tandem.mjs');

async function cli(dataDir: string, ...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  await runCli([...args, '--data-dir', dataDir], {}, (line) => lines.push(line));
  return lines;
}

/** A data dir with one 1:1 made by the command line, and words in its agenda and notes. */
async function withOneSeries() {
  const dataDir = tempDir();
  const [id] = await cli(
    dataDir,
    'new',
    '--with',
    'Sam',
    '--kind',
    'manager-report',
    '--role',
    'manager',
    '--cadence',
    'biweekly',
    '--me',
    'Dana',
  );
  const core = await TandemCore.open({ dataDir, sync: false });
  const me = core.currentProfile!.id;
  core.docs.with(id!, (doc) => {
    addAgendaItem(doc, { title: 'Promotion timeline', purpose: 'career' }, { now: new Date(), userId: me });
    writeParagraph(meetingNotes(doc, currentMeeting(doc)!.id), 'Sam wants to lead the migration.');
  });
  await core.close();
  return { dataDir, id: id! };
}

describe('commands', () => {
  test('new prints the id of a 1:1 that list then shows, with its kind and cadence', async () => {
    const { dataDir, id } = await withOneSeries();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const [line] = await cli(dataDir, 'list');
    expect(line!.split('\t').slice(0, 4)).toEqual([id, 'Sam', 'manager-report', 'active']);
    const listed = JSON.parse((await cli(dataDir, 'list', '--json')).join('\n')) as { id: string; cadence: string; myRole: string }[];
    expect(listed.map((s) => [s.id, s.cadence, s.myRole])).toEqual([[id, 'biweekly', 'manager']]);
  });

  test('search finds words from the agenda and the notes, as text or JSON', async () => {
    const { dataDir, id } = await withOneSeries();
    expect(await cli(dataDir, 'search', 'migration')).toEqual([expect.stringMatching(/\tSam\tnotes\t.*lead the \*migration\*/)]);
    const results = JSON.parse((await cli(dataDir, 'search', 'promotion', '--json')).join('\n')) as { seriesId: string; kind: string }[];
    expect(results.map((r) => [r.seriesId, r.kind])).toEqual([[id, 'item']]);
    expect(await cli(dataDir, 'search', 'nothing-here')).toEqual([]);
  });

  test('export writes Markdown files, private notes only with --private', async () => {
    const { dataDir, id } = await withOneSeries();
    const out = join(tempDir(), 'md');
    expect(await cli(dataDir, 'export', '--series', id, '--out', out)).toEqual([`Exported 1 meeting to ${out}`]);
    const [folder] = readdirSync(out);
    const [file] = readdirSync(join(out, folder!));
    expect(readFileSync(join(out, folder!, file!), 'utf8')).toContain('Sam wants to lead the migration.');
    expect(await cli(dataDir, 'export', '--out', join(tempDir(), 'all'), '--private')).toEqual([
      expect.stringMatching(/^Exported 1 meeting to /),
    ]);
  });

  test('insights prints the health report as Markdown or JSON, or writes it into a file of the user only', async () => {
    const { dataDir, id } = await withOneSeries();
    const core = await TandemCore.open({ dataDir, sync: false });
    const ctx = { now: new Date(), userId: core.currentProfile!.id };
    core.docs.with(id, (doc) => {
      for (const weeks of [2, 1])
        skipMeeting(
          doc,
          { meetingId: addMeeting(doc, { scheduledFor: new Date(Date.now() - weeks * 7 * 86_400_000).toISOString() }, ctx), reason: '' },
          ctx,
        );
    });
    await core.close();

    const markdown = (await cli(dataDir, 'insights')).join('\n');
    expect(markdown).toMatch(/^# 1:1 health report\n/);
    expect(markdown).toContain('## Sam');
    expect(markdown).toContain('- **2 meetings in a row were cancelled.**');
    expect(markdown).toContain('- Cancelled, last 90 days: 100 % (2 of 2), 0 moved');
    const json = JSON.parse((await cli(dataDir, 'insights', '--series', id, '--json')).join('\n')) as {
      oneOnOnes: { seriesId: string; flags: { id: string }[] }[];
    };
    expect(json.oneOnOnes.map((e) => [e.seriesId, e.flags.map((f) => f.id)])).toEqual([[id, ['cancellation-cascade']]]);

    const file = join(tempDir(), 'health.md');
    expect(await cli(dataDir, 'insights', '--out', file)).toEqual([`Wrote the health report to ${file}`]);
    expect(readFileSync(file, 'utf8')).toBe(markdown + '\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  test('backup then restore moves everything to a new data dir', async () => {
    const { dataDir, id } = await withOneSeries();
    const file = join(tempDir(), 'tandem.tandem-backup');
    expect(await cli(dataDir, 'backup', file)).toEqual([`Backed up ${dataDir} to ${file}`]);
    const fresh = join(tempDir(), 'new-machine');
    expect(await cli(fresh, 'restore', file)).toEqual([`Restored ${file} into ${fresh}`]);
    expect((await cli(fresh, 'list')).map((l) => l.split('\t')[0])).toEqual([id]);
    expect(await cli(fresh, 'search', 'migration')).toHaveLength(1);
    expect(existsSync(join(fresh, 'tandem.lock'))).toBe(false);
  });
});

describe('errors', () => {
  test.each([
    [['frobnicate'], 'unknown command "frobnicate" (see tandem --help)'],
    [['list', '--colour'], 'unknown option --colour (see tandem --help)'],
    [['list', 'extra'], 'list takes no argument "extra" (see tandem --help)'],
    [['new'], 'new needs --with NAME, the other person (see tandem --help)'],
    [['new', '--with'], '--with needs a value'],
    [['new', '--with', 'Sam', '--kind', 'boss', '--me', 'Dana'], /^--kind: Something in that request is not valid/],
    [['new', '--with', 'Sam'], 'Set your name first: open Tandem once, or add --me YOUR_NAME.'],
    [['new', '--with', 'Sam', '--cadence', 'daily', '--me', 'Dana'], /^--cadence: /],
    [['backup'], 'backup needs a FILE to write (see tandem --help)'],
    [['restore'], 'restore needs the backup FILE (see tandem --help)'],
    [['export'], 'export needs --out DIR, the folder to write into (see tandem --help)'],
    [['export', '--series', 'not-an-id', '--out', '/tmp/x'], /could not be found \(its id is not valid\)/],
    [['search'], 'search needs a QUERY (see tandem --help)'],
    [['insights', '--series', 'not-an-id'], /could not be found \(its id is not valid\)/],
    [['insights', 'extra'], 'insights takes no argument "extra" (see tandem --help)'],
  ])('%j is refused with one sentence', async (args, message) => {
    await expect(cli(tempDir(), ...args)).rejects.toThrow(message);
  });

  test('restore refuses a damaged backup and a data dir that holds data, changing nothing', async () => {
    const { dataDir } = await withOneSeries();
    const bad = join(tempDir(), 'bad');
    writeFileSync(bad, 'TANDEM-BACKUP\n{}\n');
    const empty = join(tempDir(), 'empty');
    await expect(cli(empty, 'restore', bad)).rejects.toThrow(
      /cannot be restored: it is damaged \(its manifest does not read\)\. Nothing was changed\./,
    );
    expect(readdirSync(empty)).toEqual([]);
    const file = join(tempDir(), 'ok');
    await cli(dataDir, 'backup', file);
    const before = readFileSync(join(dataDir, 'tandem.db'));
    await expect(cli(dataDir, 'restore', file)).rejects.toThrow(/already holds Tandem data/);
    expect(readFileSync(join(dataDir, 'tandem.db')).equals(before)).toBe(true);
  });

  test('a command refuses a damaged database before doing its job, saying what to do, and writes no backup of it', async () => {
    const { dataDir } = await withOneSeries();
    const dbFile = join(dataDir, 'tandem.db');
    damageTable(dbFile, 'agenda_items');
    const file = join(tempDir(), 'tandem.tandem-backup');
    await expect(cli(dataDir, 'backup', file)).rejects.toThrow(`${dbFile} is damaged (SQLite quick_check: `);
    expect(existsSync(file)).toBe(false);
  });

  test('backup into a folder that cannot be written is refused with a sentence', async () => {
    const { dataDir } = await withOneSeries();
    const aFile = join(tempDir(), 'plain-file');
    writeFileSync(aFile, '');
    await expect(cli(dataDir, 'backup', join(aFile, 'inside.tandem-backup'))).rejects.toThrow(
      /could not write the backup .* \(E(NOTDIR|EXIST)\)/,
    );
  });
});

describe('as a process', () => {
  const run = promisify(execFile);

  test('exits 0 and prints the id; exits 1 with one line on stderr; refuses a data dir another Tandem holds', async () => {
    const dataDir = tempDir();
    const made = await run(process.execPath, [BIN, 'new', '--with', 'Alex', '--kind', 'peer', '--me', 'Dana', '--data-dir', dataDir]);
    expect(made.stdout).toMatch(/^[0-9a-f-]{36}\n$/);

    const failed = await run(process.execPath, [BIN, 'frobnicate', '--data-dir', dataDir]).catch(
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(failed).toMatchObject({ code: 1, stdout: '', stderr: 'tandem: unknown command "frobnicate" (see tandem --help)\n' });

    const app = await TandemCore.open({ dataDir, sync: false });
    try {
      const held = await run(process.execPath, [BIN, 'list', '--data-dir', dataDir]).catch((e: { code: number; stderr: string }) => e);
      expect(held).toMatchObject({
        code: 1,
        stderr: `tandem: Another Tandem (process ${process.pid}) is using ${dataDir}. Close it first, or use another data directory (--data-dir or TANDEM_DATA_DIR).\n`,
      });
    } finally {
      await app.close();
    }
    const listed = await run(process.execPath, [BIN, 'list', '--json'], { env: { ...process.env, TANDEM_DATA_DIR: dataDir } });
    expect((JSON.parse(listed.stdout) as { partnerName: string }[]).map((s) => s.partnerName)).toEqual(['Alex']);
  }, 60_000);
});
