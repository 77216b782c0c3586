/**
 * How logs name a room: a short keyed hash of its id, never the id itself (whoever holds a room
 * id and a log could otherwise match the two, and ids travel in invites). The key lives in
 * relay.db, so a room keeps its name across restarts and an operator with the database can
 * compute the name of a room they are told about.
 */
import { createHmac } from 'node:crypto';

export function roomTagger(key: Buffer): (room: string) => string {
  return (room) => createHmac('sha256', key).update(room, 'utf8').digest('base64url').slice(0, 12);
}

/**
 * An error's message for the log, the room's id replaced by its tag wherever it stands as a word
 * of its own: the stores' errors name the room they were reading.
 */
export function tagRoomIn(error: unknown, room: string, tag: (room: string) => string): string {
  const message = error instanceof Error ? error.message : String(error);
  // A room name's characters (auth.ts) bound the id; '.' is the only one special in a pattern.
  const id = new RegExp(`(?<![A-Za-z0-9_.-])${room.replaceAll('.', '\\.')}(?![A-Za-z0-9_.-])`, 'g');
  return message.replace(id, tag(room));
}
