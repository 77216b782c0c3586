/**
 * Tandem living in the tray all week: the tray menu, the global quick-add shortcut and its window,
 * reminders as native notifications, launch at login and the native theme. Glue only: what to show
 * and when is decided in src/core (desktop/shell-model.ts, reminders/), and everything stored goes
 * through the core's session (`api`).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BrowserWindow, Menu, Notification, Tray, app, dialog, globalShortcut, nativeImage, nativeTheme, screen } from 'electron';
import type { ReminderNotice, TandemApi } from '../shared/api.js';
import type { AppSettings } from '../shared/app-settings.js';
import { linuxAutostartEntry, placeNearCursor, suggestShortcut, trayMenu, type TrayEntry } from '../core/desktop/shell-model.js';
import { QuickAddWindow, type MadeWindow } from '../core/desktop/quick-add-window.js';
import { APP_ORIGIN } from './app-protocol.js';

export interface ShellWindows {
  /** Shows the main window (creating it if it was closed), on a route such as `#/series/<id>`. */
  showMain(hash?: string): void;
  /** Options every window of ours gets (preload, sandbox, …). */
  webPreferences: Electron.WebPreferences;
}

const QUICK_ADD_SIZE = { width: 560, height: 260 };

const resource = (name: string) => (app.isPackaged ? join(process.resourcesPath, name) : join(app.getAppPath(), 'resources', name));

