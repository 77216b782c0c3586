/**
 * Where the user is, kept in the URL hash so a reload (or the web shell's token URL) lands on the
 * same screen and Back works.
 */
import { useSyncExternalStore } from 'react';

export type Route = { name: 'list' } | { name: 'health' } | { name: 'series'; seriesId: string } | { name: 'quick-add' };

function parse(hash: string): Route {
  if (hash === '#/health') return { name: 'health' };
  if (hash === '#/quick-add') return { name: 'quick-add' };
  const match = /^#\/series\/([0-9a-f-]{36})$/i.exec(hash);
  return match ? { name: 'series', seriesId: match[1]! } : { name: 'list' };
}

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parse(hash);
}

export function hrefFor(route: Route): string {
  if (route.name === 'health') return '#/health';
  if (route.name === 'quick-add') return '#/quick-add';
  return route.name === 'series' ? `#/series/${route.seriesId}` : '#/';
}

export function navigate(route: Route): void {
  window.location.hash = hrefFor(route);
}
