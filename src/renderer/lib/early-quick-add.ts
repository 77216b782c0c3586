/**
 * The quick-add line before React. The entry script puts a plain input in the page and focuses it
 * the moment it runs, so the keys typed right after the shortcut land in it while React and the
 * route's code are still loading; the route's component then takes over the text, the caret and
 * the focus in one task, so no key falls between the two inputs.
 */
export const QUICK_ADD_LABEL = 'Quick add';
export const QUICK_ADD_PLACEHOLDER = '@name what to talk about #career !async >>';
export const QUICK_ADD_MAX_LENGTH = 2000;

let early: HTMLInputElement | null = null;
let enterPressed = false;

/** Fills `root` with a focused quick-add input looking like the route's own. */
export function showEarlyQuickAdd(root: HTMLElement): void {
  const input = document.createElement('input');
  input.className = 'quick-add__input';
  input.setAttribute('aria-label', QUICK_ADD_LABEL);
  input.placeholder = QUICK_ADD_PLACEHOLDER;
  input.maxLength = QUICK_ADD_MAX_LENGTH;
  const main = document.createElement('main');
  main.className = 'quick-add';
  main.setAttribute('aria-busy', 'true');
  main.append(input);
  // Enter asks for the line to be saved: the route does it once it can, and the line waits as it is.
  input.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    input.readOnly = true;
    enterPressed = true;
  });
  root.replaceChildren(main);
  input.focus();
  early = input;
}

/** What was typed before the route mounted; it stays readable after React has replaced the input. */
export const earlyQuickAddText = (): string => early?.value ?? '';

/**
 * Moves the focus and the caret from the early input to `input`, once: later mounts (the desktop
 * window shown again, the route opened from the app) start from their own state. Returns the early
 * input's text and whether Enter was pressed in it, or null when there was none to take over.
 */
export function adoptEarlyQuickAdd(input: HTMLInputElement): { text: string; enterPressed: boolean } | null {
  if (!early) return null;
  const { value, selectionStart, selectionEnd, selectionDirection } = early;
  early = null;
  input.focus();
  if (input.value === value && selectionStart !== null && selectionEnd !== null)
    input.setSelectionRange(selectionStart, selectionEnd, selectionDirection ?? undefined);
  return { text: value, enterPressed };
}
