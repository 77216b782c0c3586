/**
 * `tandem`: Tandem from the command line, for people who script their machines. It runs the same
 * core on the same data directory as the app (--data-dir or TANDEM_DATA_DIR, else the platform's
 * folder), holds the same lock (so it refuses a data directory another Tandem has open; only `add`
 * goes through a running Tandem instead), never connects to a relay, and on error exits 1 with one
 * line on stderr.
 *
 *   tandem add LINE
 *   tandem list [--json]
 *   tandem new --with NAME [--kind manager-report|peer|skip-level] [--role manager|report] [--cadence weekly|biweekly|every-4-weeks|monthly-nth-weekday] [--me NAME]
 *   tandem backup FILE
 *   tandem restore FILE
 *   tandem export [--series ID] --out DIR [--private]
 *   tandem search QUERY [--json]
 *   tandem insights [--series ID] [--json] [--out FILE]
 *   tandem calendar [--series ID] --out FILE
 *   tandem calendar import FILE --series ID [--event N]
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { SearchResult, SeriesSummary } from '../shared/api.js';
import { cadenceFrom, describeCadence, deviceTimeZone } from '../shared/domain/cadence.js';
import { TandemError } from '../shared/errors.js';
import { CALENDAR_MAX_CHARS, CALENDAR_TOO_LARGE, CadencePattern, SeriesKind, explainZodError } from '../shared/schemas.js';
import { addFromCommandLine } from './quick-add-command.js';
import { restoreBackup } from '../core/backup/backup.js';
import { flagValue, prepareDataDir, resolveDataDir } from '../core/data-dir.js';
import { lockDataDir } from '../core/data-lock.js';
import { TandemCore, defaultFirstMeeting, type CoreSession } from '../core/tandem-core.js';

export const USAGE = `usage: tandem <command> [--data-dir DIR]
  add LINE                              a quick-add line ("@sam promotion timeline #career !async >>")
                                        to a 1:1, through the running Tandem when there is one
  list [--json]                         the 1:1s on this device
  new --with NAME [--kind manager-report|peer|skip-level] [--role manager|report]
      [--cadence weekly|biweekly|every-4-weeks|monthly-nth-weekday] [--me NAME]
                                        a new 1:1; prints its id
  backup FILE                           all local data into one file
  restore FILE                          a backup into an empty data directory
  export [--series ID] --out DIR [--private]
                                        meetings as Markdown, one file each
  search QUERY [--json]                 words across every 1:1
  insights [--series ID] [--json] [--out FILE]
                                        the health report of one 1:1 or all running ones,
                                        as Markdown (or JSON), on standard output or into FILE
  calendar [--series ID] --out FILE     the cadence of a 1:1 (or of all, as one feed) as an .ics file;
                                        FILE may be a folder
  calendar import FILE --series ID [--event N]
                                        a repeating event of an .ics file as the 1:1's cadence`;

const FLAGS_WITH_VALUES = new Set(['data-dir', 'with', 'kind', 'role', 'cadence', 'me', 'series', 'out', 'event']);
const SWITCHES = new Set(['json', 'private', 'help']);

/** The words that are not flags or flag values, after checking every flag is known. */
function positionals(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      out.push(arg);
      continue;
    }
    const name = arg.slice(2).split('=')[0]!;
    if (SWITCHES.has(name)) continue;
    if (!FLAGS_WITH_VALUES.has(name)) throw new TandemError('invalid-input', `unknown option --${name} (see tandem --help)`);
    if (!arg.includes('=')) {
      if (argv[i + 1] === undefined || argv[i + 1]!.startsWith('--')) throw new TandemError('invalid-input', `--${name} needs a value`);
      i++;
    }
  }
  return out;
}

function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new TandemError('invalid-input', `${what}: ${explainZodError(result.error)}`);
  return result.data;
}

type Out = (line: string) => void;

async function withCore<T>(dataDir: string, fn: (api: CoreSession, core: TandemCore) => Promise<T>): Promise<T> {
  const core = await TandemCore.open({ dataDir, sync: false, checkStorageAtOpen: true });
  try {
    return await fn(core.connect(), core);
  } finally {
    await core.close();
  }
}

