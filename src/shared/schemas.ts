/**
 * Every input that crosses a boundary (IPC, the web shell's socket, invite codes, config) is
 * described here once, with zod, and validated where it arrives. The TypeScript types of the
 * contract are inferred from these schemas so the two can never drift apart.
 */
import { z } from 'zod';

export const Id = z.uuid({ message: 'must be an id (a UUID)' });

export const SeriesKind = z.enum(['manager-report', 'peer', 'skip-level']);
export type SeriesKind = z.infer<typeof SeriesKind>;

/** The role a participant plays in the relationship. Peers are both `peer`. */
export const Role = z.enum(['manager', 'report', 'peer']);
export type Role = z.infer<typeof Role>;

export const Purpose = z.enum(['career', 'coaching', 'feedback', 'connection', 'clearing-the-air', 'status']);
export type Purpose = z.infer<typeof Purpose>;

export const AgendaState = z.enum(['open', 'discussed', 'carried', 'dropped']);
export type AgendaState = z.infer<typeof AgendaState>;

export const Cadence = z.enum(['weekly', 'biweekly', 'monthly']);
export type Cadence = z.infer<typeof Cadence>;

const PersonName = z
  .string({ message: 'name must be text' })
  .trim()
  .min(1, 'name must not be empty')
  .max(80, 'name must be at most 80 characters');

export const SetProfileInput = z.object({ name: PersonName }).strict();
export type SetProfileInput = z.infer<typeof SetProfileInput>;

export const CreateSeriesInput = z
  .object({
    partnerName: PersonName,
    kind: SeriesKind,
    /** Required for manager–report and skip-level; peers are always `peer`. */
    myRole: z.enum(['manager', 'report']).optional(),
    cadence: Cadence.default('weekly'),
    /** ISO date-time of the first meeting; defaults to the next weekday at 10:00 local time. */
    firstMeetingAt: z.iso.datetime({ offset: true, message: 'firstMeetingAt must be an ISO date-time' }).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind !== 'peer' && !v.myRole) {
      ctx.addIssue({ code: 'custom', path: ['myRole'], message: `myRole is required for a ${v.kind} 1:1 (manager or report)` });
    }
    if (v.kind === 'peer' && v.myRole) {
      ctx.addIssue({ code: 'custom', path: ['myRole'], message: 'a peer 1:1 has no manager or report role' });
    }
  });
export type CreateSeriesInput = z.input<typeof CreateSeriesInput>;

export const SeriesRef = z.object({ seriesId: Id }).strict();
export type SeriesRef = z.infer<typeof SeriesRef>;

export const ItemTitle = z
  .string({ message: 'title must be text' })
  .trim()
  .min(1, 'title must not be empty')
  .max(500, 'title must be at most 500 characters');

export const AddAgendaItemInput = z
  .object({
    seriesId: Id,
    title: ItemTitle,
    context: z.string().max(10_000, 'context must be at most 10,000 characters').default(''),
    purpose: Purpose.default('status'),
    async: z.boolean().default(false),
  })
  .strict();
export type AddAgendaItemInput = z.input<typeof AddAgendaItemInput>;

/**
 * One method's input schema per contract method that takes an argument; `null` for methods
 * without one. The RPC dispatcher validates with exactly this table.
 */
export const MethodInputs = {
  getProfile: null,
  setProfile: SetProfileInput,
  listSeries: null,
  createSeries: CreateSeriesInput,
  openSeries: SeriesRef,
  closeSeries: SeriesRef,
  addAgendaItem: AddAgendaItemInput,
} as const;
export type MethodName = keyof typeof MethodInputs;
export const MethodName = z.enum(Object.keys(MethodInputs) as [MethodName, ...MethodName[]], {
  message: 'unknown method',
});

/** Turns a zod error into one readable sentence naming each bad field. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
