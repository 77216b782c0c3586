/**
 * `npm run web`: the core in this Node process, the renderer in any browser. Prints the address
 * (with its session token) on one line; flags: --data-dir, --port, --host.
 */
import { resolve } from 'node:path';
import { flagValue, resolveDataDir } from '../core/data-dir.js';
import { TandemCore } from '../core/tandem-core.js';
import { startWebShell } from './server.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const dataDir = resolveDataDir(argv);
  const core = await TandemCore.open({ dataDir });
  const shell = await startWebShell({
    core,
    rendererDir: resolve(import.meta.dirname, '../../out/renderer'),
    host: flagValue(argv, 'host') ?? '127.0.0.1',
    port: Number(flagValue(argv, 'port') ?? process.env.TANDEM_WEB_PORT ?? 0),
  });
  console.log(`Tandem is running at ${shell.url}`);
  console.log(`Data: ${dataDir}`);
  const stop = async () => {
    await shell.close();
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
