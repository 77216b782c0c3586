import { expect, test } from 'vitest';
import { parseCoreArgs } from '../../../src/core/core-args.js';

test('start-up settings come from flags before the environment', () => {
  const options = parseCoreArgs(['--data-dir', '/tmp/a', '--relay', 'ws://relay.example:4455'], {
    TANDEM_RELAY_URL: 'ws://other:1',
    TANDEM_RELAY_KEY: 'k3y',
    TANDEM_SQLITE_BINDING: '/opt/better_sqlite3.node',
  });
  expect(options).toEqual({
    dataDir: '/tmp/a',
    autoBackup: true,
    defaultRelay: { url: 'ws://relay.example:4455', key: 'k3y' },
    sqliteBinding: '/opt/better_sqlite3.node',
  });
  expect(parseCoreArgs([], { TANDEM_DATA_DIR: '/tmp/b' })).toEqual({ dataDir: '/tmp/b', autoBackup: true });
});

test('a relay address that is not ws:// or wss:// is refused with a sentence naming the setting', () => {
  expect(() => parseCoreArgs(['--relay', 'http://relay.example'], {})).toThrow(
    /relay: That doesn't look like a relay address: it should start with ws:\/\/ or wss:\/\//,
  );
  expect(() => parseCoreArgs([], { TANDEM_RELAY_URL: 'relay.example' })).toThrow(/relay/);
});
