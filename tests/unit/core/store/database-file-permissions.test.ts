import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { openCore, tempDir } from '../../helpers/core.js';

test.skipIf(process.platform === 'win32')(
  'the database and its journal files are readable only by the user, even in a folder others can read',
  async () => {
    const dataDir = join(tempDir(), 'Tandem');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    const { core, api, dbFile } = await openCore({ dataDir });
    await api.setProfile({ name: 'Dana' });
    for (const file of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) expect(statSync(file).mode & 0o777, file).toBe(0o600);
    await core.close();
  },
);
