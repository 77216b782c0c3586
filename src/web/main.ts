/**
 * `npm run web`: the core in this Node process, the renderer in any browser on this machine.
 * Prints the address (with its session token, kept in the data dir across restarts) on one line.
 * Flags: those of the core (core-args.ts), --port (or TANDEM_WEB_PORT; default: a free port) and
 * --new-token (replace the session token: every address printed before stops working).
 * Always loopback-only. The core logs to the data dir (src/node/log.ts); the terminal gets only
 * the address and errors.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { parseCoreArgs } from '../core/core-args.js';
import { flagValue, prepareDataDir } from '../core/data-dir.js';
import { serveLocalSocket } from '../core/local-socket.js';
import { TandemCore } from '../core/tandem-core.js';
import { fileLogger } from '../node/log.js';
import { describeZodError } from '../shared/schemas.js';
import { startWebShell } from './server.js';
import { webToken } from './token.js';

const WebPort = z.coerce.number().int().min(0).max(65535);

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const port = WebPort.safeParse(flagValue(argv, 'port') ?? process.env.TANDEM_WEB_PORT ?? 0);
  if (!port.success) throw new Error(`--port must be a port number (${describeZodError(port.error)})`);
  const options = parseCoreArgs(argv);
  prepareDataDir(options.dataDir);
  const { log } = await fileLogger(options.dataDir);
  log.info('web shell starting');
  const core = await TandemCore.open({ ...options, log });
  const token = webToken(options.dataDir, argv.includes('--new-token'));
  const shell = await startWebShell({ core, rendererDir: resolve(import.meta.dirname, '../../out/renderer'), port: port.data, token });
  const local = await serveLocalSocket(core, options.dataDir, log);
  console.log(`Tandem is running at ${shell.url}`);
  console.log(`Data: ${options.dataDir}`);
  const stop = async () => {
    await shell.close();
    await local?.close();
    await core.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`Tandem could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
