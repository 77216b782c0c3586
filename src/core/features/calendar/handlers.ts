/**
 * A 1:1's cadence in people's calendars: an .ics file of one 1:1 or of all of them (the shell
 * saves the text), and a repeating event from an .ics file taken as a 1:1's cadence.
 */
import type { CalendarCandidate, CalendarRefusal, SeriesCalendar } from '../../../shared/domain/calendar.js';
import { withArchiveDocs } from '../../../shared/domain/archive.js';
import { setCadence } from '../../../shared/domain/series-commands.js';
import { readMeta } from '../../../shared/domain/series-doc.js';
import { TandemError } from '../../../shared/errors.js';
import { CalendarExportInput, CalendarImportInput, CalendarReadInput } from '../../../shared/schemas.js';
import type { CoreServices } from '../context.js';
import { handler } from '../define.js';
import { listSeries, requireSeries } from '../series/queries.js';

export interface CalendarFile {
  fileName: string;
  ics: string;
  /** How many 1:1s it holds, and how many were too damaged to write. */
  series: number;
  skipped: number;
}

export type CalendarImportResult =
  | { status: 'applied'; candidate: CalendarCandidate }
  /** The file holds several events that could be the cadence: call again with `pick`. */
  | { status: 'choose'; candidates: CalendarCandidate[]; refused: CalendarRefusal[] };

const FEED_NAME = 'Tandem 1:1s';

/**
 * Loaded at the first calendar call, not at start: ical.js and the Windows zone names are about a
 * sixth of the core's code, which every start would otherwise parse before the first list.
 */
const calendar = () => import('../../../shared/domain/calendar.js');

/** A file name from a 1:1's summary, safe on every file system: "1-1 Dana - Sam.ics". */
const fileNameOf = (summary: string) =>
  `${summary
    .replace(/[\\/:*?"<>|\p{Cc}]+/gu, '-')
    .replace(/\s+/g, ' ')
    .slice(0, 120)
    .trim()}.ics`;

async function calendarOf(core: CoreServices, seriesId: string): Promise<SeriesCalendar> {
  const me = core.requireProfile();
  const { seriesCalendar } = await calendar();
  return core.docs.with(seriesId, (doc) =>
    withArchiveDocs(core.docs, seriesId, doc, (archives) => seriesCalendar(doc, seriesId, me.id, me.name, archives)),
  );
}

async function readFile(core: CoreServices, seriesId: string, ics: string) {
  await requireSeries(core, seriesId);
  const { cadence } = core.docs.with(seriesId, readMeta);
  const { readCalendar } = await calendar();
  // A time without a zone is read in the 1:1's own zone: the one its people agreed on.
  return readCalendar(ics, { floatingTimeZone: cadence.timeZone, now: core.now() });
}

export const calendarHandlers = {
  exportCalendar: handler(CalendarExportInput, async ({ core }, { seriesId }): Promise<CalendarFile> => {
    const { writeCalendar } = await calendar();
    if (seriesId) {
      await requireSeries(core, seriesId);
      const series = await calendarOf(core, seriesId);
      return { fileName: fileNameOf(series.summary), ics: writeCalendar([series], series.summary, core.now()), series: 1, skipped: 0 };
    }
    const feed: SeriesCalendar[] = [];
    let skipped = 0;
    for (const s of await listSeries(core)) {
      if (s.state === 'ended') continue;
      try {
        feed.push(await calendarOf(core, s.id));
      } catch (error) {
        if (!(error instanceof TandemError)) throw error;
        skipped++;
      }
    }
    return { fileName: 'tandem-1-1s.ics', ics: writeCalendar(feed, FEED_NAME, core.now()), series: feed.length, skipped };
  }),

  /** What a calendar file would give as this 1:1's cadence, changing nothing. */
  readCalendarFile: handler(CalendarReadInput, async ({ core }, { seriesId, ics }) => readFile(core, seriesId, ics)),

  importCalendarCadence: handler(CalendarImportInput, async ({ core }, { seriesId, ics, pick }): Promise<CalendarImportResult> => {
    const me = core.requireProfile();
    const { candidates, refused } = await readFile(core, seriesId, ics);
    if (pick === undefined && candidates.length > 1) return { status: 'choose', candidates, refused };
    const candidate = candidates[pick ?? 0];
    if (!candidate)
      throw new TandemError(
        'invalid-input',
        `That file has ${candidates.length} event${candidates.length === 1 ? '' : 's'} to choose from; there is no number ${pick! + 1}.`,
      );
    core.docs.with(seriesId, (doc) => {
      if (readMeta(doc).state === 'ended') throw new TandemError('invalid-input', 'This 1:1 has ended: its cadence stays as it was.');
      setCadence(doc, { cadence: candidate.cadence }, { now: core.now(), userId: me.id });
    });
    return { status: 'applied', candidate };
  }),
};
