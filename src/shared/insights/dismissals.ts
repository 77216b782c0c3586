/**
 * Dismissed nudges, kept on this device only (the core's settings), never in a shared document:
 * per 1:1, which flag was dismissed and until when. A dismissal lasts DISMISS_DAYS, after which the
 * nudge comes back if the flag still holds.
 */
import { z } from 'zod';
import { FLAG_IDS, type FlagId } from './flags.js';

export const DISMISS_DAYS = 14;

export const FlagIdSchema = z.enum(FLAG_IDS);

/** seriesId → flag → until (ISO). */
export const Dismissals = z.record(z.string().max(64), z.record(z.string().max(40), z.string().max(40))).catch({});
export type Dismissals = z.infer<typeof Dismissals>;

/** The flags of one 1:1 whose dismissal still holds at `now`. */
export function activeDismissals(all: Dismissals, seriesId: string, now: Date): Set<FlagId> {
  const active = new Set<FlagId>();
  for (const [flag, until] of Object.entries(all[seriesId] ?? {})) {
    const id = FlagIdSchema.safeParse(flag);
    if (id.success && Date.parse(until) > now.getTime()) active.add(id.data);
  }
  return active;
}

/** `all` with `flag` dismissed for `seriesId` until DISMISS_DAYS after `now`, and expired entries dropped. */
export function dismiss(all: Dismissals, seriesId: string, flag: FlagId, now: Date): Dismissals {
  const next: Dismissals = {};
  for (const [series, flags] of Object.entries(all)) {
    const kept = Object.fromEntries(Object.entries(flags).filter(([, until]) => Date.parse(until) > now.getTime()));
    if (Object.keys(kept).length > 0) next[series] = kept;
  }
  next[seriesId] = { ...next[seriesId], [flag]: new Date(now.getTime() + DISMISS_DAYS * 86_400_000).toISOString() };
  return next;
}
