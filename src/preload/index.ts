/**
 * The preload bridge: exposes exactly the TandemApi contract as `window.tandem` (its calls settled
 * so error codes survive the bridge, see shared/bridge.ts), implemented by the shared protocol
 * client over a MessagePort to the core. The port is requested from the main
 * process, which hands it over only to our own page; calls made before it arrives are queued.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { settleForBridge } from '../shared/bridge.js';
import type { Port } from '../shared/protocol.js';
import { createRpcClient } from '../shared/rpc-client.js';
import { SHELL_DIALOG_CHANNELS, type ShellDialogs } from '../shared/shell-dialogs.js';

function deferredPort(): Port {
  let port: MessagePort | null = null;
  const queue: (string | Uint8Array)[] = [];
  const messageHandlers: ((m: string | Uint8Array) => void)[] = [];
  const closeHandlers: (() => void)[] = [];
  ipcRenderer.once('tandem:port', (event) => {
    port = event.ports[0] ?? null;
    if (!port) return;
    port.onmessage = (e: MessageEvent<string | Uint8Array>) => messageHandlers.forEach((h) => h(e.data));
    port.addEventListener('close', () => closeHandlers.forEach((h) => h()));
    for (const m of queue.splice(0)) port.postMessage(m);
  });
  ipcRenderer.send('tandem:connect');
  return {
    send: (message) => (port ? port.postMessage(message) : queue.push(message)),
    onMessage: (handler) => void messageHandlers.push(handler),
    onClose: (handler) => void closeHandlers.push(handler),
    close: () => port?.close(),
  };
}

// The page gets the contract and the file dialogs, nothing else: no close(), no port, no ipcRenderer.
contextBridge.exposeInMainWorld('tandem', settleForBridge(createRpcClient(deferredPort())));
const dialogs: ShellDialogs = {
  pickFolder: (request) => ipcRenderer.invoke(SHELL_DIALOG_CHANNELS.pickFolder, request) as Promise<string | null>,
  pickFile: (request) => ipcRenderer.invoke(SHELL_DIALOG_CHANNELS.pickFile, request) as Promise<string | null>,
  saveFile: (request) => ipcRenderer.invoke(SHELL_DIALOG_CHANNELS.saveFile, request) as Promise<string | null>,
};
contextBridge.exposeInMainWorld('tandemShell', dialogs);
