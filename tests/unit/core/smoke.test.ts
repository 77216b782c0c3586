import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { TandemCore } from '../../../src/core/tandem-core.js';

test('a 1:1 created with an agenda item is listed after reopening the core', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tandem-'));
  const core = await TandemCore.open({ dataDir });
  const api = core.connect();
  await api.setProfile({ name: 'Dana' });
  const s = await api.createSeries({ partnerName: 'Sam', kind: 'manager-report', myRole: 'manager' });
  await api.addAgendaItem({ seriesId: s.id, title: 'Promotion path' });
  await core.close();
  const again = await TandemCore.open({ dataDir });
  const list = await again.connect().listSeries();
  expect(list).toHaveLength(1);
  expect(list[0]).toMatchObject({ partnerName: 'Sam', myRole: 'manager', openItemCount: 1 });
  await again.close();
});
