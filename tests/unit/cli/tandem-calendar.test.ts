/**
 * `tandem calendar` against real data dirs: writing one 1:1's .ics file or the feed, importing a
 * cadence from a file, and each error (one line, nothing changed); as a real process for the exit
 * code and the one line on stderr.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { runCli } from '../../../src/cli/tandem.js';
import { calendarFile, repeatingEvent } from '../helpers/calendar.js';
import { tempDir } from '../helpers/core.js';

const BIN = resolve(import.meta.dirname, '../../../bin/tandem.mjs');

async function cli(dataDir: string, ...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  await runCli([...args, '--data-dir', dataDir], {}, (line) => lines.push(line));
  return lines;
}

/** A data dir with two 1:1s made by the command line. */
async function twoSeries() {
  const dataDir = tempDir();
  const [sam] = await cli(dataDir, 'new', '--with', 'Sam', '--kind', 'peer', '--cadence', 'biweekly', '--me', 'Dana');
  const [kim] = await cli(dataDir, 'new', '--with', 'Kim', '--kind', 'peer', '--cadence', 'weekly');
  return { dataDir, sam: sam!, kim: kim! };
}

function writeTemp(name: string, text: string): string {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}

const cadenceLine = async (dataDir: string, id: string) => {
  const listed = JSON.parse((await cli(dataDir, 'list', '--json')).join('\n')) as { id: string; cadence: string }[];
  return listed.find((s) => s.id === id)!.cadence;
};

