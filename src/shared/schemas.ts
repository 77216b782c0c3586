/**
 * Every input that crosses a boundary (IPC, the web shell's socket, invite codes, config) is
 * described here once, with zod, and validated where it arrives. The TypeScript types of the
 * contract are inferred from these schemas so the two can never drift apart.
 */
import { z } from 'zod';
import { ITEM_CONTEXT_MAX, ITEM_TITLE_MAX } from './item-limits.js';

/**
 * Messages written for people: a sentence about their action. `explainZodError` shows these as
 * they are; any other message (a schema's default, from a caller that is not a person's form) is
 * shown as a generic sentence with the technical detail in brackets.
 */
const sentences = new Set<string>();
export const say = (sentence: string): string => {
  sentences.add(sentence);
  return sentence;
};

export const BAD_ID = say('That 1:1 or item could not be found (its id is not valid).');
export const Id = z.uuid({ message: BAD_ID });

export const SeriesKind = z.enum(['manager-report', 'peer', 'skip-level']);
export type SeriesKind = z.infer<typeof SeriesKind>;

/** The role a participant plays in the relationship. Peers are both `peer`. */
export const Role = z.enum(['manager', 'report', 'peer']);
export type Role = z.infer<typeof Role>;

export const Purpose = z.enum(['career', 'coaching', 'feedback', 'connection', 'clearing-the-air', 'status']);
export type Purpose = z.infer<typeof Purpose>;

export const AgendaState = z.enum(['open', 'discussed', 'carried', 'dropped', 'settled']);
export type AgendaState = z.infer<typeof AgendaState>;

/** How often a 1:1 meets. `monthly-nth-weekday`: e.g. the 2nd Tuesday, or the last Friday, of every month. */
export const CadencePattern = z.enum(['weekly', 'biweekly', 'every-4-weeks', 'monthly-nth-weekday']);
export type CadencePattern = z.infer<typeof CadencePattern>;

/** Zones already checked: building a formatter costs about a millisecond, and every read of a cadence checks its zone. */
const knownTimeZones = new Set<string>();

function isTimeZone(value: string): boolean {
  if (knownTimeZones.has(value)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
  } catch {
    return false;
  }
  knownTimeZones.add(value);
  return true;
}

/**
 * When a 1:1 meets, in the time zone it was agreed in, so that it stays at 10:00 across DST
 * changes. `startsOn` (a local date) fixes which weeks a two- or four-weekly 1:1 falls on; no
 * occurrence is earlier than it.
 */
export const Cadence = z
  .object({
    pattern: CadencePattern,
    /** 0 = Sunday … 6 = Saturday, as date-fns counts. */
    weekday: z.number().int().min(0).max(6),
    /** Only for `monthly-nth-weekday`. */
    nth: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal('last')]).optional(),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, say('A meeting time looks like 09:30.')),
    lengthMinutes: z.number().int().min(5, say('A meeting lasts at least 5 minutes.')).max(480, say('A meeting can last at most 8 hours.')),
    timeZone: z.string().max(64).refine(isTimeZone, say('That time zone is not known.')),
    startsOn: z.iso.date({ message: say('The cadence needs a start date.') }),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.pattern === 'monthly-nth-weekday' && v.nth === undefined) {
      ctx.addIssue({ code: 'custom', path: ['nth'], message: say('Choose which weekday of the month (1st to 4th, or last).') });
    }
  });
export type Cadence = z.infer<typeof Cadence>;

const PersonName = z
  .string({ message: say('A name must be text.') })
  .trim()
  .min(1, say('Please enter a name.'))
  .max(80, say('A name can be at most 80 characters.'));

export const SetProfileInput = z.object({ name: PersonName }).strict();
export type SetProfileInput = z.infer<typeof SetProfileInput>;

export const CreateSeriesInput = z
  .object({
    partnerName: PersonName,
    kind: SeriesKind,
    /** Required for manager–report and skip-level; peers are always `peer`. */
    myRole: z.enum(['manager', 'report']).optional(),
    /** Defaults to weekly, on the first meeting's weekday and time, in the core's time zone. */
    cadence: Cadence.optional(),
    /** ISO date-time of the first meeting; defaults to the cadence's first date, or the next weekday at 10:00 local time. */
    firstMeetingAt: z.iso.datetime({ offset: true, message: say('The first meeting needs a date and a time.') }).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind !== 'peer' && !v.myRole) {
      ctx.addIssue({ code: 'custom', path: ['myRole'], message: say('Choose whether you are the manager or the report in this 1:1.') });
    }
    if (v.kind === 'peer' && v.myRole) {
      ctx.addIssue({ code: 'custom', path: ['myRole'], message: say('A peer 1:1 has no manager or report.') });
    }
  });
