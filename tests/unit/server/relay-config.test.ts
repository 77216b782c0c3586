import { describe, expect, it } from 'vitest';
import { ConfigError, parseCommandLine } from '../../../server/config.js';
import { runRelayCli, tempDir, SPAWNED_RELAY_TIMEOUT_MS } from './helpers.js';

describe('relay configuration', { timeout: SPAWNED_RELAY_TIMEOUT_MS }, () => {
  it('reads flags, falls back to TANDEM_RELAY_* variables, and lets flags win', () => {
    const config = parseCommandLine(['--port', '5000', '--data', '/tmp/a'], {
      TANDEM_RELAY_PORT: '6000',
      TANDEM_RELAY_KEY: 'k'.repeat(16),
      TANDEM_RELAY_HOST: '0.0.0.0',
    });
    expect(config).toMatchObject({ port: 5000, data: '/tmp/a', key: 'k'.repeat(16), host: '0.0.0.0', maxMessageBytes: 10 * 1024 * 1024 });
    expect(parseCommandLine([], { TANDEM_RELAY_PORT: '0', TANDEM_RELAY_DATA: '/tmp/b' })).toMatchObject({
      port: 0,
      data: '/tmp/b',
      host: '127.0.0.1',
      synchronous: 'full',
    });
    expect(parseCommandLine(['--data', '/tmp/c', '--synchronous', 'normal'], {}).synchronous).toBe('normal');
    expect(parseCommandLine(['--data', '/tmp/c'], {}).syncedMaxStructs).toBe(2000);
    expect(parseCommandLine(['--data', '/tmp/c'], { TANDEM_RELAY_SYNCED_MAX_STRUCTS: '500' }).syncedMaxStructs).toBe(500);
  });

  it('takes the Redis URL from --redis or TANDEM_RELAY_REDIS_URL, and stands alone without one', () => {
    expect(parseCommandLine(['--data', '/tmp/a', '--redis', 'redis://10.0.0.5:6379'], {}).redis).toBe('redis://10.0.0.5:6379');
    expect(parseCommandLine(['--data', '/tmp/a'], { TANDEM_RELAY_REDIS_URL: 'rediss://:pw@cache:6380/2' }).redis).toBe(
      'rediss://:pw@cache:6380/2',
    );
    expect(parseCommandLine(['--data', '/tmp/a'], {}).redis).toBeUndefined();
  });

  it.each(['http://cache:6379', 'cache:6379', ''])('rejects the Redis URL %j without echoing it', (url) => {
    const attempt = () => parseCommandLine(['--data', '/tmp/x', '--redis', url], {});
    expect(attempt).toThrow(/^--redis \(TANDEM_RELAY_REDIS_URL\) must be a redis:\/\/ or rediss:\/\/ URL$/);
  });

  it('takes a PostgreSQL URL from --postgres or TANDEM_RELAY_POSTGRES_URL instead of a data directory', () => {
    const url = 'postgres://relay@db.internal:5432/tandem';
    const config = parseCommandLine(['--postgres', url], {});
    expect(config).toMatchObject({ postgres: url, storeBacklogBytes: 64 * 1024 * 1024 });
    expect(config.data).toBeUndefined();
    expect(parseCommandLine(['--store-backlog-bytes', '2097152'], { TANDEM_RELAY_POSTGRES_URL: url })).toMatchObject({
      postgres: url,
      storeBacklogBytes: 2 * 1024 * 1024,
    });
  });

  it.each([
    [['--port', 'abc', '--data', '/tmp/x'], /--port .*whole number/],
    [['--port', '', '--data', '/tmp/x'], /--port .*whole number/],
    [['--port', '65536', '--data', '/tmp/x'], /--port .*at most 65535/],
    [['--port', '1'], /--data .*required/],
    [['--data', '/tmp/x', '--max-connections', '0'], /--max-connections .*at least 1/],
    [['--data', '/tmp/x', '--colour', 'blue'], /Unknown option '--colour'/],
    [['--data', '/tmp/x', '--synchronous', 'off'], /--synchronous .*'full' or 'normal'/],
    [['--data', '/tmp/x', '--synced-max-structs', '60000'], /--synced-max-structs .*at most 50000/],
    [['--postgres', 'mysql://db/tandem'], /--postgres .*postgres:\/\/ or postgresql:\/\/ URL/],
    [['--postgres', 'postgres://db/t', '--store-backlog-bytes', '1'], /--store-backlog-bytes .*at least/],
  ])('rejects %j with a message naming the setting', (argv, message) => {
    expect(() => parseCommandLine(argv, {})).toThrow(ConfigError);
    expect(() => parseCommandLine(argv, {})).toThrow(message);
  });

  it('exits with code 2 and one clear line on stderr for a bad port, without starting', async () => {
    const dir = tempDir();
    try {
      const result = await runRelayCli(['--port', 'eighty', '--data', dir.path]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toEqual([
        'tandem-relay: invalid configuration: --port (TANDEM_RELAY_PORT) must be a whole number',
      ]);
      expect(result.stdout).not.toContain('listening');
    } finally {
      dir.remove();
    }
  });

  it('exits with code 2 for a too short key and does not echo the key', async () => {
    const result = await runRelayCli(['--port', '0', '--data', '/tmp/unused'], { TANDEM_RELAY_KEY: 'tiny-key-xyz' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^tandem-relay: invalid configuration: --key \(TANDEM_RELAY_KEY\) must be at least 16 characters\n$/);
    expect(result.stderr + result.stdout).not.toContain('tiny-key-xyz');
  });

  it('exits with code 2 when no data directory is given', async () => {
    const result = await runRelayCli(['--port', '0'], { TANDEM_RELAY_DATA: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--data (TANDEM_RELAY_DATA)');
  });
});
