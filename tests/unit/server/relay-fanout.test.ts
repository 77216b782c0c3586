/**
 * Several relay instances sharing rooms through a real redis-server: stock y-websocket clients on
 * different instances edit live, see each other's presence, keep working while Redis is down and
 * converge when it returns.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import { startRelay, type Relay } from '../../../server/relay.js';
import { silentLogger } from '../../../src/node/log.js';
import { MESSAGE_STATE_VECTOR } from '../../../src/shared/relay-protocol.js';
import {
  SPAWNED_RELAY_TIMEOUT_MS,
  askStored,
  clientPool,
  closeCode,
  fetchMetrics,
  metric,
  newRoom,
  newSecret,
  openSocket,
  presenceMessage,
  presencesIn,
  readyz,
  spawnRelay,
  stateVectorQuery,
  synced,
  syncUpdateMessage,
  tempDir,
  waitFor,
  waitReady,
  type Client,
  type RelayProcess,
} from './helpers.js';
import { postgresSkipReason, queryDatabase, startPostgres, storedText, type PostgresServer } from './postgres-server.js';
import { redisMissing, startRedis, type RedisServer } from './redis-server.js';

describe.skipIf(redisMissing)('relay instances sharing rooms through Redis', () => {
  let redis: RedisServer;
  const relays: Relay[] = [];
  const dirs: ReturnType<typeof tempDir>[] = [];
  const clients = clientPool();

  beforeEach(async () => {
    redis = await startRedis();
  });

  afterEach(async () => {
    clients.destroyAll();
    await Promise.all(relays.splice(0).map((r) => r.close()));
    for (const d of dirs.splice(0)) d.remove();
    await redis.remove();
  });

  /** A relay instance with its own SQLite file, as instances on separate machines would have. */
  const instance = async (redisUrl = redis.url) => {
    const dir = tempDir();
    dirs.push(dir);
    const relay = await startRelay({ port: 0, data: dir.path, redis: redisUrl }, silentLogger);
    relays.push(relay);
    return relay;
  };

  const client = clients.connect;

  it('carries edits both ways between clients on three different instances, and gives a latecomer everything', async () => {
    const [one, two, three] = await Promise.all([instance(), instance(), instance()]);
    for (const r of [one!, two!, three!]) await waitReady(r);
    const room = newRoom();
    const secret = newSecret();
    const [a, b] = await clients.pair(one!, room, secret, two!);
    a.text.insert(0, 'from one');
    await waitFor(() => b.text.toString() === 'from one', 'the client on instance two to see the edit made on one');
    b.text.insert(b.text.length, ', from two');
    await waitFor(() => a.text.toString() === 'from one, from two', 'the client on instance one to see the edit made on two');
    // Instance three has never loaded the room: it learns it from the others when it joins the channel.
    const late = client(three!, room, secret);
    await waitFor(() => late.text.toString() === 'from one, from two', 'a latecomer on instance three to catch up');
    late.text.insert(0, '> ');
    await waitFor(() => a.text.toString() === '> from one, from two' && b.text.toString() === a.text.toString(), 'all three to agree');
  });

  it('shows presence across instances and takes it away when its owner drops', async () => {
    const [one, two] = await Promise.all([instance(), instance()]);
    await Promise.all([waitReady(one), waitReady(two)]);
    const room = newRoom();
    const secret = newSecret();
    const [a, b] = await clients.pair(one, room, secret, two);
    a.provider.awareness.setLocalStateField('user', { name: 'Ada' });
    const adaOnB = () => (b.provider.awareness.getStates().get(a.doc.clientID) as { user?: { name: string } } | undefined)?.user?.name;
    await waitFor(() => adaOnB() === 'Ada', "Ada's presence to reach the client on the other instance");
    // Her connection drops without a goodbye (a closed laptop): her instance takes her presence away for her.
    a.provider.shouldConnect = false;
    (a.provider.ws as unknown as WebSocket).terminate();
    await waitFor(() => !b.provider.awareness.getStates().has(a.doc.clientID), "Ada's presence to go when her connection drops");
  });

  it('carries the first presence of a room that had none on either instance, and takes it away when its owner drops', async () => {
    const [one, two] = await Promise.all([instance(), instance()]);
    await Promise.all([waitReady(one), waitReady(two)]);
    const room = newRoom();
    const secret = newSecret();
    // Raw peers send no presence when they join: neither instance's room has any until Ada's.
    const ada = await openSocket(`${one.url}/${room}?secret=${secret}`);
    const peer = await openSocket(`${two.url}/${room}?secret=${secret}`);
    const heard: Uint8Array[] = [];
    peer.on('message', (data: Buffer) => heard.push(new Uint8Array(data)));
    try {
      // An edit that crosses proves both instances listen to the room's channel before the presence is sent.
      const doc = new Y.Doc();
      doc.getText('t').insert(0, 'hello');
      ada.send(syncUpdateMessage(Y.encodeStateAsUpdate(doc)));
      await waitFor(() => heard.some((m) => m[0] === 0 && m[1] === 2), 'the edit to reach the other instance');
      ada.send(presenceMessage(4242, 1, { user: { name: 'Ada' } }));
      const presence = () =>
        heard
          .map((m) => presencesIn(m))
          .findLast((p) => p.has(4242))
          ?.get(4242);
      await waitFor(() => JSON.stringify(presence()) === JSON.stringify({ user: { name: 'Ada' } }), "Ada's presence on the other instance");
      ada.terminate();
      await waitFor(() => presence() === null, "Ada's presence to go when her connection drops");
    } finally {
      ada.terminate();
      peer.terminate();
    }
  });

  it('gives a client joining on another instance the presence of those already in the room there', async () => {
    const [one, two] = await Promise.all([instance(), instance()]);
    await Promise.all([waitReady(one), waitReady(two)]);
    const room = newRoom();
    const secret = newSecret();
    const ada = await openSocket(`${one.url}/${room}?secret=${secret}`);
    const grace = await openSocket(`${one.url}/${room}?secret=${secret}`);
    let watcher: WebSocket | undefined;
    try {
      ada.send(presenceMessage(4242, 1, { user: { name: 'Ada' } }));
      grace.send(presenceMessage(4343, 1, { user: { name: 'Grace' } }));
      // A peer of the same instance (with no presence of its own) that hears both proves instance one holds them before instance two loads the room.
      const heardOnOne: Uint8Array[] = [];
      watcher = await openSocket(`${one.url}/${room}?secret=${secret}`);
      watcher.on('message', (data: Buffer) => heardOnOne.push(new Uint8Array(data)));
      const heard = () => new Set(heardOnOne.flatMap((m) => [...presencesIn(m).keys()]));
      await waitFor(() => heard().has(4242) && heard().has(4343), 'both presences on instance one');
      const late = client(two, room, secret);
      const names = () =>
        [...late.provider.awareness.getStates().values()].flatMap((s) => (s as { user?: { name: string } }).user?.name ?? []).sort();
      await waitFor(() => names().join() === 'Ada,Grace', 'the presences held on instance one to reach the client joining on two');
    } finally {
      for (const ws of [ada, grace, watcher]) ws?.terminate();
    }
  });

  it('sends an edit through Redis once: the instance that receives it never publishes it again', async () => {
    const [one, two] = await Promise.all([instance(), instance()]);
    await Promise.all([waitReady(one), waitReady(two)]);
    const room = newRoom();
    const secret = newSecret();
    const [a, b] = await clients.pair(one, room, secret, two);
    const published = async (relay: Relay) =>
      metric(await fetchMetrics(relay), 'tandem_relay_fanout_messages_total{direction="out",kind="update"}');
    // A counter appears on /metrics once it has counted something.
    const [fromOne, fromTwo] = [await published(one).catch(() => 0), await published(two).catch(() => 0)];
    for (let i = 0; i < 5; i++) a.text.insert(i, String(i));
    await waitFor(() => b.text.toString() === '01234', 'the edits to cross');
    expect((await published(one)) - fromOne).toBe(5);
    expect((await published(two).catch(() => 0)) - fromTwo).toBe(0);
  });

  it('keeps serving its own clients while Redis is down, says so on /readyz, and converges when Redis returns', async () => {
    const [one, two] = await Promise.all([instance(), instance()]);
    await Promise.all([waitReady(one), waitReady(two)]);
    const room = newRoom();
    const secret = newSecret();
    const a = client(one, room, secret);
    const a2 = client(one, room, secret);
    const b = client(two, room, secret);
    await Promise.all([synced(a), synced(a2), synced(b)]);
    a.text.insert(0, 'before.');
    await waitFor(() => b.text.toString() === 'before.', 'the first edit to cross');

    await redis.stop();
    await waitFor(
      async () => (await readyz(one)) === '503 not ready: redis unreachable',
      'instance one to report redis unreachable',
      10_000,
    );
    await waitFor(
      async () => (await readyz(two)) === '503 not ready: redis unreachable',
      'instance two to report redis unreachable',
      10_000,
    );
    // Each side edits apart; clients on the same instance still see each other live.
    a.text.insert(a.text.length, ' one apart.');
    b.text.insert(0, 'two apart. ');
    await waitFor(() => a2.text.toString() === a.text.toString(), 'the neighbour on instance one to see the edit');
    expect(a.text.toString()).not.toContain('two apart');

    await redis.start();
    await Promise.all([waitReady(one), waitReady(two)]);
    await waitFor(
      () => a.text.toString() === b.text.toString() && a.text.toString().includes('one apart') && b.text.toString().includes('two apart'),
      'both sides to converge after Redis returns',
      10_000,
    );
    expect(a2.text.toString()).toBe(a.text.toString());
    // And live editing resumes.
    b.text.insert(b.text.length, ' after');
    await waitFor(() => a.text.toString().endsWith(' after'), 'a live edit after the outage');
  });

  it('starts while Redis is unreachable, serves clients, and is not ready until Redis answers', async () => {
    await redis.stop();
    const relay = await instance();
    expect(await readyz(relay)).toBe('503 not ready: redis unreachable');
    const c = client(relay, newRoom(), newSecret());
    await synced(c);
    await redis.start();
    await waitReady(relay);
  });

  it(
    'loses nothing when an instance is killed mid-edit: its clients reconnect through the balancer to another instance',
    { timeout: SPAWNED_RELAY_TIMEOUT_MS * 4 },
    async () => {
      const [firstDir, secondDir] = [tempDir(), tempDir()];
      dirs.push(firstDir, secondDir);
      const start = (dir: { path: string }) => spawnRelay(['--port', '0', '--data', dir.path, '--redis', redis.url]);
      await withTwoInstances(
        [() => start(firstDir), () => start(secondDir)],
        client,
        async ({ first, second, balancer, writer, reader, room, secret, adopt }) => {
          let typed = 0;
          const typing = setInterval(() => {
            if (typed < 200) writer.text.insert(writer.text.length, String(typed++ % 10));
          }, 2);
          try {
            await waitFor(() => reader.text.length >= 50, 'the first edits to reach the other instance', 10_000);
            balancer.target = second.port;
            await first.stop('SIGKILL');
            await waitFor(() => typed === 200, 'the writer to finish typing', 10_000);
          } finally {
            clearInterval(typing);
          }
          await waitFor(() => reader.text.toString() === writer.text.toString(), 'the reader to have every edit', 10_000);
          expect(reader.text.length).toBe(200);
          // The writer goes away and the surviving instance is killed too (no shutdown compaction to
          // save what memory held): what it got through Redis and from the writer, and confirmed as
          // stored, must be in its store. Forwarding comes before storing, so the reader's copy alone proves nothing.
          await confirmed(reader);
          writer.destroy();
          reader.destroy();
          await second.stop('SIGKILL');
          const restarted = adopt(await start(secondDir));
          const fresh = client(restarted, room, secret);
          await waitFor(() => fresh.text.length === 200, 'a fresh client to find every edit after the restart', 10_000);
        },
      );
    },
  );
});

