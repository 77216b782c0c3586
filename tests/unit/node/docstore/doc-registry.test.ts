import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, test } from 'vitest';
import { DocRegistry, type DocRegistryOptions } from '../../../../src/node/docstore/doc-registry.js';
import { UpdateLog } from '../../../../src/node/docstore/update-log.js';
import { openStore, type Store } from '../../../../src/core/store/database.js';
import { tempDir, updateRows } from '../../helpers/core.js';

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

async function registry(options: Partial<DocRegistryOptions> = {}) {
  const file = join(tempDir(), 'tandem.db');
  const store = await openStore(file);
  stores.push(store);
  const log = new UpdateLog(store.sqlite, file);
  const compactions: number[] = [];
  const docs = new DocRegistry(log, {
    compactAfter: 1000,
    idleUnloadMs: 60_000,
    onUpdate: () => {},
    onCompacted: (ms) => compactions.push(ms),
    ...options,
  });
  return { file, log, docs, compactions };
}

const write = (docs: DocRegistry, id: string, text: string) => docs.with(id, (doc) => doc.getText('t').insert(0, text));

test('a document is stored whether or not it is loaded, and an unknown one is not', async () => {
  const { docs } = await registry();
  docs.create('a', 'series');
  expect(docs.isLoaded('a') && docs.exists('a')).toBe(true);
  docs.closeAll();
  expect(docs.isLoaded('a')).toBe(false);
  expect(docs.exists('a')).toBe(true);
  expect(docs.exists('b')).toBe(false);
});

test('a version never comes back, even for a document removed and created again with the same edits', async () => {
  const { docs } = await registry();
  const versions: (string | null)[] = [];
  for (let life = 0; life < 3; life++) {
    docs.create('a', 'series');
    docs.release('a');
    write(docs, 'a', 'same words');
    versions.push(docs.version('a'));
    docs.remove('a');
    expect(docs.version('a')).toBeNull();
  }
  expect(new Set(versions).size).toBe(3);
});

test('removing a document removes those belonging to it, loaded or not, and only them', async () => {
  const { docs, file } = await registry();
  for (const id of ['a', 'a:archive', 'a.private', 'ab']) {
    docs.create(id, 'series');
    write(docs, id, id);
  }
  docs.closeAll();
  docs.acquire('a:archive');
  expect(docs.remove('a').sort()).toEqual(['a', 'a.private', 'a:archive']);
  for (const id of ['a', 'a:archive', 'a.private']) {
    expect(docs.isLoaded(id) || docs.exists(id)).toBe(false);
    expect(updateRows(file, id)).toEqual([]);
  }
  expect(docs.with('ab', (doc) => doc.getText('t').toString())).toBe('ab');
});

test('a document removed while waiting to be unloaded, then created again and held, stays loaded', async () => {
  const { docs } = await registry({ idleUnloadMs: 20 });
  docs.create('a', 'series');
  docs.release('a');
  docs.remove('a');
  docs.create('a', 'series');
  await sleep(80);
  expect(docs.isLoaded('a')).toBe(true);
  docs.release('a');
  await sleep(80);
  expect(docs.isLoaded('a')).toBe(false);
});

test('a document removed in the turn its log reached the compaction threshold is not written again', async () => {
  const { docs, compactions } = await registry({ compactAfter: 2 });
  docs.create('a', 'series');
  write(docs, 'a', 'one');
  write(docs, 'a', 'two');
  docs.remove('a');
  await sleep(20);
  expect(docs.exists('a')).toBe(false);
  expect(compactions).toEqual([]);
});

test('unloading compacts only a document that changed, and reports how long compaction took', async () => {
  const { docs, compactions, file } = await registry();
  docs.create('a', 'series');
  docs.release('a');
  const started = performance.now();
  write(docs, 'a', 'words');
  docs.closeAll();
  const elapsed = performance.now() - started;
  expect(compactions).toHaveLength(1);
  expect(compactions[0]).toBeGreaterThanOrEqual(0);
  expect(compactions[0]).toBeLessThanOrEqual(elapsed);
  expect(updateRows(file, 'a')).toEqual([]);
  // Loaded and unloaded again without a change: nothing to compact.
  docs.with('a', () => undefined);
  docs.closeAll();
  expect(compactions).toHaveLength(1);
});
