import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOG_FOLDER, fileLogger, withoutQuery } from '../../../src/node/log.js';
import { tempDir } from '../helpers/core.js';

const logFiles = (dataDir: string) =>
  readdirSync(join(dataDir, LOG_FOLDER))
    .filter((f) => /^tandem\.\d+\.log$/.test(f))
    .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));

const lines = (dataDir: string) =>
  logFiles(dataDir).flatMap((f) =>
    readFileSync(join(dataDir, LOG_FOLDER, f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  );

/** pino-roll rotates once a write has drained, which happens between turns of the event loop. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('file logger', () => {
  it('writes JSON lines into the data dir, readable by the user only', async () => {
    const dataDir = tempDir();
    const { log, close } = await fileLogger(dataDir);
    log.info({ seriesId: 's1' }, 'shared 1:1 connected');
    log.error({ error: 'disk full' }, 'save failed');
    await close();

    expect(lines(dataDir)).toMatchObject([
      { level: 'info', seriesId: 's1', msg: 'shared 1:1 connected' },
      { level: 'error', error: 'disk full', msg: 'save failed' },
    ]);
    expect(typeof lines(dataDir)[0]!.time).toBe('string');
    if (process.platform !== 'win32') {
      expect(statSync(join(dataDir, LOG_FOLDER, logFiles(dataDir)[0]!)).mode & 0o777).toBe(0o600);
      expect(statSync(join(dataDir, LOG_FOLDER)).mode & 0o777).toBe(0o700);
    }
  });

  it('starts a new file past its size limit and keeps only the newest files', async () => {
    const dataDir = tempDir();
    const { log, close } = await fileLogger(dataDir, { maxBytes: 2048, files: 3 });
    for (let i = 0; i < 300; i++) {
      log.info({ i }, 'tick');
      await nextTurn();
    }
    await close();

    const files = logFiles(dataDir);
    expect(files).toHaveLength(3);
    for (const f of files) expect(statSync(join(dataDir, LOG_FOLDER, f)).size).toBeLessThan(2048 + 200);
    // The newest lines survive, in order, ending with the last one written.
    const kept = lines(dataDir).map((l) => l.i as number);
    expect(kept.at(-1)).toBe(299);
    expect(kept).toEqual(kept.map((_, n) => kept[0]! + n));
  });

  it('keeps removing files left by earlier runs', async () => {
    const dataDir = tempDir();
    const first = await fileLogger(dataDir);
    await first.close();
    for (const n of [2, 3, 4, 5]) writeFileSync(join(dataDir, LOG_FOLDER, `tandem.${n}.log`), '{}\n');
    const { log, close } = await fileLogger(dataDir, { maxBytes: 1024, files: 2 });
    for (let i = 0; i < 40; i++) {
      log.info({ i }, 'tick');
      await nextTurn();
    }
    await close();
    await expect.poll(() => logFiles(dataDir)).toHaveLength(2);
  });

  it('redacts secrets and the query string of URLs', async () => {
    const dataDir = tempDir();
    const { log, close } = await fileLogger(dataDir);
    const secret = 'c2VjcmV0LXJvb20tc2VjcmV0LTI1Ni1iaXQ';
    log.warn(
      {
        url: `ws://relay.example:4455/series-1?secret=${secret}&key=operator-key`,
        secret,
        share: { relayUrl: `wss://relay.example/series-1?secret=${secret}`, key: 'operator-key', token: 'session-token' },
      },
      'relay refused',
    );
    log.error({ error: `Unexpected server response from ws://relay.example/series-1?secret=${secret}&key=operator-key` }, 'connect failed');
    await close();

    const text = readFileSync(join(dataDir, LOG_FOLDER, logFiles(dataDir)[0]!), 'utf8');
    for (const s of [secret, 'operator-key', 'session-token']) expect(text).not.toContain(s);
    expect(lines(dataDir)[0]).toMatchObject({
      url: 'ws://relay.example:4455/series-1?[redacted]',
      secret: '[redacted]',
      share: { relayUrl: 'wss://relay.example/series-1?[redacted]', key: '[redacted]', token: '[redacted]' },
      msg: 'relay refused',
    });
    expect(lines(dataDir)[1]).toMatchObject({
      error: 'Unexpected server response from ws://relay.example/series-1?secret=[redacted]&key=[redacted]',
    });
  });

  it('leaves a URL without a query string as it is', () => {
    expect(withoutQuery('ws://127.0.0.1:4455')).toBe('ws://127.0.0.1:4455');
    expect(withoutQuery('ws://h/r#frag')).toBe('ws://h/r?[redacted]');
  });
});
