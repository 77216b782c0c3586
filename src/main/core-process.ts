/**
 * Entry of the Electron utility process that owns the core (SQLite, documents, sync), so a slow
 * query or a big merge never freezes a window. The main process hands it one MessagePort per
 * window; each becomes a UI session speaking the message protocol. It logs to the data dir.
 */
import { serveLocalSocket } from '../core/local-socket.js';
import { serveSession } from '../core/rpc-server.js';
import { TandemCore } from '../core/tandem-core.js';
import { parseCoreArgs } from '../core/core-args.js';
import { prepareDataDir } from '../core/data-dir.js';
import { fileLogger } from '../node/log.js';
import { messagePortMain } from './message-port-main.js';

const opening = Promise.resolve().then(async () => {
  const options = parseCoreArgs(process.argv);
  prepareDataDir(options.dataDir);
  const { log } = await fileLogger(options.dataDir);
  log.info('core starting');
  const core = await TandemCore.open({ ...options, log });
  // The command line (`tandem add`) reaches this core here instead of opening its files a second time.
  const local = await serveLocalSocket(core, options.dataDir, log);
  return { core, log, local };
});

opening.catch((error: unknown) => {
  process.parentPort.postMessage({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
});

process.parentPort.on('message', (event) => {
  const [port] = event.ports;
  if (!port) return;
  void opening.then(({ core, log }) => {
    serveSession(messagePortMain(port), core.connect(), {
      onProtocolError: (error) => log.warn({ error: error.message }, 'refused a message from a window'),
    });
  });
});

process.on(
  'SIGTERM',
  () =>
    void opening
      .then(async ({ core, local }) => {
        await local?.close();
        await core.close();
      })
      .finally(() => process.exit(0)),
);
