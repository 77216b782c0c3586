/**
 * Decides, before any WebSocket upgrade, whether a request may join a room: the operator's access
 * key (if one is set, needed for every connection and so for creating a room) and the room secret.
 * The first connection to a room registers sha256(secret) as its 101 goes out, and the
 * registration is taken back if the WebSocket handshake fails, so a failed upgrade cannot lock the
 * owner out; every later one must present the same secret. Comparisons are constant-time over fixed-length hashes
 * so neither timing nor length reveals how close a guess was. A refusal never says whether the
 * room exists: a wrong secret and a bad one get the same 403.
 *
 * Registering inserts only if the room has no secret yet and then compares with what the store
 * holds, so of two first connections with different secrets racing (on one relay or several),
 * only the one whose secret the store kept is admitted.
 *
 * While the store cannot be reached, a room loaded here is admitted against the secret hash it
 * was loaded with (`remembered`); any other room is refused with 503, since neither its secret nor
 * its document can be read.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { StoreUnavailable, type RoomStore } from './store/room-store.js';

export const RoomName = z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/);
const Secret = z.string().min(16).max(512);

export type Admission =
  /** `created`: the room has no secret registered yet, so this connection would create it. */
  | { ok: true; room: string; secretHash: Buffer; created: boolean; remembered: boolean }
  | { ok: false; status: 400 | 401 | 403 | 503; reason: 'bad-room' | 'key' | 'secret' | 'store-unavailable' };

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

const sameHash = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

export class Gatekeeper {
  private readonly keyHash: Buffer | null;

  constructor(
    private readonly store: RoomStore,
    accessKey: string | undefined,
    private readonly remembered: (room: string) => Buffer | undefined = () => undefined,
  ) {
    this.keyHash = accessKey === undefined ? null : sha256(accessKey);
  }

  /** Checks a request; registers nothing. `path` and `query` come straight from the request URL. */
  async admit(path: string, query: URLSearchParams): Promise<Admission> {
    if (this.keyHash && !timingSafeEqual(sha256(query.get('key') ?? ''), this.keyHash)) {
      return { ok: false, status: 401, reason: 'key' };
    }
    const room = RoomName.safeParse(path.slice(1));
    if (!room.success) return { ok: false, status: 400, reason: 'bad-room' };
    const secret = Secret.safeParse(query.get('secret'));
    if (!secret.success) return { ok: false, status: 403, reason: 'secret' };
    const presented = sha256(secret.data);
    let stored: Buffer | null;
    let remembered = false;
    try {
      stored = await this.store.secretHash(room.data);
    } catch (error) {
      if (!(error instanceof StoreUnavailable)) throw error;
      stored = this.remembered(room.data) ?? null;
      if (!stored) return { ok: false, status: 503, reason: 'store-unavailable' };
      remembered = true;
    }
    if (stored && !sameHash(stored, presented)) return { ok: false, status: 403, reason: 'secret' };
    return { ok: true, room: room.data, secretHash: presented, created: !stored, remembered };
  }

  /** Registers an admitted room's secret if it has none yet; false if another secret got there first. */
  async register(admission: { room: string; secretHash: Buffer; remembered: boolean }): Promise<boolean> {
    if (admission.remembered) return true;
    return sameHash(await this.store.registerSecret(admission.room, admission.secretHash), admission.secretHash);
  }

  /** Takes back a registration whose handshake then failed, if it is still this admission's. */
  async unregister(admission: { room: string; secretHash: Buffer }): Promise<void> {
    await this.store.withdrawSecret(admission.room, admission.secretHash);
  }
}
