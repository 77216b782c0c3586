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
