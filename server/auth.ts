/**
 * Decides, before any WebSocket upgrade, whether a request may join a room: the operator's access
 * key (if one is set) and the room secret. The first admitted connection registers sha256(secret)
 * for its room; every later one must present the same secret. Comparisons are constant-time over
 * fixed-length hashes so neither timing nor length reveals how close a guess was.
 *
 * The lookups are synchronous better-sqlite3 statements: check-then-register must not be split by
 * an await, or two first connections with different secrets could both be admitted.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type SQLite from 'better-sqlite3';
import { z } from 'zod';

export const RoomName = z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/);
const Secret = z.string().min(16).max(512);

export type Admission = { ok: true; room: string } | { ok: false; status: 400 | 401 | 403; reason: 'bad-room' | 'key' | 'secret' };

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export class Gatekeeper {
  private readonly register: SQLite.Statement<[string, Buffer, string]>;
  private readonly lookup: SQLite.Statement<[string], { secret_hash: Buffer }>;
  private readonly keyHash: Buffer | null;

  constructor(sqlite: SQLite.Database, accessKey: string | undefined) {
    this.register = sqlite.prepare('insert into rooms (room, secret_hash, created_at) values (?, ?, ?) on conflict (room) do nothing');
    this.lookup = sqlite.prepare('select secret_hash from rooms where room = ?');
    this.keyHash = accessKey === undefined ? null : sha256(accessKey);
  }

  /** `path` and `query` come straight from the request URL. */
  admit(path: string, query: URLSearchParams): Admission {
    if (this.keyHash && !timingSafeEqual(sha256(query.get('key') ?? ''), this.keyHash)) {
      return { ok: false, status: 401, reason: 'key' };
    }
    const room = RoomName.safeParse(path.slice(1));
    if (!room.success) return { ok: false, status: 400, reason: 'bad-room' };
    const secret = Secret.safeParse(query.get('secret'));
    if (!secret.success) return { ok: false, status: 403, reason: 'secret' };
    const presented = sha256(secret.data);
    this.register.run(room.data, presented, new Date().toISOString());
    const stored = this.lookup.get(room.data);
    if (!stored || stored.secret_hash.length !== presented.length || !timingSafeEqual(stored.secret_hash, presented)) {
      return { ok: false, status: 403, reason: 'secret' };
    }
    return { ok: true, room: room.data };
  }
}
