/**
 * The `tandem` command line. `tandem add "@sam promotion timeline #career"` adds a quick-add line
 * (src/shared/quick-add.ts) to a 1:1 and prints where it went, so a terminal or a launcher
 * (Raycast, Alfred, KRunner) can add in one step. It goes through a running Tandem on the same
 * data dir when there is one (its local socket), so the item shows in its windows at once, and
 * opens the data dir itself when not. Flags: --data-dir DIR (or TANDEM_DATA_DIR).
 */
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { format } from 'date-fns';
import type { TandemApi } from '../shared/api.js';
import type { QuickAddResult } from '../shared/quick-add.js';
import { createRpcClient } from '../shared/rpc-client.js';
import { answers, localSocketPath } from '../core/local-socket.js';
import { resolveDataDir } from '../core/data-dir.js';
import { DATABASE_FILE, TandemCore } from '../core/tandem-core.js';
import { socketPort } from '../node/socket-port.js';

export const USAGE = 'Usage: tandem add "@name what to talk about #career !async >>" [--data-dir DIR]';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
}

/** The words of the line: every argument after the command that is not a flag or a flag's value. */
function lineOf(args: readonly string[]): string {
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--data-dir') i++;
    else if (!args[i]!.startsWith('--data-dir=')) words.push(args[i]!);
  }
  return words.join(' ');
}

async function viaRunningTandem<T>(path: string, work: (api: TandemApi) => Promise<T>): Promise<T> {
  const socket = connect(path);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const api = createRpcClient(socketPort(socket));
  try {
    return await work(api);
  } finally {
    api.close();
    socket.end();
  }
}

async function viaDataDir<T>(dataDir: string, env: NodeJS.ProcessEnv, work: (api: TandemApi) => Promise<T>): Promise<T> {
  // A mistyped --data-dir must not leave a new, empty Tandem behind.
  if (!existsSync(join(dataDir, DATABASE_FILE)))
    throw new Error(`There is no Tandem data in ${dataDir}: open Tandem once, or name its folder with --data-dir.`);
  const core = await TandemCore.open({ dataDir, ...(env.TANDEM_SQLITE_BINDING ? { sqliteBinding: env.TANDEM_SQLITE_BINDING } : {}) });
  try {
    return await work(core.connect());
  } finally {
    await core.close();
  }
}

export function describeAdded(result: QuickAddResult): string {
  const when = result.meetingAt ? `the meeting on ${format(new Date(result.meetingAt), 'EEE d MMM, HH:mm')}` : 'its next meeting';
  return `Added “${result.title}” to your 1:1 with ${result.partnerName}, for ${when}.`;
}

/** Runs one command; resolves to the exit code (0 done, 1 refused or failed, 2 usage). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'add') {
    io.err(USAGE);
    return 2;
  }
  const line = lineOf(rest);
  if (line.trim() === '') {
    io.err(USAGE);
    return 2;
  }
  const dataDir = resolveDataDir([...argv], io.env);
  const socket = localSocketPath(dataDir);
  const running = await answers(socket);
  const add = async (api: TandemApi) => {
    if (!(await api.getProfile())) throw new Error('Open Tandem once and set your name first: items carry their author.');
    return api.quickAdd({ line });
  };
  try {
    const result = running ? await viaRunningTandem(socket, add) : await viaDataDir(dataDir, io.env, add);
    io.out(describeAdded(result));
    return 0;
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
}
