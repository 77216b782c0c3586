/**
 * Whether this page still reaches the core. Once it does not (its shell stopped), an edit made
 * here could never be stored, so every screen turns read-only at once instead of accepting it.
 */
import { useSyncExternalStore } from 'react';
import { api } from '../tandem.js';

let lost = false;
const listeners = new Set<() => void>();

api.onEvent((event) => {
  if (event.type !== 'connection-lost' || lost) return;
  lost = true;
  for (const l of [...listeners]) l();
});

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

export function useConnection(): { lost: boolean } {
  return { lost: useSyncExternalStore(subscribe, () => lost) };
}