/**
 * Two spawned relay instances (`starts` says how each starts), a balancer sending new connections to
 * the first, a writer through the balancer and a reader on the second, both synced; `adopt` takes a
 * process started later into the clean-up, which kills them all once `body` is done.
 */
async function withTwoInstances(
  starts: [() => Promise<RelayProcess>, () => Promise<RelayProcess>],
  client: (relay: { url: string }, room: string, secret: string) => Client,
  body: (setup: {
    first: RelayProcess;
    second: RelayProcess;
    balancer: { port: number; target: number };
    writer: Client;
    reader: Client;
    room: string;
    secret: string;
    adopt(process: RelayProcess): RelayProcess;
  }) => Promise<void>,
): Promise<void> {
  // One after the other: two starting at once on a busy machine can each take longer than a start is given.
  const first = await starts[0]();
  const processes: RelayProcess[] = [first];
  let balancer: Awaited<ReturnType<typeof tcpBalancer>> | null = null;
  try {
    const second = await starts[1]();
    processes.push(second);
    balancer = await tcpBalancer(first.port);
    for (const p of processes) await waitReady(p);
    const room = newRoom();
    const secret = newSecret();
    const writer = client({ url: `ws://127.0.0.1:${balancer.port}` }, room, secret);
    const reader = client(second, room, secret);
    await Promise.all([synced(writer), synced(reader)]);
    const adopt = (process: RelayProcess) => (processes.push(process), process);
    await body({ first, second, balancer, writer, reader, room, secret, adopt });
  } finally {
    balancer?.close();
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
  }
}

