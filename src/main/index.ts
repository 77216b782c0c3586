/**
 * The desktop shell: one main window per app instance, the core in a utility process, and the OS
 * integrations (desktop-life.ts: tray, quick-add shortcut, reminders). It holds no application
 * logic; it connects windows to the core with MessagePorts and keeps a session of its own for OS
 * entry points (deep links, the tray, notifications). Closing the last window leaves Tandem in the
 * tray, syncing; Quit is in the tray menu (and the dock's on macOS).
 */
import { join } from 'node:path';
import { BrowserWindow, MessageChannelMain, app, dialog, ipcMain, session, utilityProcess, type UtilityProcess } from 'electron';
import { INVITE_SCHEME, decodeInvite } from '../shared/invites.js';
import { TandemError } from '../shared/errors.js';
import { plainDisplayText } from '../shared/display-text.js';
import type { InvitePayload } from '../shared/schemas.js';
import { createRpcClient, type RpcClient } from '../shared/rpc-client.js';
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './app-protocol.js';
import { DesktopLife } from './desktop-life.js';
import { messagePortMain } from './message-port-main.js';
import { serveShellDialogs } from './shell-dialogs.js';
import { hardenApp, hardenSession } from './window-security.js';

const CONNECT_CHANNEL = 'tandem:connect';
const PORT_CHANNEL = 'tandem:port';

let core: UtilityProcess | null = null;
let shellApi: RpcClient | null = null;
let mainWindow: BrowserWindow | null = null;
let desktop: DesktopLife | null = null;
let quitting = false;

const webPreferences: Electron.WebPreferences = {
  preload: join(import.meta.dirname, '../preload/index.cjs'),
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  webSecurity: true,
  spellcheck: true,
};

function startCore(): UtilityProcess {
  // A packaged app carries better-sqlite3 built for its Electron in its resources (packaging/electron-builder.config.mjs).
  const env = app.isPackaged
    ? { ...process.env, TANDEM_SQLITE_BINDING: join(process.resourcesPath, 'native', 'better_sqlite3.node') }
    : process.env;
  const child = utilityProcess.fork(join(import.meta.dirname, 'core-process.js'), process.argv.slice(1), {
    serviceName: 'Tandem core',
    env,
  });
  child.on('message', (message: { type?: string; message?: string }) => {
    if (message.type === 'fatal') {
      dialog.showErrorBox('Tandem could not start', message.message ?? 'unknown error');
      app.exit(1);
    }
  });
  child.on('exit', (code) => {
    if (code !== 0 && !quitting) {
      dialog.showErrorBox('Tandem stopped', `The Tandem core exited with code ${code}. Your saved work is on disk; restart Tandem.`);
      app.exit(1);
    }
  });
  return child;
}

/** A new protocol session with the core, returning the UI's end of the channel. */
function connectToCore(): Electron.MessagePortMain {
  const { port1, port2 } = new MessageChannelMain();
  core!.postMessage({ type: 'connect' }, [port1]);
  return port2;
}

function createWindow(hash = ''): BrowserWindow {
  const win = new BrowserWindow({
    width: 1120,
    height: 780,
    minWidth: 720,
    minHeight: 520,
    title: 'Tandem',
    show: false,
    webPreferences,
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(`${APP_ORIGIN}/index.html${hash}`);
  return win;
}

/** Brings the main window forward (opening it again if it was closed), on `hash` when given. */
function showMain(hash?: string): void {
  if (!mainWindow) {
    mainWindow = createWindow(hash);
    return;
  }
  if (hash) void mainWindow.loadURL(`${APP_ORIGIN}/index.html${hash}`);
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/**
 * A link can come from any web page or email, so joining is the user's decision: the invite is
 * shown (who, which relay) and nothing happens without "Join".
 */
async function openInvite(link: string): Promise<void> {
  showMain();
  let invite: InvitePayload;
  let relayHost: string;
  try {
    invite = decodeInvite(link);
    relayHost = new URL(invite.relay).host;
  } catch (error) {
    dialog.showErrorBox('Not a Tandem invite', (error as Error).message);
    return;
  }
  // The title and the name come from the sender: they must not add lines or reorder our words.
  const { response } = await dialog.showMessageBox({
    type: 'question',
    buttons: ['Join', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: `Join “${plainDisplayText(invite.title)}” from ${plainDisplayText(invite.from.name)}?`,
    detail: `It syncs through ${relayHost}. Join only if you expected this invite from them.`,
  });
  if (response !== 0) return;
  try {
    await shellApi!.acceptInvite({ code: link });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof TandemError && error.code === 'offline') void dialog.showMessageBox({ type: 'info', message });
    else dialog.showErrorBox('Could not join the 1:1', message);
  }
}

const inviteIn = (argv: string[]) => argv.find((a) => a.startsWith(INVITE_SCHEME));

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.setAsDefaultProtocolClient('tandem');
  hardenApp();

  app.on('second-instance', (_event, argv) => {
    const link = inviteIn(argv);
    if (link) void openInvite(link);
    showMain();
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    if (url.startsWith(INVITE_SCHEME)) void app.whenReady().then(() => openInvite(url));
  });

  void app.whenReady().then(() => {
    hardenSession(session.defaultSession);
    serveRenderer(join(import.meta.dirname, '../renderer'));
    core = startCore();
    shellApi = createRpcClient(messagePortMain(connectToCore()));

    // Only our own page, in one of our windows, may ask for a connection to the core.
    ipcMain.on(CONNECT_CHANNEL, (event) => {
      const fromOurWindow = BrowserWindow.fromWebContents(event.sender) !== null;
      if (!fromOurWindow || !event.senderFrame?.url.startsWith(`${APP_ORIGIN}/`)) return;
      event.sender.postMessage(PORT_CHANNEL, null, [connectToCore()]);
    });
    serveShellDialogs();

    desktop = new DesktopLife(shellApi, { showMain, webPreferences });
    void desktop.start().catch((error: unknown) => dialog.showErrorBox('Tandem could not start its tray', (error as Error).message));
    if (process.env.TANDEM_TEST_HOOKS === '1') Object.assign(globalThis, { tandemShell: { desktop, showMain } });

    // Started at login, Tandem waits in the tray. The quick-add window is made once the main
    // window has painted (at once in the tray), so the two pages never compete for the first paint.
    if (process.argv.includes('--hidden')) desktop.prepareQuickAdd();
    else {
      showMain();
      mainWindow!.once('ready-to-show', () => desktop?.prepareQuickAdd());
    }
    const link = inviteIn(process.argv);
    if (link) void openInvite(link);

    app.on('activate', () => showMain());
  });

  app.on('before-quit', () => {
    quitting = true;
    desktop?.stop();
    core?.kill();
  });
  // Closing the last window leaves Tandem in the tray (the dock on macOS), syncing in the background.
  app.on('window-all-closed', () => undefined);
}
