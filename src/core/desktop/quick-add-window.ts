/**
 * The quick-add window's life, in plain code so it is tested without Electron (src/main supplies
 * the BrowserWindow). The window is made once, hidden, when Tandem is idle after starting
 * (`prepare`), so the shortcut only places, shows and focuses a page that is already loaded
 * (`show`). A window whose page crashed is replaced by a new hidden one; one that crashed before
 * its page ever loaded is not (it would most likely crash again at once): the next shortcut makes
 * it anew.
 */
import type { Rect } from './shell-model.js';

/** What the keeper does with a window: a subset of Electron's BrowserWindow. */
export interface QuickAddSurface {
  isDestroyed(): boolean;
  setBounds(bounds: Rect): void;
  show(): void;
  focus(): void;
  destroy(): void;
}

export interface MadeWindow<S extends QuickAddSurface> {
  window: S;
  /** Resolves once its page has loaded and painted. */
  ready: Promise<void>;
}

interface Kept<S> {
  window: S;
  ready: Promise<void>;
  loaded: boolean;
}

export class QuickAddWindow<S extends QuickAddSurface> {
  private kept: Kept<S> | null = null;

  /**
   * @param make makes a hidden window loading the quick-add page; it calls `crashed` when that
   *   window's page process goes away.
   * @param placement where the window goes, worked out when it is shown (by the cursor).
   */
  constructor(
    private readonly make: (crashed: () => void) => MadeWindow<S>,
    private readonly placement: () => Rect,
  ) {}

  /** The window, made now (hidden) when there is none. */
  prepare(): S {
    if (this.kept && !this.kept.window.isDestroyed()) return this.kept.window;
    const made: MadeWindow<S> = this.make(() => this.crashed(made.window));
    const kept: Kept<S> = { ...made, loaded: false };
    void made.ready.then(() => (kept.loaded = true));
    this.kept = kept;
    return made.window;
  }

  /** What the shortcut does: the window by the cursor, shown and focused once its page is ready. */
  show(): S {
    this.prepare();
    const { window, ready } = this.kept!;
    window.setBounds(this.placement());
    void ready.then(() => {
      if (window.isDestroyed()) return;
      window.show();
      window.focus();
    });
    return window;
  }

  private crashed(window: S): void {
    const kept = this.kept;
    if (kept?.window !== window) return;
    this.kept = null;
    if (!window.isDestroyed()) window.destroy();
    if (kept.loaded) this.prepare();
  }
}
