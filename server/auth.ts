/**
 * Decides, before any WebSocket upgrade, whether a request may join a room: the operator's access
 * key (if one is set, needed for every connection and so for creating a room) and the room secret.
 * The first connection to a room registers sha256(secret) as its 101 goes out, and the
 * registration is taken back if the WebSocket handshake fails, so a failed upgrade cannot lock the
 * owner out; every later one must present the same secret. Comparisons are constant-time over fixed-length hashes
 * so neither timing nor length reveals how close a guess was. A refusal never says whether the
 * room exists: a wrong secret and a bad one get the same 403.
 *
 * The lookups are synchronous better-sqlite3 statements, and the relay registers in the same
 * synchronous step as it admits (http.ts): check-then-register must not be split by an await, or
 * two first connections with different secrets could both be admitted.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type SQLite from 'better-sqlite3';
import { z } from 'zod';

export const RoomName = z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/);
const Secret = z.string().min(16).max(512);

export type Admission =
  /** `created`: the room has no secret registered yet, so this connection would create it. */
  | { ok: true; room: string; secretHash: Buffer; created: boolean }
  | { ok: false; status: 400 | 401 | 403; reason: 'bad-room' | 'key' | 'secret' };

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export class Gatekeeper {
  private readonly insert: SQLite.Statement<[string, Buffer, string]>;
  private readonly withdraw: SQLite.Statement<[string, Buffer]>;
  private readonly lookup: SQLite.Statement<[string], { secret_hash: Buffer }>;
  private readonly unused: SQLite.Statement<[string], { room: string }>;
  private readonly stale: SQLite.Statement<[string], { room: string }>;
  private readonly forget: (rooms: string[]) => void;
  private readonly keyHash: Buffer | null;

  constructor(sqlite: SQLite.Database, accessKey: string | undefined) {
    this.insert = sqlite.prepare('insert into rooms (room, secret_hash, created_at) values (?, ?, ?) on conflict (room) do nothing');
    this.lookup = sqlite.prepare('select secret_hash from rooms where room = ?');
    this.withdraw = sqlite.prepare('delete from rooms where room = ? and secret_hash = ?');
    // A room that never stored a document: no update rows and no snapshot.
    this.unused = sqlite.prepare(
      `select room from rooms where created_at < ? and room not in (select doc_id from doc_updates)
         and room not in (select doc_id from docs where snapshot is not null)`,
    );
    this.stale = sqlite.prepare('select doc_id as room from docs where updated_at < ?');
    const forgetRoom = sqlite.prepare('delete from rooms where room = ?');
    const forgetDoc = sqlite.prepare('delete from docs where doc_id = ?');
    const forgetUpdates = sqlite.prepare('delete from doc_updates where doc_id = ?');
    this.forget = sqlite.transaction((rooms: string[]) => {
      for (const room of rooms) {
        forgetRoom.run(room);
        forgetDoc.run(room);
        forgetUpdates.run(room);
      }
    });
    this.keyHash = accessKey === undefined ? null : sha256(accessKey);
  }

  /** Checks a request; registers nothing. `path` and `query` come straight from the request URL. */
  admit(path: string, query: URLSearchParams): Admission {
    if (this.keyHash && !timingSafeEqual(sha256(query.get('key') ?? ''), this.keyHash)) {
      return { ok: false, status: 401, reason: 'key' };
    }
    const room = RoomName.safeParse(path.slice(1));
    if (!room.success) return { ok: false, status: 400, reason: 'bad-room' };
    const secret = Secret.safeParse(query.get('secret'));
    if (!secret.success) return { ok: false, status: 403, reason: 'secret' };
    const presented = sha256(secret.data);
    const stored = this.lookup.get(room.data);
    if (stored && (stored.secret_hash.length !== presented.length || !timingSafeEqual(stored.secret_hash, presented))) {
      return { ok: false, status: 403, reason: 'secret' };
    }
    return { ok: true, room: room.data, secretHash: presented, created: !stored };
  }

  /** Registers an admitted room's secret if it has none yet; false if another secret got there first. */
  register(admission: { room: string; secretHash: Buffer }): boolean {
    this.insert.run(admission.room, admission.secretHash, new Date().toISOString());
    const stored = this.lookup.get(admission.room);
    return (
      !!stored && stored.secret_hash.length === admission.secretHash.length && timingSafeEqual(stored.secret_hash, admission.secretHash)
    );
  }

  /** Takes back a registration whose handshake then failed, if it is still this admission's. */
  unregister(admission: { room: string; secretHash: Buffer }): void {
    this.withdraw.run(admission.room, admission.secretHash);
  }

  /**
   * Forgets rooms registered before `before` that never stored a document, except those `inUse`
   * says are open, so a name claimed and abandoned becomes free again. Returns how many.
   */
  expireEmpty(before: Date, inUse: (room: string) => boolean): number {
    return this.expire(this.unused.all(before.toISOString()), inUse);
  }

  /** Deletes rooms, document and all, that nobody has connected to or written since `before`, except those in use. */
  expireUnused(before: Date, inUse: (room: string) => boolean): number {
    return this.expire(this.stale.all(before.toISOString()), inUse);
  }

  private expire(rows: { room: string }[], inUse: (room: string) => boolean): number {
    const rooms = rows.map((r) => r.room).filter((room) => !inUse(room));
    this.forget(rooms);
    return rooms.length;
  }
}
