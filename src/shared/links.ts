/**
 * Which addresses may leave the app as links: written by people and by peers (untrusted), they
 * open outside Tandem only if they are web or mail addresses. The page and the desktop shell's
 * window-open handler both ask this one function.
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
