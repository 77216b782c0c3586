import { expect, test } from 'vitest';
import { InvitePayload, RelayUrl, SetRelayInput } from '../../../src/shared/schemas.js';

const problem = (url: string) => {
  const parsed = RelayUrl.safeParse(url);
  return parsed.success ? null : parsed.error.issues.map((i) => i.message).join('; ');
};

test('relay addresses the WebSocket client could not open are refused, with what is wrong', () => {
  const notWs = "That doesn't look like a relay address: it should start with ws:// or wss://.";
  const badHost = 'That relay address has no valid host and port: write it as ws://host or ws://host:port, with a port from 1 to 65535.';
  for (const url of ['ws://a:b', 'ws://[::1', 'ws://h:99999', 'ws://h:65536', 'ws://h:0', 'ws://relay example']) {
    expect(problem(url), url).toBe(badHost);
  }
  for (const url of ['http://relay.example', 'ws:relay.example', 'ws:///relay.example', 'ws://', 'relay.example']) {
    expect(problem(url), url).toBe(notWs);
  }
  expect(problem('wss://user:pass@relay.example')).toBe(
    'A relay address cannot contain a user name or password: enter the access key in its own field.',
  );
  const query = 'A relay address cannot have a query (?) or fragment (#): Tandem adds the room itself.';
  expect(problem('ws://relay.example/?room=x')).toBe(query);
  expect(problem('ws://relay.example#x')).toBe(query);
  expect(problem(`ws://${'a'.repeat(2050)}`)).toBe('A relay address can be at most 2,048 characters.');
});

test('ws:// and wss:// addresses with a host, and a port from 1 to 65535, are accepted as typed', () => {
  for (const url of [
    'ws://127.0.0.1:4455',
    'ws://h:1',
    'ws://h:65535',
    'wss://relay.example',
    'wss://relay.example/tandem',
    'ws://[::1]:4455',
  ]) {
    expect(RelayUrl.parse(url)).toBe(url);
  }
  expect(RelayUrl.parse('  ws://relay.example  ')).toBe('ws://relay.example');
});

test('the relay check applies to Settings and to invites alike', () => {
  expect(SetRelayInput.safeParse({ url: 'ws://a:b' }).success).toBe(false);
  const invite = { v: 1, room: 'r'.repeat(8), secret: 'a'.repeat(43), title: 't', from: { name: 'D' }, role: 'report' };
  expect(InvitePayload.safeParse({ ...invite, relay: 'ws://h:99999' }).success).toBe(false);
});
