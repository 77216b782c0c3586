import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { LOCK_FILE } from '../../../src/core/data-lock.js';
import { TandemCore } from '../../../src/core/tandem-core.js';
import { openCore, tempDir } from '../helpers/core.js';

test('a second Tandem on the same data dir is refused while the first has it open, and let in once it closes', async () => {
  const { core, dataDir } = await openCore();
  await expect(TandemCore.open({ dataDir })).rejects.toThrow(`Another Tandem (process ${process.pid}) is using ${dataDir}. Close it first`);
  await core.close();
  const again = await TandemCore.open({ dataDir });
  await again.close();
});

test('a lock left by a process that is gone is taken over, and so is one naming this process that it did not write', async () => {
  for (const stale of ['2147483646', String(process.pid), 'garbage']) {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, LOCK_FILE), stale);
    const core = await TandemCore.open({ dataDir });
    await core.close();
  }
});
