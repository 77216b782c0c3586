/**
 * Entry of the Electron utility process that owns the core (SQLite, documents, sync), so a slow
 * query or a big merge never freezes a window. The main process hands it one MessagePort per
 * window; each becomes a UI session speaking the message protocol.
 */
import { serveSession } from '../core/rpc-server.js';
import { TandemCore } from '../core/tandem-core.js';
import { parseCoreArgs } from '../core/core-args.js';
import { messagePortMain } from './message-port-main.js';

const opening = Promise.resolve().then(() => TandemCore.open(parseCoreArgs(process.argv)));

opening.catch((error: unknown) => {
  process.parentPort.postMessage({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
});

process.parentPort.on('message', (event) => {
  const [port] = event.ports;
  if (!port) return;
  void opening.then((core) => {
    serveSession(messagePortMain(port), core.connect(), {
      onProtocolError: (error) => console.error(`[core] ${error.message}`),
    });
  });
});

process.on('SIGTERM', () => void opening.then((core) => core.close()).finally(() => process.exit(0)));
