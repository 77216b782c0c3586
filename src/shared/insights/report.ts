/**
 * The health report a person exports when they ask for it: the flags and figures of their 1:1s as
 * Markdown or JSON, worked out on this device. Pure: the core gathers the reports, the shell saves
 * the file (a download in the browser, a file or standard output for the command line).
 */
import { escapeMarkdown, PURPOSE_LABEL } from '../domain/markdown.js';
import type { Role, SeriesKind } from '../schemas.js';
import type { Flag, HealthReport } from './flags.js';
import { GROWTH_PURPOSES, type HealthSignals } from './signals.js';

export interface HealthFigure {
  term: string;
  value: string;
}

const pct = (share: number | null) => (share === null ? '–' : `${Math.round(share * 100)} %`);

/** The figures behind the flags, as the panel shows them and the report writes them. */
export function healthFigures(s: HealthSignals, nameOf: (userId: string) => string): HealthFigure[] {
  const prepared = Object.entries(s.preparation.byAuthor)
    .map(([id, n]) => `${nameOf(id)} ${n}`)
    .join(', ');
  const estimated = s.preparation.estimated
    ? `; ${s.preparation.estimated} older ${s.preparation.estimated === 1 ? 'item' : 'items'} judged by when added`
    : '';
  return [
    {
      term: 'Cancelled, last 90 days',
      value: `${pct(s.cancellations.canceledShare)} (${s.cancellations.canceled} of ${s.cancellations.canceled + s.cancellations.held}), ${s.cancellations.moved} moved`,
    },
    ...(s.authorship.managerId
      ? [
          {
            term: 'Written by the manager, last five held meetings',
            value: `agenda ${pct(s.authorship.itemShare)}, notes ${pct(s.authorship.notesShare)}`,
          },
        ]
      : []),
    { term: 'Status and FYI among items discussed lately', value: pct(s.reverseBriefing.statusShare) },
    ...GROWTH_PURPOSES.map((p) => {
      const days = s.purposes.byPurpose[p].days;
      return {
        term: `Last ${PURPOSE_LABEL[p]!.toLowerCase()} item discussed`,
        value: days === null ? 'never' : days === 0 ? 'today' : `${days} ${days === 1 ? 'day' : 'days'} ago`,
      };
    }),
    {
      term: 'Next steps done by their due date',
      value: `${pct(s.followThrough.onTimeShare)} (${s.followThrough.doneOnTime} of ${s.followThrough.due}), ${s.followThrough.overdue} overdue`,
    },
    { term: 'Items carried three times or more', value: String(s.followThrough.stuckItems) },
    {
      term: 'Items with context before the meeting',
      value: `${pct(s.preparation.preparedShare)}${prepared ? ` (context by ${prepared})` : ''}${estimated}`,
    },
  ];
}

export interface SeriesHealthReport {
  seriesId: string;
  title: string;
  kind: SeriesKind;
  /** The people of the 1:1 by user id: the ids the signals name. */
  people: Record<string, { name: string; role: Role }>;
  report: HealthReport;
}

export type HealthExportFormat = 'markdown' | 'json';

export interface HealthExportFile {
  fileName: string;
  mimeType: string;
  content: string;
}

const flagJson = ({ id, headline, meaning, tryThis }: Flag) => ({ id, headline, meaning, tryThis });

/** One file holding the health of `entries` (one 1:1, or all), as worked out at `at`. */
export function healthExport(entries: SeriesHealthReport[], at: Date, format: HealthExportFormat): HealthExportFile {
  const stamp = at.toISOString().slice(0, 10);
  const base = `tandem-health-${entries.length === 1 ? `${slug(entries[0]!.title)}-` : ''}${stamp}`;
  if (format === 'json') {
    const body = {
      format: 'tandem-health-report',
      version: 1,
      generatedAt: at.toISOString(),
      oneOnOnes: entries.map((e) => ({
        seriesId: e.seriesId,
        title: e.title,
        kind: e.kind,
        people: e.people,
        flags: e.report.flags.map(flagJson),
        signals: e.report.signals,
      })),
    };
    return { fileName: `${base}.json`, mimeType: 'application/json', content: JSON.stringify(body, null, 2) + '\n' };
  }
  return { fileName: `${base}.md`, mimeType: 'text/markdown', content: healthMarkdown(entries, at) };
}

function healthMarkdown(entries: SeriesHealthReport[], at: Date): string {
  const lines = [
    '# 1:1 health report',
    '',
    `Worked out on this device on ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC from each 1:1’s own agenda, notes and meetings.`,
  ];
  if (entries.length === 0) lines.push('', 'No running 1:1s.');
  for (const e of entries) {
    const nameOf = (id: string) => e.people[id]?.name ?? 'Someone else';
    lines.push('', `## ${escapeMarkdown(e.title)}`, '', '### Needs attention', '');
    if (e.report.flags.length === 0) lines.push('Nothing needs attention right now.');
    for (const f of e.report.flags) lines.push(`- **${f.headline}.** ${f.meaning} Try: ${f.tryThis}`);
    lines.push('', '### The figures', '');
    for (const f of healthFigures(e.report.signals, nameOf)) lines.push(`- ${f.term}: ${escapeMarkdown(f.value)}`);
  }
  return lines.join('\n') + '\n';
}

/** A file-name-safe form of a 1:1's name. */
function slug(title: string): string {
  return (
    title
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .toLowerCase()
      .replace(/[\s_-]+/g, '-')
      .slice(0, 40) || '1-1'
  );
}