export type CreateSeriesInput = z.input<typeof CreateSeriesInput>;

export const SeriesRef = z.object({ seriesId: Id }).strict();
export type SeriesRef = z.infer<typeof SeriesRef>;

/** One year of a 1:1's archived history. */
export const ArchiveRef = z
  .object({
    seriesId: Id,
    year: z
      .number({ message: say('A year of history is a number, such as 2024.') })
      .int()
      .min(1970)
      .max(9999),
  })
  .strict();

export const ItemTitle = z
  .string({ message: say('An item title must be text.') })
  .trim()
  .min(1, say('Please enter a title for the item.'))
  .max(ITEM_TITLE_MAX, say(`An item title can be at most ${ITEM_TITLE_MAX} characters.`));

export const AddAgendaItemInput = z
  .object({
    seriesId: Id,
    title: ItemTitle,
    context: z.string().max(ITEM_CONTEXT_MAX, say('The context of an item can be at most 10,000 characters.')).default(''),
    /** Absent: no purpose chosen. */
    purpose: Purpose.optional(),
    async: z.boolean().default(false),
  })
  .strict();
export type AddAgendaItemInput = z.input<typeof AddAgendaItemInput>;

/** A quick-add line (parsed by shared/quick-add.ts), and the 1:1 chosen in the window (else `@name`, else the last one used). */
export const QuickAddInput = z
  .object({
    line: z.string().max(2000, say('A quick-add line can be at most 2,000 characters.')),
    seriesId: Id.optional(),
  })
  .strict();
export type QuickAddInput = z.infer<typeof QuickAddInput>;

const RELAY_NOT_WS = say("That doesn't look like a relay address: it should start with ws:// or wss://.");
const RELAY_BAD_HOST = say(
  'That relay address has no valid host and port: write it as ws://host or ws://host:port, with a port from 1 to 65535.',
);
const RELAY_CREDENTIALS = say('A relay address cannot contain a user name or password: enter the access key in its own field.');
const RELAY_QUERY = say('A relay address cannot have a query (?) or fragment (#): Tandem adds the room itself.');

/** What is wrong with a relay address, or null when the WebSocket client can open it as it is. */
function relayUrlProblem(value: string): string | null {
  // The prefix check keeps out forms the parser would repair (`ws:host`, `ws:///host`).
  if (!/^wss?:\/\/[^/\\]/i.test(value)) return RELAY_NOT_WS;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return RELAY_BAD_HOST;
  }
  if (url.port === '0') return RELAY_BAD_HOST;
  if (url.username || url.password) return RELAY_CREDENTIALS;
  if (value.includes('?') || value.includes('#')) return RELAY_QUERY;
  return null;
}

/**
 * A relay address, parsed by the URL parser itself so that what passes here never fails later
 * when the connection is made (with the room and its secret appended to the path). No
 * credentials (they would show wherever the relay is named) and no query or fragment.
 */
