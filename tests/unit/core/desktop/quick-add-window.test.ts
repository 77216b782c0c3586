/**
 * The quick-add window's life. Electron cannot run on these machines, so the window is a stand-in
 * recording what the keeper asks of it (tests/e2e/desktop-life.spec.ts drives the real one where
 * an Electron binary exists).
 */
import { expect, test } from 'vitest';
import { QuickAddWindow, type QuickAddSurface } from '../../../../src/core/desktop/quick-add-window.js';
import type { Rect } from '../../../../src/core/desktop/shell-model.js';

class StandIn implements QuickAddSurface {
  readonly calls: string[] = [];
  private destroyed = false;
  isDestroyed = () => this.destroyed;
  setBounds = (r: Rect) => void this.calls.push(`place ${r.x},${r.y}`);
  show = () => void this.calls.push('show');
  focus = () => void this.calls.push('focus');
  destroy = () => {
    this.destroyed = true;
    this.calls.push('destroy');
  };
}

/** A keeper whose windows' pages load when the test says so, and crash when it says so. */
function keeper() {
  const made: { window: StandIn; load: () => void; crash: () => void }[] = [];
  let cursor = { x: 100, y: 200 };
  const quick = new QuickAddWindow(
    (crashed) => {
      const window = new StandIn();
      let load!: () => void;
      const ready = new Promise<void>((resolve) => (load = resolve));
      made.push({ window, load, crash: crashed });
      return { window, ready };
    },
    () => ({ ...cursor, width: 560, height: 260 }),
  );
  return { quick, made, moveCursor: (x: number, y: number) => (cursor = { x, y }) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test('prepared once, hidden; each shortcut only places the same window by the cursor, shows and focuses it', async () => {
  const { quick, made, moveCursor } = keeper();
  quick.prepare();
  quick.prepare();
  expect(made).toHaveLength(1);
  made[0]!.load();
  await settle();
  expect(made[0]!.window.calls).toEqual([]);

  quick.show();
  await settle();
  moveCursor(900, 40);
  quick.show();
  await settle();
  expect(made).toHaveLength(1);
  expect(made[0]!.window.calls).toEqual(['place 100,200', 'show', 'focus', 'place 900,40', 'show', 'focus']);
});

test('a shortcut before the window was prepared makes it and places it, and shows it only once its page is ready', async () => {
  const { quick, made } = keeper();
  quick.show();
  await settle();
  expect(made).toHaveLength(1);
  expect(made[0]!.window.calls).toEqual(['place 100,200']);
  made[0]!.load();
  await settle();
  expect(made[0]!.window.calls).toEqual(['place 100,200', 'show', 'focus']);
});

test('a window whose page crashed is replaced at once by a new hidden one, which the shortcut then shows', async () => {
  const { quick, made } = keeper();
  quick.prepare();
  made[0]!.load();
  await settle();
  made[0]!.crash();
  expect(made[0]!.window.isDestroyed()).toBe(true);
  expect(made).toHaveLength(2);
  expect(made[1]!.window.calls).toEqual([]);

  made[1]!.load();
  expect(quick.show()).toBe(made[1]!.window);
  await settle();
  expect(made[1]!.window.calls).toEqual(['place 100,200', 'show', 'focus']);
  // A late report from the replaced window changes nothing.
  made[0]!.crash();
  expect(made).toHaveLength(2);
});

test('a window that crashed before its page ever loaded is not remade until the shortcut asks for it', async () => {
  const { quick, made } = keeper();
  quick.prepare();
  made[0]!.crash();
  expect(made).toHaveLength(1);
  expect(made[0]!.window.isDestroyed()).toBe(true);

  quick.show();
  expect(made).toHaveLength(2);
  made[1]!.load();
  await settle();
  expect(made[1]!.window.calls).toEqual(['place 100,200', 'show', 'focus']);
});

test('a window destroyed under it (Tandem quitting) is never shown; the next shortcut makes a new one', async () => {
  const { quick, made } = keeper();
  quick.show();
  made[0]!.window.destroy();
  made[0]!.load();
  await settle();
  expect(made[0]!.window.calls).toEqual(['place 100,200', 'destroy']);
  quick.show();
  expect(made).toHaveLength(2);
});
