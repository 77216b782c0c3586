/**
 * Links written by people (and by peers, who are untrusted) open outside the app, through one
 * door: only web and mail addresses, never with a handle back to Tandem's page, never in its place.
 */

/** An absolute http(s) address without credentials, or a mailto: address; anything else is not a link. */
export function isSafeLink(href: string): boolean {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return false;
  }
  if (url.protocol === 'mailto:') return true;
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
}

/**
 * Opens a link in a new browser tab detached from this page. In the desktop app the window-open
 * handler of src/main turns this into the system browser (it vets the address once more).
 */
export function openLink(href: string): void {
  if (isSafeLink(href)) window.open(href, '_blank', 'noopener,noreferrer');
}
