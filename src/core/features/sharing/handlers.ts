/** Sharing a 1:1 through a relay: invites, joining, and the sync state of each shared 1:1. */
import type { Invite, SeriesSummary } from '../../../shared/api.js';
import { perspective, readMeta } from '../../../shared/domain/series-doc.js';
import { TandemError } from '../../../shared/errors.js';
import { decodeInvite, encodeInvite, newRoomSecret } from '../../../shared/invites.js';
import { AcceptInviteInput, SeriesRef } from '../../../shared/schemas.js';
import type { CoreServices } from '../context.js';
import { handler } from '../define.js';
import { requireSeries, seriesExists, seriesSummary } from '../series/queries.js';
import { currentRelay } from '../settings/handlers.js';

async function createInvite(core: CoreServices, seriesId: string): Promise<Invite> {
  const me = core.requireProfile();
  await requireSeries(core, seriesId);
  let share = await core.sync.share(seriesId);
  const relay = await currentRelay(core);
  if (!share) {
    if (!relay)
      throw new TandemError(
        'invalid-input',
        'Set a relay in Settings before inviting someone: the invite tells their Tandem where to find this 1:1.',
      );
    share = { seriesId, relayUrl: relay.url, key: relay.key ?? null, secret: newRoomSecret() };
    await core.sync.add(share);
  } else if (relay && (relay.url !== share.relayUrl || (relay.key ?? null) !== share.key)) {
    // The relay was changed in Settings: the 1:1 moves there, and so does every new invite.
    share = { ...share, relayUrl: relay.url, key: relay.key ?? null };
    await core.sync.move(share);
  }
  const meta = core.docs.with(seriesId, readMeta);
  const { partnerName } = perspective(meta, me.id);
  return encodeInvite({
    v: 1,
    relay: share.relayUrl,
    ...(share.key ? { key: share.key } : {}),
    room: seriesId,
    secret: share.secret,
    title: `${me.name} & ${partnerName}`.slice(0, 200),
    from: { name: me.name },
    role: meta.invitee.role,
  });
}

async function acceptInvite(core: CoreServices, code: string): Promise<SeriesSummary> {
  core.requireProfile();
  const invite = decodeInvite(code);
  const existing = await core.sync.share(invite.room);
  if (existing && existing.secret !== invite.secret) {
    throw new TandemError(
      'invalid-input',
      'This 1:1 is already on this device, joined with another invite: ask for a new invite only if the other person moved it.',
    );
  }
  if (existing && (existing.relayUrl !== invite.relay || existing.key !== (invite.key ?? null))) {
    // A newer invite for the same room: the inviter moved the 1:1 to another relay.
    await core.sync.move({ ...existing, relayUrl: invite.relay, key: invite.key ?? null });
  }
  if (!existing) {
    if (await seriesExists(core, invite.room)) {
      throw new TandemError('invalid-input', 'This 1:1 is already on this device.');
    }
    core.docs.create(invite.room, 'series');
    core.docs.release(invite.room);
    await core.sync.add({ seriesId: invite.room, relayUrl: invite.relay, key: invite.key ?? null, secret: invite.secret });
  }
  const arrived = await Promise.race([
    core.joinWhenArrived(invite.room).then(() => true),
    new Promise<false>((resolve) => {
      const timer = setTimeout(resolve, core.joinTimeoutMs, false);
      // Node only: a pending join must not keep the process alive.
      (timer as { unref?: () => void }).unref?.();
    }),
  ]);
  if (!arrived) {
    throw new TandemError(
      'offline',
      `Joined, but the relay at ${invite.relay} has not delivered the 1:1 yet; it appears in your list as soon as it does. ` +
        `If it never does, ask ${invite.from.name} for a new invite and check that the relay address is right.`,
    );
  }
  return seriesSummary(core, invite.room);
}

export const sharingHandlers = {
  /** Shares the series through the relay (if not yet) and returns an invite for the other person. */
  createInvite: handler(SeriesRef, async ({ core }, { seriesId }) => createInvite(core, seriesId)),
  /** Joins a series from an invite code or `tandem://join/…` link. */
  acceptInvite: handler(AcceptInviteInput, async ({ core }, { code }) => acceptInvite(core, code)),
  getSyncState: handler(SeriesRef, async ({ core }, { seriesId }) => {
    await requireSeries(core, seriesId);
    return core.sync.state(seriesId);
  }),
  /** "Retry now" while offline: the answer is the state right after the attempt started. */
  retrySync: handler(SeriesRef, async ({ core }, { seriesId }) => {
    await requireSeries(core, seriesId);
    return core.sync.retrySync(seriesId);
  }),
};