export class DesktopLife {
  private tray: Tray | null = null;
  private readonly quickAdd = new QuickAddWindow(
    (crashed) => this.makeQuickAdd(crashed),
    () => {
      const cursor = screen.getCursorScreenPoint();
      return placeNearCursor(cursor, QUICK_ADD_SIZE, screen.getDisplayNearestPoint(cursor).workArea);
    },
  );
  private quitting = false;
  private shortcut: string | null = null;
  private settings: AppSettings | null = null;
  /** Shown notifications, kept referenced so their click handlers outlive garbage collection. */
  private readonly notices = new Set<Notification>();
  private menuTimer: ReturnType<typeof setTimeout> | null = null;
  /** "today 10:00" turns into "tomorrow" and the next 1:1 passes: the menu is rebuilt each minute too. */
  private clockTimer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly api: TandemApi,
    private readonly windows: ShellWindows,
  ) {}

  async start(): Promise<void> {
    const icon = nativeImage.createFromPath(resource(process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png'));
    this.tray = new Tray(icon);
    this.tray.setToolTip('Tandem');
    this.tray.on('click', () => this.windows.showMain());
    app.on('before-quit', () => (this.quitting = true));
    this.api.onEvent((event) => {
      if (event.type === 'settings-changed') this.apply(event.settings);
      else if (event.type === 'reminder') this.notify(event.reminder);
      else if (event.type === 'sync-state' || event.type === 'series-changed') this.refreshMenu();
    });
    this.apply(await this.api.getSettings());
    await this.api.startReminders();
    this.refreshMenu();
    this.clockTimer = setInterval(() => this.refreshMenu(), 60_000);
  }

  stop(): void {
    if (this.clockTimer) clearInterval(this.clockTimer);
    globalShortcut.unregisterAll();
    this.tray?.destroy();
  }

  /** What the global shortcut does: the quick-add window by the cursor, focused. */
  openQuickAdd(): BrowserWindow {
    return this.quickAdd.show();
  }

  /**
   * Makes the quick-add window, hidden, so that the shortcut only shows it. Called once Tandem is
   * idle after starting, so the window's page never competes with the main window's first paint.
   */
  prepareQuickAdd(): void {
    this.quickAdd.prepare();
  }

  /** Closing the window (Enter, Esc, clicking elsewhere) only hides it, until quit. */
  private makeQuickAdd(crashed: () => void): MadeWindow<BrowserWindow> {
    const win = new BrowserWindow({
      ...QUICK_ADD_SIZE,
      title: 'Quick add — Tandem',
      alwaysOnTop: true,
      frame: false,
      resizable: false,
      skipTaskbar: true,
      show: false,
      webPreferences: this.windows.webPreferences,
    });
    const ready = new Promise<void>((resolve) => win.once('ready-to-show', () => resolve()));
    win.on('close', (event) => {
      if (this.quitting) return;
      event.preventDefault();
      win.hide();
    });
    // Like a launcher: clicking elsewhere puts it away; what was saved is already stored.
    win.on('blur', () => win.hide());
    win.webContents.on('render-process-gone', (_event, details) => {
      if (!this.quitting && details.reason !== 'clean-exit') crashed();
    });
    void win.loadURL(`${APP_ORIGIN}/index.html#/quick-add`);
    return { window: win, ready };
  }

  /** The tray menu as entries, for the menu itself and for tests. */
  async menuEntries(): Promise<TrayEntry[]> {
    const series = await this.api.listSeries();
    const sync = await Promise.all(series.filter((s) => s.state !== 'ended').map((s) => this.api.getSyncState({ seriesId: s.id })));
    return trayMenu(series, sync, new Date(), this.settings?.shortcut ?? '');
  }

  private refreshMenu(): void {
    // A burst of changes (a sync catching up) rebuilds the menu once.
    if (this.menuTimer) return;
    this.menuTimer = setTimeout(() => {
      this.menuTimer = null;
      void this.menuEntries().then(
        (entries) => this.tray?.setContextMenu(Menu.buildFromTemplate(entries.map((e) => this.menuItem(e)))),
        () => undefined,
      );
    }, 200);
  }

  private menuItem(entry: TrayEntry): Electron.MenuItemConstructorOptions {
    switch (entry.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'info':
        return { label: entry.label, enabled: false };
      case 'series':
        return { label: entry.label, click: () => this.windows.showMain(`#/series/${entry.seriesId}`) };
      case 'action':
        return {
          label: entry.label,
          ...(entry.accelerator ? { accelerator: entry.accelerator, registerAccelerator: false } : {}),
          click: () => {
            if (entry.action === 'quick-add') this.openQuickAdd();
            else if (entry.action === 'open') this.windows.showMain();
            else app.quit();
          },
        };
    }
  }

  private apply(settings: AppSettings): void {
    const before = this.settings;
    this.settings = settings;
    nativeTheme.themeSource = settings.theme;
    if (settings.shortcut !== before?.shortcut) this.registerShortcut(settings.shortcut);
    if (settings.launchAtLogin !== before?.launchAtLogin) this.launchAtLogin(settings.launchAtLogin);
    this.refreshMenu();
  }

  private registerShortcut(accelerator: string): void {
    if (this.shortcut) globalShortcut.unregister(this.shortcut);
    this.shortcut = null;
    if (globalShortcut.register(accelerator, () => this.openQuickAdd())) {
      this.shortcut = accelerator;
      return;
    }
    const suggestion = suggestShortcut(accelerator, (a) => {
      const free = globalShortcut.register(a, () => undefined);
      if (free) globalShortcut.unregister(a);
      return free;
    });
    void dialog.showMessageBox({
      type: 'warning',
      message: `The system refused the quick-add shortcut ${accelerator}: another app may be using it.`,
      detail: suggestion
        ? `${suggestion} is free. Choose a shortcut in Settings; quick add is in the tray menu meanwhile.`
        : 'Choose another shortcut in Settings; quick add is in the tray menu meanwhile.',
    });
  }

  private launchAtLogin(on: boolean): void {
    if (process.platform !== 'linux') {
      app.setLoginItemSettings({ openAtLogin: on, args: ['--hidden'] });
      return;
    }
    const dir = join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'autostart');
    const file = join(dir, 'tandem.desktop');
    if (!on) return rmSync(file, { force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, linuxAutostartEntry(process.env.APPIMAGE ?? process.execPath));
  }

  private notify(reminder: ReminderNotice): void {
    if (!Notification.isSupported()) return;
    const notice = new Notification({ title: reminder.title, body: reminder.body });
    notice.on('click', () => this.windows.showMain(`#/series/${reminder.seriesId}`));
    notice.on('close', () => this.notices.delete(notice));
    this.notices.add(notice);
    notice.show();
  }
}
