/**
 * Where the user is, kept in the URL hash so a reload (or the web shell's token URL) lands on the
 * same screen and Back works. A 1:1's address may name one of its meetings and a place in it (a
 * search result: `item:<id>`, `notes`, `check-in`, `step:<id>`, `private`).
 */
import { useSyncExternalStore } from 'react';

export type Route =
  { name: 'list' } | { name: 'health' } | { name: 'quick-add' } | { name: 'series'; seriesId: string; meetingId?: string; at?: string };

function parse(hash: string): Route {
  if (hash === '#/health') return { name: 'health' };
  if (hash === '#/quick-add') return { name: 'quick-add' };
  const match = /^#\/series\/([0-9a-f-]{36})(?:\/meetings\/([\w-]{1,64})(?:\/([\w:-]{1,80}))?)?$/i.exec(hash);
  if (!match) return { name: 'list' };
  return { name: 'series', seriesId: match[1]!, ...(match[2] ? { meetingId: match[2] } : {}), ...(match[3] ? { at: match[3] } : {}) };
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
  if (route.name !== 'series') return '#/';
  const meeting = route.meetingId ? `/meetings/${route.meetingId}${route.at ? `/${route.at}` : ''}` : '';
  return `#/series/${route.seriesId}${meeting}`;
}

export function navigate(route: Route): void {
  window.location.hash = hrefFor(route);
}
