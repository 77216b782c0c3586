/**
 * What every screen needs from the app: the API, who the user is, the open replicas and the
 * colour they show up in for the other person.
 */
import { createContext, useContext } from 'react';
import type { Profile, TandemApi } from '../../shared/api.js';
import type { ReplicaRegistry } from '../replica/replica-registry.js';
import type { PresenceUser } from '../replica/series-replica.js';

export interface AppContextValue {
  api: TandemApi;
  profile: Profile;
  setProfile(profile: Profile): void;
  registry: ReplicaRegistry;
  presence: PresenceUser;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside <AppContext.Provider>');
  return value;
}

/**
 * Caret colours dark enough for white label text (AA) and distinct from each other; a user keeps
 * the same one everywhere because it is picked from their id.
 */
const CARET_COLORS = ['#2f5fd0', '#b03a7a', '#1f7a5a', '#a8511b', '#6b46c1', '#0e7490', '#b42318'];

export function colorFor(id: string): string {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return CARET_COLORS[hash % CARET_COLORS.length]!;
}
