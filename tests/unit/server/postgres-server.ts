/**
 * A real PostgreSQL 15 for tests: initdb and postgres from Debian's binaries, on a free loopback
 * port, data and unix socket in a temp dir. PostgreSQL refuses to run as root, so when the tests
 * run as root the server runs as the unprivileged `postgres` user (created if missing) over a temp
 * dir that user owns. Each test takes its own database from `createDatabase`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPostgresStore } from '../../../server/store/postgres.js';
import { freePort } from './helpers.js';

export const POSTGRES_BIN = process.env.TANDEM_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';
const RUN_AS = 'postgres';
const SUPERUSER = 'tandem';

/** Why PostgreSQL tests cannot run here, or null when they can: only missing binaries excuse a skip. */
export function postgresSkipReason(): string | null {
  for (const tool of ['initdb', 'postgres']) {
    if (!existsSync(join(POSTGRES_BIN, tool)))
      return `PostgreSQL is not installed (no ${join(POSTGRES_BIN, tool)}; apt-get install postgresql, or set TANDEM_POSTGRES_BIN)`;
  }
  return null;
}

export interface PostgresServer {
  port: number;
  /** A URL of the server's `postgres` database, for administration. */
  adminUrl: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server: 'fast' as an operator would, 'immediate' as a crash would (no checkpoint). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same port and data, after `stop`. */
  start(): Promise<void>;
  /** Stops it and deletes its files. */
  destroy(): Promise<void>;
}

const asRoot = process.getuid?.() === 0;

function ensureUser(): void {
  try {
    execFileSync('id', ['-u', RUN_AS], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', RUN_AS], { stdio: 'ignore' });
  }
}

/** The command line that runs a PostgreSQL binary as the server's user. */
function command(tool: string, args: string[]): [string, string[]] {
  const binary = join(POSTGRES_BIN, tool);
  return asRoot ? ['runuser', ['-u', RUN_AS, '--', binary, ...args]] : [binary, args];
}

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}:\n${output()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`postgres did not accept connections (${(error as Error).message}):\n${output()}`, { cause: error });
    } finally {
      await client.end().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startPostgres(): Promise<PostgresServer> {
  const reason = postgresSkipReason();
  if (reason) throw new Error(reason);
  if (asRoot) ensureUser();
  const dir = mkdtempSync(join(tmpdir(), 'tandem-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', RUN_AS]).toString().trim());
    const gid = Number(execFileSync('id', ['-g', RUN_AS]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const [initdb, initArgs] = command('initdb', [
    '-D',
    data,
    '-U',
    SUPERUSER,
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
    '--no-instructions',
  ]);
  execFileSync(initdb, initArgs, { stdio: 'pipe' });
  const port = await freePort();
  const adminUrl = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    // fsync off: the tests stop the server process, never the machine, so the OS keeps every write.
    const [bin, args] = command('postgres', [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'max_connections=200',
    ]);
    let out = '';
    const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    child = proc;
    await waitReady(adminUrl, proc, () => out);
  };

  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    // The postmaster is runuser's child when run as root: signal it by the pid it records.
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
    await exited;
    child = null;
  };

  await start();
  return {
    port,
    adminUrl,
    async createDatabase() {
      const name = `t_${randomBytes(6).toString('hex')}`;
      await queryDatabase(adminUrl, `create database ${name}`);
      return `postgres://${SUPERUSER}@127.0.0.1:${port}/${name}`;
    },
    stop,
    start,
    async destroy() {
      await stop('fast');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs one query in a session of its own on the database. */
export async function queryDatabase<R extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<pg.QueryResult<R>> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    return await db.query<R>(sql, params);
  } finally {
    await db.end();
  }
}

/** The text of a room's 'notes' as a fresh store on the database reads it: what any relay would load. */
export async function storedText(url: string, room: string): Promise<string> {
  const store = await openPostgresStore({ url });
  try {
    return (await store.open(room)).doc.getText('notes').toString();
  } finally {
    await store.close();
  }
}
