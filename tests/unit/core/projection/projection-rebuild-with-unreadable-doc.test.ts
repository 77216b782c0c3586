import { expect, test } from 'vitest';
import { openCore, rawDb } from '../../helpers/core.js';

test('a projection rebuild skips an unreadable document and the other 1:1s are still listed', async () => {
  const { core, api, dataDir, dbFile } = await openCore();
  const bad = await api.createSeries({ partnerName: 'Broken', kind: 'peer' });
  await api.createSeries({ partnerName: 'Fine', kind: 'peer' });
  await core.close();
  const raw = rawDb(dbFile);
  raw.prepare('insert into doc_updates (doc_id, seq, "update") values (?, ?, ?)').run(bad.id, 1000, Buffer.from([255, 1, 2, 3]));
  raw.exec('drop table projection_meta');
  raw.close();

  const again = await openCore({ dataDir });
  expect((await again.api.listSeries()).map((s) => s.partnerName)).toContain('Fine');
  await expect(again.api.openSeries({ seriesId: bad.id })).rejects.toMatchObject({ code: 'storage' });
  await again.core.close();
});
