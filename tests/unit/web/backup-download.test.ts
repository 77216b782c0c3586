/**
 * In a browser a backup is downloaded: the web shell serves the data directory's backups folder,
 * by the names Tandem gives its backups and behind the session token, and nothing else there.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { BACKUPS_FOLDER } from '../../../src/core/backup/backup.js';
import { startWebShell } from '../../../src/web/server.js';
import { backupDownloadUrl } from '../../../src/web/browser-client.js';
import { openCore, tempDir } from '../helpers/core.js';

test('a backup downloads with the session token, as an attachment; without it, or by another name, nothing does', async () => {
  const rendererDir = tempDir();
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Tandem</title>');
  const { core, api, dataDir } = await openCore();
  const token = randomBytes(32).toString('base64url');
  const web = await startWebShell({ core, rendererDir, token });
  try {
    const { name, file } = await api.backupNow({});
    const origin = `http://127.0.0.1:${web.port}`;
    const page = new URL(web.url);
    const href = backupDownloadUrl(name!, { search: page.search } as Location);
    const ok = await fetch(origin + href);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-disposition')).toBe(`attachment; filename="${name}"`);
    expect(Buffer.from(await ok.arrayBuffer())).toEqual(readFileSync(file));

    expect((await fetch(`${origin}/backups/${name}`)).status).toBe(401);
    expect((await fetch(`${origin}/backups/${name}?token=${'x'.repeat(token.length)}`)).status).toBe(401);
    writeFileSync(join(dataDir, BACKUPS_FOLDER, 'notes.txt'), 'not a backup');
    for (const other of ['notes.txt', '..%2Ftandem.db', 'tandem-2020-01-01.tandem-backup']) {
      expect((await fetch(`${origin}/backups/${other}?token=${token}`)).status).toBe(404);
    }
  } finally {
    await web.close();
    await core.close();
  }
});
