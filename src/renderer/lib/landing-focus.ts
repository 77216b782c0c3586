/**
 * Where focus goes after an action that replaces the screen (first run, creating a 1:1): the new
 * screen's heading, so keyboard and screen-reader users start from its top instead of the page body.
 */
let pending = false;

/** The next screen heading to appear takes focus. */
export function focusNextHeading(): void {
  pending = true;
}

/** Ref for a screen's h1 (with tabIndex -1): takes focus when it appears after focusNextHeading(). */
export function landHere(heading: HTMLElement | null): void {
  if (!heading || !pending) return;
  pending = false;
  heading.focus();
}
