/**
 * `tandem add "@sam promotion timeline #career"` (src/cli/tandem.ts) adds a quick-add line
 * (src/shared/quick-add.ts) to a 1:1 and says where it went, so a terminal or a launcher
 * (Raycast, Alfred, KRunner) can add in one step. It goes through a running Tandem on the same
 * data dir when there is one (its local socket), so the item shows in its windows at once, and
 * opens the data dir itself (without connecting to a relay) when not.
 */
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { format } from 'date-fns';
import type { TandemApi } from '../shared/api.js';
import { TandemError } from '../shared/errors.js';
import type { QuickAddResult } from '../shared/quick-add.js';
import { createRpcClient } from '../shared/rpc-client.js';
import { answers, localSocketPath } from '../core/local-socket.js';
import { DATABASE_FILE, TandemCore } from '../core/tandem-core.js';
import { socketPort } from '../node/socket-port.js';

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
  const core = await TandemCore.open({
    dataDir,
    sync: false,
    checkStorageAtOpen: true,
    ...(env.TANDEM_SQLITE_BINDING ? { sqliteBinding: env.TANDEM_SQLITE_BINDING } : {}),
  });
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

/** Adds `line` to a 1:1 of the Tandem in `dataDir`; resolves to the sentence saying where it went. */
export async function addFromCommandLine(line: string, dataDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  if (line.trim() === '') throw new TandemError('invalid-input', 'add needs a LINE, e.g. tandem add "@sam promotion timeline #career"');
  const socket = localSocketPath(dataDir);
  const add = async (api: TandemApi) => {
    if (!(await api.getProfile())) throw new Error('Open Tandem once and set your name first: items carry their author.');
    return api.quickAdd({ line });
  };
  return describeAdded((await answers(socket)) ? await viaRunningTandem(socket, add) : await viaDataDir(dataDir, env, add));
}