/** A session of its own on the database: refuses a room's appends, holds the update log locked, and counts sessions waiting for a lock. */
async function logAdmin(database: string) {
  const admin = new pg.Client({ connectionString: database });
  const watch = new pg.Client({ connectionString: database });
  await Promise.all([admin.connect(), watch.connect()]);
  const waitingSessions = `from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
  return {
    async refuse(room: string) {
      await admin.query(`create function refuse() returns trigger language plpgsql as $$ begin raise exception 'refused'; end $$`);
      await admin.query(
        `create trigger refuse before insert on doc_updates for each row when (new.doc_id = '${room}') execute function refuse()`,
      );
    },
    async lock(mode: 'access exclusive' | 'share') {
      await admin.query('begin');
      await admin.query(`lock table doc_updates in ${mode} mode`);
    },
    unlock: () => admin.query('rollback'),
    waiting: async () => Number((await watch.query(`select count(*) as n ${waitingSessions}`)).rows[0].n),
    /** Ends the sessions waiting for the lock, then the lock. */
    async terminateWaiting() {
      await admin.query(`select pg_terminate_backend(pid) ${waitingSessions}`);
      await admin.query('rollback');
    },
    end: () => Promise.all([admin.end(), watch.end()]),
  };
}

/** Resolves once the client's relay answers Tandem's state-vector query, which it does once everything it received is stored. */
const confirmed = (c: Client) => askStored(c).answered();

function textUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('notes').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe.skipIf(redisMissing ?? postgresSkipReason())('relay instances sharing one PostgreSQL store and Redis', () => {
  let postgres: PostgresServer;
  let redis: RedisServer;
  let database: string;
  const relays: Relay[] = [];
  const clients = clientPool();

  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(async () => {
    await postgres.destroy();
  });
  beforeEach(async () => {
    [redis, database] = await Promise.all([startRedis(), postgres.createDatabase()]);
  });
  afterEach(async () => {
    clients.destroyAll();
    await Promise.all(relays.splice(0).map((r) => r.close()));
    await redis.remove();
  });

  const instance = async () => {
    const relay = await startRelay({ port: 0, postgres: database, redis: redis.url }, silentLogger);
    relays.push(relay);
    await waitReady(relay);
    return relay;
  };
  const client = clients.connect;
  const storedUpdates = async (room: string) =>
    Number((await queryDatabase<{ n: string }>(database, 'select count(*) as n from doc_updates where doc_id = $1', [room])).rows[0]!.n);

  it('stores a client’s update once: the instance it reaches through Redis does not store it again', async () => {
    const [one, two] = [await instance(), await instance()];
    const room = newRoom();
    const secret = newSecret();
    const [a, b] = await clients.pair(one, room, secret, two);
    const before = await storedUpdates(room);
    for (let i = 0; i < 5; i++) a.text.insert(i, String(i));
    await waitFor(() => b.text.toString() === '01234', 'the edits to cross');
    // An instance answers a state-vector query once it has stored what it received: then the count is final.
    await Promise.all([confirmed(a), confirmed(b)]);
    expect((await storedUpdates(room)) - before).toBe(5);
  });

  it('publishes an update only once stored: one its store refuses never reaches the other instance, is not confirmed, and other rooms carry on', async () => {
    const [one, two] = [await instance(), await instance()];
    const [refused, other, third] = [newRoom(), newRoom(), newRoom()];
    const secret = newSecret();
    const reader = client(two, refused, secret);
    const [otherWriter, otherReader, thirdWriter] = [client(one, other, secret), client(two, other, secret), client(one, third, secret)];
    await Promise.all([reader, otherWriter, otherReader, thirdWriter].map((c) => synced(c)));
    // A raw connection, which does not reconnect and send its change again when the relay closes it.
    const writer = await openSocket(`${one.url}/${refused}?secret=${secret}`);
    const kinds: number[] = [];
    writer.on('message', (data: Buffer) => kinds.push(data[0]!));
    writer.send(syncUpdateMessage(textUpdate('stored;')));
    await waitFor(() => reader.text.toString() === 'stored;', 'the first edit to cross');

    const log = await logAdmin(database);
    const messagesIn = async () => metric(await fetchMetrics(one), 'tandem_relay_messages_in_total');
    const writerClosed = closeCode(writer);
    const dropped: string[] = [];
    for (const [name, c] of Object.entries({ otherWriter, thirdWriter })) c.provider.on('connection-close', () => dropped.push(name));
    try {
      await log.refuse(refused);
      // The log is held for a moment, so the refused room's update and another room's go into one commit: one fault must not fail both.
      await log.lock('access exclusive');
      thirdWriter.text.insert(0, 'waits for the lock;');
      await waitFor(async () => (await log.waiting()) > 0, 'the first commit to wait for the lock', 10_000);
      const before = await messagesIn();
      writer.send(syncUpdateMessage(textUpdate('never stored;')));
      writer.send(stateVectorQuery());
      otherWriter.text.insert(0, 'same commit;');
      await waitFor(async () => (await messagesIn()) >= before + 3, 'both updates and the query to reach instance one', 10_000);
      await log.unlock();
    } finally {
      await log.end();
    }
    expect(await writerClosed).toBe(1011);
    expect(kinds).not.toContain(MESSAGE_STATE_VECTOR);
    await waitFor(() => otherReader.text.toString() === 'same commit;', "the other room's update to cross");
    await confirmed(otherWriter);
    // Redis keeps one publisher's order: once a later edit has crossed, anything published before it has too.
    otherWriter.text.insert(otherWriter.text.length, 'later;');
    await waitFor(() => otherReader.text.toString() === 'same commit;later;', 'a later edit to cross');
    const fresh = client(two, refused, secret);
    await synced(fresh);
    expect([reader.text.toString(), fresh.text.toString()]).toEqual(['stored;', 'stored;']);
    expect(dropped).toEqual([]);
  });

  it('stores what a resync brings before its clients see it: an update held unstored on one instance never reaches another through a resync', async () => {
    const [one, two] = [await instance(), await instance()];
    const room = newRoom();
    const secret = newSecret();
    const writer = await openSocket(`${one.url}/${room}?secret=${secret}`);
    writer.send(syncUpdateMessage(textUpdate('stored;')));
    const log = await logAdmin(database);
    let reader: Client;
    const writerClosed = closeCode(writer);
    try {
      await waitFor(async () => (await storedText(database, room)) === 'stored;', 'the first edit to be stored', 10_000);
      await log.refuse(room);
      // Appends wait (reads do not), so instance one holds the next update in memory while instance two loads the room and resyncs.
      await log.lock('share');
      writer.send(syncUpdateMessage(textUpdate('never stored;')));
      await waitFor(async () => (await log.waiting()) === 1, "instance one's commit to wait", 10_000);
      reader = client(two, room, secret);
      await synced(reader);
      await waitFor(
        async () => (await log.waiting()) === 2 || reader.text.toString().includes('never'),
        'instance two to receive the resync and store it first',
        10_000,
      );
      await log.unlock();
      expect(await writerClosed).toBe(1011);
      await waitFor(async () => (await log.waiting()) === 0, 'both appends to be refused', 10_000);
    } finally {
      await log.end();
    }
    const fresh = client(two, room, secret);
    await synced(fresh);
    expect([reader.text.toString(), fresh.text.toString()]).toEqual(['stored;', 'stored;']);
  });

  it(
    'loses no confirmed update when an instance is killed mid-edit and its clients reconnect to another',
    { timeout: SPAWNED_RELAY_TIMEOUT_MS * 4 },
    async () => {
      const start = () => spawnRelay(['--port', '0', '--postgres', database, '--redis', redis.url]);
      await withTwoInstances([start, start], client, async ({ first, second, balancer, writer, reader, room, secret, adopt }) => {
        const typeSome = async (count: number) => {
          for (let i = 0; i < count; i++) {
            writer.text.insert(writer.text.length, String(i % 10));
            if (i % 10 === 9) await new Promise((r) => setImmediate(r));
          }
        };
        await typeSome(100);
        await waitFor(() => reader.text.length === 100, 'the first edits to reach the other instance', 10_000);
        // The first instance cannot store for now (the log is locked): what it receives now is on no store when it is killed.
        const log = await logAdmin(database);
        await log.lock('access exclusive');
        const received = async () => metric(await fetchMetrics(first), 'tandem_relay_messages_in_total');
        const before = await received();
        writer.text.insert(writer.text.length, '!');
        await waitFor(async () => (await received()) > before, 'the first instance to receive the unstored edit', 10_000);
        balancer.target = second.port;
        await first.stop('SIGKILL');
        // Its session still waits on the lock and would store the edit once it is free, as if the instance had lived on.
        await log.terminateWaiting();
        await log.end();
        // The writer carries on, reconnected through the balancer to the second instance.
        await typeSome(100);
        await waitFor(() => writer.provider.wsconnected && writer.provider.synced, 'the writer to be back, on the second instance', 10_000);
        await waitFor(() => reader.text.toString() === writer.text.toString(), 'the reader to have every edit', 10_000);
        await confirmed(writer);
        writer.destroy();
        reader.destroy();
        // The survivor is killed too: what it held only in memory is gone, and a new instance reads the store alone.
        await second.stop('SIGKILL');
        const third = adopt(await start());
        const fresh = client(third, room, secret);
        await waitFor(() => fresh.text.length === 201, 'a new instance to give every confirmed edit from the store', 10_000);
        expect(fresh.text.toString()).toContain('!');
      });
    },
  );

  it('carries on through a PostgreSQL restart: each instance keeps its clients, and edits made apart converge and are stored', async () => {
    const [one, two] = [await instance(), await instance()];
    const room = newRoom();
    const secret = newSecret();
    const a = client(one, room, secret);
    const a2 = client(one, room, secret);
    const b = client(two, room, secret);
    await Promise.all([synced(a), synced(a2), synced(b)]);
    a.text.insert(0, 'before.');
    await waitFor(() => b.text.toString() === 'before.', 'the first edit to cross');

    await postgres.stop('fast');
    a.text.insert(a.text.length, ' one apart.');
    b.text.insert(0, 'two apart. ');
    await waitFor(() => a2.text.toString() === a.text.toString(), 'the neighbour on the same instance to see the edit at once');
    await waitFor(
      async () => (await readyz(one)) === '503 not ready: store unreachable',
      'instance one to report its store unreachable',
      10_000,
    );

    await postgres.start();
    await waitFor(
      () => a.text.toString() === b.text.toString() && a.text.toString().includes('one apart') && b.text.toString().includes('two apart'),
      'both sides to converge once PostgreSQL is back',
      15_000,
    );
    const final = a.text.toString();
    clients.destroyAll();
    await Promise.all(relays.splice(0).map((r) => r.close()));
    const fresh = client(await instance(), room, secret);
    await waitFor(() => fresh.text.toString() === final, 'a new instance to give every edit from the store', 10_000);
  });
});

/** A load balancer's part in miniature: forwards each TCP connection to the instance `target` names at the time. */
async function tcpBalancer(target: number): Promise<{ port: number; target: number; close(): void }> {
  const sockets = new Set<Socket>();
  const state = { port: 0, target, close: () => {} };
  const server: Server = createServer((downstream) => {
    const upstream = connect(state.target, '127.0.0.1');
    for (const [from, to] of [
      [downstream, upstream],
      [upstream, downstream],
    ] as const) {
      sockets.add(from);
      from.pipe(to);
      from.on('error', () => to.destroy());
      from.on('close', () => {
        sockets.delete(from);
        to.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as { port: number }).port;
  state.close = () => {
    server.close();
    for (const s of sockets) s.destroy();
  };
  return state;
}
