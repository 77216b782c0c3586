/**
 * `npm run relay -- --port 4455 --data DIR [--host H] [--key K]`: runs the relay until SIGTERM or
 * SIGINT, then shuts down gracefully. Exit codes: 0 stopped cleanly, 1 failed, 2 bad configuration.
 */
import { isMainThread } from 'node:worker_threads';
import { ConfigError, parseCommandLine, type RelayConfig } from './config.js';
import { stdoutLogger } from '../src/node/log.js';
import { startRelay } from './relay.js';

/** The relay's scan workers load this same bundle (scan-pool.ts): only the main thread runs the relay. */
async function main(): Promise<void> {
  let config: RelayConfig;
  try {
    config = parseCommandLine(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`tandem-relay: invalid configuration: ${error.message}\n`);
    process.exit(2);
  }

  const logger = stdoutLogger();
  try {
    const relay = await startRelay(config, logger);
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      relay.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ error: (error as Error).message }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  } catch (error) {
    logger.error({ error: (error as Error).message }, 'relay could not start');
    process.exit(1);
  }
}

if (isMainThread) await main();
