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

export const RelayUrl = z
  .string()
  .trim()
  .refine((v) => /^wss?:\/\/[^\s/]+(\/[^\s]*)?$/.test(v), 'relay must be a ws:// or wss:// address');

export const SetRelayInput = z
  .object({
    url: RelayUrl,
    /** The operator's access key, when the relay requires one. */
    key: z.string().trim().min(1).max(512).optional(),
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

export const AcceptInviteInput = z.object({ code: z.string().trim().min(1, 'paste an invite code or link').max(4096) }).strict();
export type AcceptInviteInput = z.infer<typeof AcceptInviteInput>;

/** Turns a zod error into one readable sentence naming each bad field. */
export function describeZodError(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}
