/**
 * Invites as a pasteable code and a `tandem://join/<code>` deep link. The code is the invite's
 * JSON in base64url: self-contained, so joining needs no lookup service, and validated with the
 * same schema on the way in as on the way out.
 */
import { TandemError } from '../../shared/errors.js';
import { InvitePayload, describeZodError } from '../../shared/schemas.js';

export const INVITE_SCHEME = 'tandem://join/';

export function encodeInvite(payload: InvitePayload): { link: string; code: string } {
  const code = Buffer.from(JSON.stringify(InvitePayload.parse(payload)), 'utf8').toString('base64url');
  return { link: INVITE_SCHEME + code, code };
}

export function decodeInvite(text: string): InvitePayload {
  const trimmed = text.trim();
  const code = trimmed.startsWith(INVITE_SCHEME) ? trimmed.slice(INVITE_SCHEME.length) : trimmed;
  const invalid = (why: string) => new TandemError('invalid-input', `acceptInvite: this is not a Tandem invite (${why})`);
  if (!/^[A-Za-z0-9_-]+$/.test(code)) throw invalid('unexpected characters');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(code, 'base64url').toString('utf8'));
  } catch {
    throw invalid('it does not decode');
  }
  const parsed = InvitePayload.safeParse(json);
  if (!parsed.success) throw invalid(describeZodError(parsed.error));
  return parsed.data;
}