export const RelayUrl = z
  .string()
  .trim()
  .max(2048, say('A relay address can be at most 2,048 characters.'))
  .superRefine((value, ctx) => {
    const problem = relayUrlProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const SetRelayInput = z
  .object({
    url: RelayUrl,
    /** The operator's access key, when the relay requires one. */
    key: z
      .string()
      .trim()
      .min(1, say('Leave the access key empty, or enter the key the relay needs.'))
      .max(512, say('An access key can be at most 512 characters.'))
      .optional(),
  })
  .strict();
export type SetRelayInput = z.infer<typeof SetRelayInput>;

/** What an invite carries; encoded as base64url JSON in both the link and the code. */
export const InvitePayload = z
  .object({
    v: z.literal(1),
    relay: RelayUrl,
    key: z.string().min(1).max(512).optional(),
    room: Id,
    /** 256-bit room secret, base64url. */
    secret: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'secret must be 256 bits in base64url'),
    title: z.string().max(200),
    /** Who invites, and the role the invitee takes. */
    from: z.object({ name: z.string().min(1).max(80) }),
    role: Role,
  })
  .strict();
export type InvitePayload = z.infer<typeof InvitePayload>;

export const INVITE_CODE_MAX = 4096;

export const AcceptInviteInput = z
  .object({
    code: z
      .string()
      .trim()
      .min(1, say('Paste the invite code or link you were sent.'))
      .max(INVITE_CODE_MAX, say('That is too long to be a Tandem invite: paste only the code or link you were sent.')),
  })
  .strict();
export type AcceptInviteInput = z.infer<typeof AcceptInviteInput>;

/** For people: the sentences of each problem, once each, in the order found. */
export function explainZodError(error: z.ZodError): string {
  const out = new Set<string>();
  for (const issue of error.issues) {
    out.add(sentences.has(issue.message) ? issue.message : `Something in that request is not valid (${describeIssue(issue)}).`);
  }
  return [...out].join(' ');
}

const describeIssue = (issue: z.core.$ZodIssue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message);

/** For logs and programs: one line naming each bad field. */
export function describeZodError(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}

export const SEARCH_QUERY_MAX = 200;

const SearchDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, say('A date looks like 2030-01-31.'));

export const SearchInput = z
  .object({
    query: z.string().max(SEARCH_QUERY_MAX, say(`A search can be at most ${SEARCH_QUERY_MAX} characters.`)),
    seriesId: Id.optional(),
    purpose: Purpose.optional(),
    /** Meetings on or after this day (UTC). */
    from: SearchDate.optional(),
    /** Meetings on or before this day (UTC). */
    to: SearchDate.optional(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict();
export type SearchInput = z.input<typeof SearchInput>;

export const ExportInput = z
  .object({
    /** Absent: every 1:1. */
    seriesId: Id.optional(),
    /** Only this meeting of the 1:1. */
    meetingId: z.string().min(1).max(64).optional(),
    dir: z.string().min(1, say('Choose a folder to export into.')).max(4096),
    includePrivate: z.boolean().default(false),
  })
  .strict()
  .refine((v) => !v.meetingId || v.seriesId, { message: say('A meeting is exported from its 1:1: name the 1:1 too.') });
export type ExportInput = z.output<typeof ExportInput>;

/** A path the core is asked to read or write, typed or picked; the core requires it in full (absolute). */
const PathInput = (what: string) =>
  z
    .string()
    .trim()
    .min(1, say(`Choose ${what}.`))
    .max(4096);

export const BackupNowInput = z
  .object({
    /** Where to write it; absent: a new file in the data directory's backups folder. */
    file: PathInput('where to save the backup').optional(),
  })
  .strict();
export type BackupNowInput = z.output<typeof BackupNowInput>;

export const RestoreInput = z
  .object({
    file: PathInput('the backup file'),
    /** An empty data directory (created if missing): a running Tandem never restores over its own data. */
    dataDir: PathInput('an empty folder to restore into'),
  })
  .strict();
export type RestoreInput = z.output<typeof RestoreInput>;

/** Absent: the combined feed of every 1:1 not ended. */
export const CalendarExportInput = z.object({ seriesId: Id.optional() }).strict().default({});
export type CalendarExportInput = z.input<typeof CalendarExportInput>;

/** The largest calendar file read: far more than a few repeating events, far less than a whole calendar's history. */
export const CALENDAR_MAX_CHARS = 1_000_000;
export const CALENDAR_TOO_LARGE = say('That calendar file is larger than 1 MB: export only the event you need.');
const IcsText = z.string({ message: say('A calendar file is text.') }).max(CALENDAR_MAX_CHARS, CALENDAR_TOO_LARGE);

export const CalendarReadInput = z.object({ seriesId: Id, ics: IcsText }).strict();
export type CalendarReadInput = z.input<typeof CalendarReadInput>;

export const CalendarImportInput = z
  .object({
    seriesId: Id,
    ics: IcsText,
    /** Which of the file's candidate events (readCalendarFile's order); needed when there are several. */
    pick: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();
export type CalendarImportInput = z.input<typeof CalendarImportInput>;
