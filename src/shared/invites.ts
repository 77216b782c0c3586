/**
 * Invites as a pasteable code and a `tandem://join/<code>` deep link. The code is the invite's
 * JSON in base64url: self-contained, so joining needs no lookup service, and validated with the
 * same schema on the way in as on the way out. Browser-safe, so any side can read an invite.
 */
import { TandemError } from './errors.js';
import { INVITE_CODE_MAX, InvitePayload, describeZodError } from './schemas.js';

export const INVITE_SCHEME = 'tandem://join/';

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** A fresh 256-bit room secret, base64url. */
export const newRoomSecret = (): string => toBase64Url(crypto.getRandomValues(new Uint8Array(32)));

export function encodeInvite(payload: InvitePayload): { link: string; code: string } {
  const code = toBase64Url(new TextEncoder().encode(JSON.stringify(InvitePayload.parse(payload))));
  return { link: INVITE_SCHEME + code, code };
}

export function decodeInvite(text: string): InvitePayload {
  const trimmed = text.trim();
  const invalid = (why: string) =>
    new TandemError('invalid-input', `That doesn't look like a Tandem invite: ask for a new one and paste all of it (${why}).`);
  // Deep links reach here without passing the contract's schema, so the limit is checked here too.
  if (trimmed.length > INVITE_CODE_MAX) throw invalid(`it is longer than ${INVITE_CODE_MAX} characters`);
  const code = trimmed.startsWith(INVITE_SCHEME) ? trimmed.slice(INVITE_SCHEME.length) : trimmed;
  if (!/^[A-Za-z0-9_-]+$/.test(code)) throw invalid('it has characters an invite never has');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(code)));
  } catch {
    throw invalid('it is cut short or damaged');
  }
  const parsed = InvitePayload.safeParse(json);
  // The technical detail is for logs; a person needs to know only that this invite is unusable.
  if (!parsed.success) throw invalid(`it is incomplete or damaged: ${describeZodError(parsed.error)}`);
  return parsed.data;
}
