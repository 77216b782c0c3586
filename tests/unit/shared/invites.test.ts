import { describe, expect, test } from 'vitest';
import { INVITE_SCHEME, decodeInvite, encodeInvite } from '../../../src/shared/invites.js';
import { INVITE_CODE_MAX as MAX_INVITE_CHARS, type InvitePayload } from '../../../src/shared/schemas.js';
import { openCore } from '../helpers/core.js';

const payload = (): InvitePayload => ({
  v: 1,
  relay: 'ws://127.0.0.1:9',
  room: crypto.randomUUID(),
  secret: 'a'.repeat(43),
  title: 'Dana & Sam',
  from: { name: 'Dana' },
  role: 'report',
});

/** A well-formed invite of exactly `length` characters: JSON allows trailing blanks, which pad the code. */
function paddedCode(invite: InvitePayload, length: number): string {
  const json = JSON.stringify(invite);
  const bytes = Math.floor((length * 3) / 4);
  const code = Buffer.from(json + ' '.repeat(bytes - json.length), 'utf8').toString('base64url');
  expect(code).toHaveLength(length);
  return code;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

describe('decodeInvite', () => {
  test('reads back what encodeInvite wrote, as a code and as a link', () => {
    const invite = payload();
    const { code, link } = encodeInvite(invite);
    expect(link).toBe(INVITE_SCHEME + code);
    expect(decodeInvite(code)).toEqual(invite);
    expect(decodeInvite(`  ${link}\n`)).toEqual(invite);
  });

  test('codes are standard base64url, both ways, including the characters that differ from base64', () => {
    // '?' and '>' runs encode to '/' and '+' in base64, which base64url spells '_' and '-'.
    const invite = { ...payload(), title: 'Dana & Sam ??? >>> ~~~' };
    const standard = Buffer.from(JSON.stringify(invite), 'utf8').toString('base64url');
    expect(standard).toMatch(/-/);
    expect(standard).toMatch(/_/);
    expect(encodeInvite(invite).code).toBe(standard);
    expect(decodeInvite(standard)).toEqual(invite);
  });

  test(`takes a valid invite of ${MAX_INVITE_CHARS} characters and refuses one a character longer`, () => {
    const invite = payload();
    expect(decodeInvite(paddedCode(invite, MAX_INVITE_CHARS))).toEqual(invite);
    expect(() => decodeInvite(paddedCode(invite, MAX_INVITE_CHARS + 4))).toThrow(
      expect.objectContaining({ code: 'invalid-input', message: expect.stringContaining(`longer than ${MAX_INVITE_CHARS}`) }),
    );
  });

  test('refuses a payload that decodes but is not a valid invite, naming what is wrong', () => {
    const cases: [unknown, RegExp][] = [
      [{ ...payload(), secret: 'short' }, /secret: secret must be 256 bits/],
      [{ ...payload(), relay: 'http://example.com' }, /relay: /],
      [{ ...payload(), v: 2 }, /v: /],
      [{ ...payload(), admin: true }, /admin/],
      [{ ...payload(), room: '../../etc' }, /room: /],
      ['just a string', /incomplete or damaged/],
    ];
    for (const [value, message] of cases) {
      expect(() => decodeInvite(base64url(value)), JSON.stringify(value)).toThrow(
        expect.objectContaining({ code: 'invalid-input', message: expect.stringMatching(message) }),
      );
    }
  });

  test('refuses text that is not base64url JSON', () => {
    expect(() => decodeInvite('not an invite!')).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/characters an invite never has/) }),
    );
    // Base64 decoding skips characters outside its alphabet: a valid code with anything around it must not pass.
    const { code } = encodeInvite(payload());
    for (const text of [`%${code}`, `${code}%`, `${INVITE_SCHEME}/${code}`, `${code.slice(0, 8)}+${code.slice(8)}`]) {
      expect(() => decodeInvite(text), text).toThrow(
        expect.objectContaining({ message: expect.stringMatching(/characters an invite never has/) }),
      );
    }
    expect(() => decodeInvite(Buffer.from('{"v":1', 'utf8').toString('base64url'))).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/cut short or damaged/) }),
    );
  });
});

describe('acceptInvite', () => {
  test(`refuses a code longer than ${MAX_INVITE_CHARS} characters, saying so, and shares nothing`, async () => {
    const { core, api } = await openCore({ joinTimeoutMs: 50 });
    const invite = payload();
    await expect(api.acceptInvite({ code: paddedCode(invite, MAX_INVITE_CHARS + 4) })).rejects.toMatchObject({
      code: 'invalid-input',
      message: 'That is too long to be a Tandem invite: paste only the code or link you were sent.',
    });
    expect(await core.sync.share(invite.room)).toBeNull();
    // The same invite at the limit gets through validation and waits for a relay that is not there.
    await expect(api.acceptInvite({ code: paddedCode(invite, MAX_INVITE_CHARS) })).rejects.toMatchObject({ code: 'offline' });
    expect(await core.sync.share(invite.room)).toMatchObject({ seriesId: invite.room, secret: invite.secret });
    await core.close();
  });

  test('refuses a well-encoded invite whose payload is invalid, and shares nothing', async () => {
    const { core, api } = await openCore({ joinTimeoutMs: 50 });
    const invite = { ...payload(), secret: 'short' };
    await expect(api.acceptInvite({ code: base64url(invite) })).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/secret must be 256 bits/),
    });
    expect(await core.sync.share(invite.room)).toBeNull();
    expect(await api.listSeries()).toEqual([]);
    await core.close();
  });
});
