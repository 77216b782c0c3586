/**
 * The registry's group commit (the relay's mode): updates are forwarded at once, stored together
 * after the event-loop turn, and confirmations wait for the store.
 */
import SQLite from 'better-sqlite3';
import { expect, onTestFinished, test } from 'vitest';
import { DocRegistry } from '../../../../src/node/docstore/doc-registry.js';
import { UpdateLog } from '../../../../src/node/docstore/update-log.js';
import { openRelayStore } from '../../../../server/store.js';
import { tempDir } from '../../helpers/core.js';

async function groupCommitRegistry(onStoreFailed: (docId: string, error: Error) => void = () => {}) {
  const store = await openRelayStore(tempDir(), 'full');
  const forwarded: Uint8Array[] = [];
  const docs = new DocRegistry(new UpdateLog(store.sqlite, store.file), {
    compactAfter: 1000,
    idleUnloadMs: 60_000,
    groupCommit: { onStoreFailed },
    onUpdate: (_id, update) => forwarded.push(update),
  });
  // A second connection sees only what is committed, as a relay restarted after a crash would.
  const disk = new SQLite(store.file, { readonly: true });
  onTestFinished(async () => {
    disk.close();
    await store.close();
  });
  const storedRows = (docId: string) =>
    (disk.prepare('select count(*) as n from doc_updates where doc_id = ?').get(docId) as { n: number }).n;
  return { store, docs, forwarded, storedRows };
}

test('updates of several documents are forwarded at once and stored together after the turn; confirmations wait for the store', async () => {
  const { docs, forwarded, storedRows } = await groupCommitRegistry();
  const a = docs.create('room-a', 'relay-room');
  const b = docs.create('room-b', 'relay-room');
  a.getText('t').insert(0, 'one');
  b.getText('t').insert(0, 'two');
  a.getText('t').insert(3, ' three');
  expect(forwarded).toHaveLength(3);
  expect(storedRows('room-a') + storedRows('room-b')).toBe(0);
  const confirmed = new Promise<number>((resolve) => docs.whenStored(() => resolve(storedRows('room-a') + storedRows('room-b'))));
  expect(await confirmed).toBe(3);
  // Nothing pending: a confirmation is immediate.
  let now = false;
  docs.whenStored(() => (now = true));
  expect(now).toBe(true);
});

test('a commit that fails drops the documents it held, reports each, and the next use reloads what is on disk', async () => {
  const failed: string[] = [];
  const { store, docs } = await groupCommitRegistry((docId, error) => {
    expect(error.message).toContain('could not save');
    failed.push(docId);
  });
  const doc = docs.create('room-a', 'relay-room');
  doc.getText('t').insert(0, 'kept');
  await new Promise<void>((resolve) => docs.whenStored(resolve));
  store.sqlite.exec(`create trigger full_disk before insert on doc_updates begin select raise(abort, 'disk full'); end`);
  doc.getText('t').insert(4, ' lost');
  await new Promise<void>((resolve) => docs.whenStored(resolve));
  expect(failed).toEqual(['room-a']);
  expect(docs.isLoaded('room-a')).toBe(false);
  store.sqlite.exec('drop trigger full_disk');
  expect(docs.with('room-a', (reloaded) => reloaded.getText('t').toString())).toBe('kept');
});