const seriesLine = (s: SeriesSummary) =>
  [
    s.id,
    s.title || s.partnerName,
    s.kind,
    s.state,
    s.nextMeetingAt ? s.nextMeetingAt.slice(0, 16).replace('T', ' ') : '-',
    `${s.openItemCount} open`,
  ].join('\t');

/** A file's text, or one line saying why it cannot be read. */
function readCalendarFile(file: string): string {
  try {
    // UTF-8 takes at most four bytes a character: anything larger is refused without reading it.
    if (statSync(file).size > CALENDAR_MAX_CHARS * 4) throw new TandemError('invalid-input', CALENDAR_TOO_LARGE);
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof TandemError) throw error;
    throw new TandemError('invalid-input', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** Where `--out` puts a calendar file: the path itself, or the file's own name inside it when it is a folder. */
function calendarPath(out: string, fileName: string): string {
  const path = resolve(out);
  try {
    return statSync(path).isDirectory() ? join(path, fileName) : path;
  } catch {
    return path;
  }
}

async function calendarCommand(argv: readonly string[], rest: string[], dataDir: string, out: Out): Promise<void> {
  const seriesId = flagValue(argv, 'series');
  if (rest[0] === 'import') {
    if (rest.length !== 2) throw new TandemError('invalid-input', 'calendar import needs the .ics FILE to read (see tandem --help)');
    if (!seriesId) throw new TandemError('invalid-input', 'calendar import needs --series ID, the 1:1 to set (see tandem list)');
    const event = flagValue(argv, 'event');
    const pick = event === undefined ? undefined : parsed(z.coerce.number().int().min(1), event, '--event') - 1;
    const ics = readCalendarFile(resolve(rest[1]!));
    const result = await withCore(dataDir, (api) => api.importCalendarCadence({ seriesId, ics, ...(pick === undefined ? {} : { pick }) }));
    if (result.status === 'choose') {
      const choices = result.candidates.map((c, i) => `${i + 1} "${c.summary}" (${describeCadence(c.cadence)})`).join('; ');
      throw new TandemError(
        'invalid-input',
        `The file holds ${result.candidates.length} repeating events: choose one with --event N: ${choices}`,
      );
    }
    out(`Set the cadence to: ${describeCadence(result.candidate.cadence)} (from "${result.candidate.summary}")`);
    for (const note of result.candidate.notes) out(note);
    return;
  }
  if (rest.length) throw new TandemError('invalid-input', `calendar takes no argument "${rest[0]}" (see tandem --help)`);
  const target = flagValue(argv, 'out');
  if (!target) throw new TandemError('invalid-input', 'calendar needs --out FILE, the .ics file to write (see tandem --help)');
  const file = await withCore(dataDir, (api) => api.exportCalendar(seriesId ? { seriesId } : {}));
  const path = calendarPath(target, file.fileName);
  try {
    writeFileSync(path, file.ics);
  } catch (error) {
    throw new TandemError('invalid-input', `cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  out(`Wrote ${file.series} 1:1${file.series === 1 ? '' : 's'} to ${path}${file.skipped ? ` (${file.skipped} too damaged to write)` : ''}`);
}

const resultLine = (r: SearchResult) =>
  [
    r.at.slice(0, 10),
    r.seriesName,
    r.kind,
    [...r.title, ...(r.title.length && r.snippet.length ? [{ text: ' · ', hit: false }] : []), ...r.snippet]
      .map((p) => (p.hit ? `*${p.text}*` : p.text))
      .join(''),
  ].join('\t');

export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv, out: Out): Promise<void> {
  const words = positionals(argv);
  const [command, ...rest] = words;
  if (!command || argv.includes('--help')) return out(USAGE);
  const dataDir = resolveDataDir(argv, env);
  const json = argv.includes('--json');
  const one = (what: string) => {
    if (rest.length !== 1) throw new TandemError('invalid-input', `${command} needs ${what} (see tandem --help)`);
    return rest[0]!;
  };
  const none = () => {
    if (rest.length) throw new TandemError('invalid-input', `${command} takes no argument "${rest[0]}" (see tandem --help)`);
  };

  switch (command) {
    case 'add':
      return out(await addFromCommandLine(rest.join(' '), dataDir, env));
    case 'list': {
      none();
      const series = await withCore(dataDir, (api) => api.listSeries());
      if (json) out(JSON.stringify(series, null, 2));
      else for (const s of series) out(seriesLine(s));
      return;
    }
    case 'new': {
      none();
      const partnerName = flagValue(argv, 'with');
      if (!partnerName) throw new TandemError('invalid-input', 'new needs --with NAME, the other person (see tandem --help)');
      const kind = parsed(SeriesKind, flagValue(argv, 'kind') ?? 'manager-report', '--kind');
      const role = flagValue(argv, 'role') ?? (kind === 'peer' ? undefined : 'manager');
      const pattern = flagValue(argv, 'cadence');
      const id = await withCore(dataDir, async (api, core) => {
        const me = flagValue(argv, 'me');
        if (me) await api.setProfile({ name: me });
        if (!core.currentProfile) throw new TandemError('invalid-input', 'Set your name first: open Tandem once, or add --me YOUR_NAME.');
        const cadence = pattern
          ? cadenceFrom(parsed(CadencePattern, pattern, '--cadence'), new Date(defaultFirstMeeting(core.now())), deviceTimeZone())
          : undefined;
        const created = await api.createSeries({
          partnerName,
          kind,
          ...(role ? { myRole: role as 'manager' | 'report' } : {}),
          ...(cadence ? { cadence } : {}),
        });
        return created.id;
      });
      out(id);
      return;
    }
    case 'backup': {
      const file = resolve(one('a FILE to write'));
      await withCore(dataDir, (_api, core) => core.backup(file));
      out(`Backed up ${dataDir} to ${file}`);
      return;
    }
    case 'restore': {
      const file = resolve(one('the backup FILE'));
      prepareDataDir(dataDir);
      const unlock = lockDataDir(dataDir);
      try {
        restoreBackup(file, dataDir);
      } finally {
        unlock();
      }
      out(`Restored ${file} into ${dataDir}`);
      return;
    }
    case 'export': {
      none();
      const dir = flagValue(argv, 'out');
      if (!dir) throw new TandemError('invalid-input', 'export needs --out DIR, the folder to write into (see tandem --help)');
      const seriesId = flagValue(argv, 'series');
      const result = await withCore(dataDir, (api) =>
        api.exportMarkdown({ dir: resolve(dir), includePrivate: argv.includes('--private'), ...(seriesId ? { seriesId } : {}) }),
      );
      out(
        `Exported ${result.files.length} meeting${result.files.length === 1 ? '' : 's'} to ${result.dir}${result.skipped ? ` (${result.skipped} too damaged to export)` : ''}`,
      );
      return;
    }
    case 'search': {
      const query = rest.join(' ');
      if (!query.trim()) throw new TandemError('invalid-input', 'search needs a QUERY (see tandem --help)');
      const results = await withCore(dataDir, (api) => api.search({ query }));
      if (json) out(JSON.stringify(results, null, 2));
      else for (const r of results) out(resultLine(r));
      return;
    }
    case 'insights': {
      none();
      const seriesId = flagValue(argv, 'series');
      const target = flagValue(argv, 'out');
      const file = await withCore(dataDir, (api) =>
        api.exportHealth({ format: json ? 'json' : 'markdown', ...(seriesId ? { seriesId } : {}) }),
      );
      if (!target) return out(file.content.replace(/\n$/, ''));
      const path = resolve(target);
      try {
        writeFileSync(path, file.content, { mode: 0o600 });
      } catch (error) {
        throw new TandemError('storage', `could not write ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
      out(`Wrote the health report to ${path}`);
      return;
    }
    case 'calendar':
      return calendarCommand(argv, rest, dataDir, out);
    default:
      throw new TandemError('invalid-input', `unknown command "${command}" (see tandem --help)`);
  }
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  try {
    await runCli(argv, process.env, (line) => process.stdout.write(line + '\n'));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`tandem: ${message.split('\n')[0]}\n`);
    process.exitCode = 1;
  }
}
