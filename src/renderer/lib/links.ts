/**
 * Links written by people (and by peers, who are untrusted) open outside the app, through one
 * door: only web and mail addresses, never with a handle back to Tandem's page, never in its place.
 */
import { isSafeLink } from '../../shared/links.js';

/**
 * Opens a link in a new browser tab detached from this page. In the desktop app the window-open
 * handler of src/main turns this into the system browser (it vets the address once more).
 */
export function openLink(href: string): void {
  if (isSafeLink(href)) window.open(href, '_blank', 'noopener,noreferrer');
}
