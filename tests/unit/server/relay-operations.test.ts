/**
 * What an operator relies on: /metrics in valid Prometheus text format with latency histograms,
 * /readyz, private file modes, a damaged room refused and left as it was, and the relay running
 * as one built JavaScript bundle.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { build } from 'vite';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/node/log.js';
import { startRelay, type Relay } from '../../../server/relay.js';
import { RELAY_BUNDLE, RELAY_NODE_OPTIONS } from '../../../vite.relay.config.js';
import { ROOT, closeCode, connectClient, memoryLogger, newRoom, newSecret, openSocket, synced, tempDir, waitFor } from './helpers.js';

interface Family {
  type: string;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

/** Parses the Prometheus text exposition format (0.0.4) strictly, throwing on any line that does not conform. */
function parsePrometheus(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.slice(0, -1).split('\n')) {
    // The format ignores empty lines; prom-client puts one between families.
    if (line === '') continue;
    const help = new RegExp(`^# HELP (${NAME}) \\S.*$`).exec(line);
    const type = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`).exec(line);
    if (help) continue;
    if (type) {
      expect(families.has(type[1]!), `${type[1]} declared twice`).toBe(false);
      families.set(type[1]!, { type: type[2]!, samples: [] });
      continue;
    }
    const sample = new RegExp(`^(${NAME})(?:\\{((?:${NAME}="(?:[^"\\\\\\n]|\\\\.)*",?)*)\\})? (\\S+)$`).exec(line);
    if (!sample) throw new Error(`not a Prometheus line: ${line}`);
    const [, name, labelText, valueText] = sample;
    const value = valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : Number(valueText);
    if (Number.isNaN(value) && valueText !== 'NaN') throw new Error(`not a value: ${line}`);
    const family = families.get(name!) ?? families.get(name!.replace(/_(bucket|sum|count)$/, ''));
    if (!family) throw new Error(`sample before its TYPE: ${line}`);
    const labels = Object.fromEntries([...(labelText ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    family.samples.push({ name: name!, labels, value });
  }
  for (const [name, family] of families) {
    if (family.type !== 'histogram') continue;
    const buckets = family.samples.filter((s) => s.name === `${name}_bucket`);
    expect(buckets.at(-1)?.labels.le).toBe('+Inf');
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
    expect(family.samples.find((s) => s.name === `${name}_count`)?.value).toBe(buckets.at(-1)!.value);
  }
  return families;
}

describe('relay operations', () => {
  let dir: ReturnType<typeof tempDir>;
  let relay: Relay | null = null;

  afterEach(async () => {
    await relay?.close();
    relay = null;
    dir.remove();
  });

  it('serves /metrics in valid Prometheus text format, with store latency, event-loop lag and closes by reason', async () => {
    dir = tempDir();
    relay = await startRelay({ port: 0, data: dir.path, compactAfter: 5 }, silentLogger);
    const room = newRoom();
    const secret = newSecret();
    const a = connectClient(relay.url, room, { secret });
    const b = connectClient(relay.url, room, { secret });
    try {
      await Promise.all([synced(a), synced(b)]);
      for (let i = 0; i < 10; i++) a.text.insert(a.text.length, 'x');
      await waitFor(() => b.text.length === 10, 'B to see the edits');
      const bad = await openSocket(`${relay.url}/${room}?secret=${secret}`);
      bad.send(Buffer.from([0x7f]));
      await closeCode(bad);
      const families = parsePrometheus(await (await fetch(`http://127.0.0.1:${relay.port}/metrics`)).text());
      const value = (sample: string, labels: Record<string, string> = {}) =>
        families
          .get(sample.replace(/_count$/, ''))
          ?.samples.find((s) => s.name === sample && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
      expect(families.get('tandem_relay_store_seconds')?.type).toBe('histogram');
      expect(value('tandem_relay_store_seconds_count')).toBeGreaterThan(0);
      expect(families.get('tandem_relay_compact_seconds')?.type).toBe('histogram');
      expect(value('tandem_relay_event_loop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
      expect(value('tandem_relay_closes_total', { reason: 'unknown-message-type' })).toBe(1);
      expect(value('tandem_relay_connections')).toBe(2);
    } finally {
      a.destroy();
      b.destroy();
    }
  });

  it('answers /readyz, and keeps relay.db readable by its owner alone in a folder only its owner can enter', async () => {
    dir = tempDir();
    const data = join(dir.path, 'relay-data');
    relay = await startRelay({ port: 0, data }, silentLogger);
    const res = await fetch(`http://127.0.0.1:${relay.port}/readyz`);
    expect(res.status).toBe(200);
    expect(statSync(data).mode & 0o777).toBe(0o700);
    expect(statSync(join(data, 'relay.db')).mode & 0o777).toBe(0o600);
  });

  it('refuses a room whose stored document is damaged, leaves it untouched, and serves the other rooms', async () => {
    dir = tempDir();
    relay = await startRelay({ port: 0, data: dir.path }, silentLogger);
    const [damaged, healthy] = [newRoom(), newRoom()];
    const secret = newSecret();
    const writer = connectClient(relay.url, damaged, { secret });
    const reader = connectClient(relay.url, damaged, { secret });
    await Promise.all([synced(writer), synced(reader)]);
    writer.text.insert(0, 'kept as it was');
    await waitFor(() => reader.text.length > 0, 'the relay to have the text');
    writer.destroy();
    reader.destroy();
    await relay.close();
    const file = join(dir.path, 'relay.db');
    const db = new SQLite(file);
    db.prepare('insert into doc_updates (doc_id, seq, "update") values (?, 1000, ?)').run(damaged, Buffer.from([1, 2, 3]));
    const rows = () => db.prepare('select seq, hex("update") as u from doc_updates where doc_id = ? order by seq').all(damaged);
    const before = rows();
    const log = memoryLogger();
    relay = await startRelay({ port: 0, data: dir.path }, log.logger);
    const ws = await openSocket(`${relay.url}/${damaged}?secret=${secret}`);
    expect(await closeCode(ws)).toBe(1011);
    // The operator reads why, the room named by the tag its connection is logged with.
    const tag = log.lines().find((l) => l.msg === 'closing connection')?.room;
    expect(log.lines()).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'room could not be loaded', room: tag, error: expect.any(String) }),
    );
    expect(log.lines().flatMap((l) => (l.level === 'error' ? [l.msg] : []))).toEqual([
      'room could not be loaded',
      'room could not be opened',
    ]);
    // The store's error names the room it read: the log has the tag in its place.
    expect(log.text()).not.toContain(damaged);
    expect(log.lines().find((l) => l.msg === 'room could not be loaded')?.error).toContain(`document ${tag} `);
    const other = connectClient(relay.url, healthy, { secret: newSecret() });
    await synced(other);
    other.destroy();
    await relay.close();
    relay = null;
    expect(rows()).toEqual(before);
    db.close();
  });

  it(
    'runs as built JavaScript under plain node, its store thread and update checker from their own bundles, and keeps what it was sent',
    { timeout: 60_000 },
    async () => {
      dir = tempDir();
      await build({ configFile: join(ROOT, 'vite.relay.config.ts') });
      // With the node options it is deployed with, so a Node that stopped taking one of them fails here.
      const child = spawn(process.execPath, [...RELAY_NODE_OPTIONS, RELAY_BUNDLE, '--port', '0', '--data', dir.path], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const room = newRoom();
      try {
        await waitFor(() => out.includes('"msg":"listening"'), 'the bundle to listen', 20_000);
        const port = Number(/"port":(\d+)/.exec(out)![1]);
        const secret = newSecret();
        const a = connectClient(`ws://127.0.0.1:${port}`, room, { secret });
        const b = connectClient(`ws://127.0.0.1:${port}`, room, { secret });
        await Promise.all([synced(a), synced(b)]);
        a.text.insert(0, 'bundled');
        await waitFor(() => b.text.toString() === 'bundled', 'B to see the edit');
        // 16 KiB and more is checked on the scan worker before it is applied.
        a.text.insert(7, ' '.repeat(20_000));
        await waitFor(() => b.text.length === 20_007, 'B to see the large edit');
        a.text.delete(7, 20_000);
        await waitFor(() => b.text.toString() === 'bundled', 'B to see it removed');
        a.destroy();
        b.destroy();
      } finally {
        child.kill('SIGTERM');
      }
      expect(await exited).toBe(0);
      const db = new SQLite(join(dir.path, 'relay.db'), { readonly: true });
      const stored = db.prepare('select snapshot from docs where doc_id = ?').get(room) as { snapshot: Buffer | null };
      db.close();
      const doc = new Y.Doc();
      Y.applyUpdate(doc, stored.snapshot!);
      expect(doc.getText('notes').toString()).toBe('bundled');
    },
  );
});