describe('tandem calendar', () => {
  test('writes one 1:1 to a file, or the feed of all into a folder under its own name', async () => {
    const { dataDir, sam, kim } = await twoSeries();
    const file = join(tempDir(), 'sam.ics');
    expect(await cli(dataDir, 'calendar', '--series', sam, '--out', file)).toEqual([`Wrote 1 1:1 to ${file}`]);
    const one = readFileSync(file, 'utf8');
    expect(one).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(one).toContain(`UID:${sam}@tandem`);
    expect(one).toContain('RRULE:FREQ=WEEKLY;INTERVAL=2;');
    expect(one).toContain('SUMMARY:1:1 Dana / Sam');

    const folder = tempDir();
    expect(await cli(dataDir, 'calendar', '--out', folder)).toEqual([`Wrote 2 1:1s to ${join(folder, 'tandem-1-1s.ics')}`]);
    const feed = readFileSync(join(folder, 'tandem-1-1s.ics'), 'utf8');
    expect([feed.includes(`UID:${sam}@tandem`), feed.includes(`UID:${kim}@tandem`)]).toEqual([true, true]);
  });

  test('import sets the cadence from the one repeating event of a file, and says what it set', async () => {
    const { dataDir, sam } = await twoSeries();
    const file = writeTemp('monthly.ics', calendarFile([repeatingEvent('FREQ=MONTHLY;BYDAY=2TU', 'Sam 1:1')]));
    expect(await cli(dataDir, 'calendar', 'import', file, '--series', sam)).toEqual([
      'Set the cadence to: Monthly on the second Tuesday at 10:00 (America/New_York), 45 minutes, from 2026-01-13 (from "Sam 1:1")',
    ]);
    expect(await cadenceLine(dataDir, sam)).toBe('monthly-nth-weekday');
  });

  test('a file with several repeating events needs --event; with it, that one is set', async () => {
    const { dataDir, sam } = await twoSeries();
    const file = writeTemp(
      'two.ics',
      calendarFile([repeatingEvent('FREQ=WEEKLY;INTERVAL=4', 'Team'), repeatingEvent('FREQ=MONTHLY;BYDAY=-1FR', 'Sam', '20260130T160000')]),
    );
    await expect(cli(dataDir, 'calendar', 'import', file, '--series', sam)).rejects.toThrow(
      'The file holds 2 repeating events: choose one with --event N: 1 "Team" (Every four weeks on Tuesday at 10:00 (America/New_York), 45 minutes, from 2026-01-13); 2 "Sam" (Monthly on the last Friday at 16:00 (America/New_York), 45 minutes, from 2026-01-30)',
    );
    expect(await cadenceLine(dataDir, sam)).toBe('biweekly');
    expect(await cli(dataDir, 'calendar', 'import', file, '--series', sam, '--event', '1')).toEqual([
      'Set the cadence to: Every four weeks on Tuesday at 10:00 (America/New_York), 45 minutes, from 2026-01-13 (from "Team")',
    ]);
    expect(await cadenceLine(dataDir, sam)).toBe('every-4-weeks');
  });

  describe('errors: one line, nothing changed', () => {
    test.each([
      [['calendar'], 'calendar needs --out FILE, the .ics file to write (see tandem --help)'],
      [['calendar', 'export', '--out', '/tmp/x.ics'], 'calendar takes no argument "export" (see tandem --help)'],
      [['calendar', '--series', 'not-an-id', '--out', '/tmp/x.ics'], /its id is not valid/],
      [['calendar', '--series', '00000000-0000-4000-8000-000000000000', '--out', '/tmp/x.ics'], /^This 1:1 is not on this device/],
      [['calendar', 'import'], 'calendar import needs the .ics FILE to read (see tandem --help)'],
      [['calendar', 'import', 'x.ics'], 'calendar import needs --series ID, the 1:1 to set (see tandem list)'],
      [['calendar', 'import', '/nowhere/x.ics', '--series', 'SAM'], 'cannot read /nowhere/x.ics: ENOENT'],
      [['calendar', 'import', 'DAILY', '--series', 'SAM'], /^"Daily" cannot be a cadence: it repeats daily\.$/],
      [['calendar', 'import', 'NOT-ICS', '--series', 'SAM'], /^That is not a calendar \(\.ics\) file Tandem can read: /],
      [['calendar', 'import', 'LARGE', '--series', 'SAM'], 'That calendar file is larger than 1 MB: export only the event you need.'],
      [['calendar', 'import', 'TWO', '--series', 'SAM', '--event', '3'], 'That file has 2 events to choose from; there is no number 3.'],
      [['calendar', 'import', 'TWO', '--series', 'SAM', '--event', 'first'], /^--event: /],
    ])('%j', async (args, message) => {
      const { dataDir, sam } = await twoSeries();
      const files: Record<string, string> = {
        DAILY: writeTemp('daily.ics', calendarFile([repeatingEvent('FREQ=DAILY', 'Daily')])),
        'NOT-ICS': writeTemp('notes.ics', 'BEGIN:VCALENDAR\r\nthese are my notes\r\n'),
        LARGE: writeTemp('large.ics', calendarFile([repeatingEvent('FREQ=WEEKLY', 'x'.repeat(1_100_000))])),
        TWO: writeTemp('two.ics', calendarFile([repeatingEvent('FREQ=WEEKLY', 'A'), repeatingEvent('FREQ=WEEKLY;INTERVAL=2', 'B')])),
      };
      const argv = args.map((a) => (a === 'SAM' ? sam : (files[a] ?? a)));
      const error = await cli(dataDir, ...argv).then(
        () => null,
        (e: Error) => e.message,
      );
      expect(error).not.toBeNull();
      expect(error).not.toContain('\n');
      expect(error).toMatch(typeof message === 'string' ? new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : message);
      expect(await cadenceLine(dataDir, sam)).toBe('biweekly');
    });

    test('a file that cannot be written', async () => {
      const { dataDir } = await twoSeries();
      const blocker = join(tempDir(), 'a-file');
      writeFileSync(blocker, '');
      await expect(cli(dataDir, 'calendar', '--out', join(blocker, 'inside.ics'))).rejects.toThrow(
        /^cannot write .*inside\.ics: E(NOTDIR|NOENT)$/,
      );
    });
  });

  test('as a process: exits 0 writing the file, and 1 with one line on stderr for a refused file', async () => {
    const run = promisify(execFile);
    const { dataDir, sam } = await twoSeries();
    const out = join(tempDir(), 'out');
    mkdirSync(out);
    const wrote = await run(process.execPath, [BIN, 'calendar', '--series', sam, '--out', join(out, 'sam.ics'), '--data-dir', dataDir]);
    expect(wrote.stdout).toBe(`Wrote 1 1:1 to ${join(out, 'sam.ics')}\n`);
    const daily = writeTemp('daily.ics', calendarFile([repeatingEvent('FREQ=DAILY', 'Daily')]));
    const failed = await run(process.execPath, [BIN, 'calendar', 'import', daily, '--series', sam, '--data-dir', dataDir]).catch(
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(failed).toMatchObject({ code: 1, stdout: '', stderr: 'tandem: "Daily" cannot be a cadence: it repeats daily.\n' });
  }, 60_000);
});
