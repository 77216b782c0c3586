/**
 * The shell: loads the profile, then shows first run or the signed-in app (the list or one 1:1,
 * chosen by the URL hash).
 */
import { useEffect, useMemo, useState } from 'react';
import type { Profile } from '../shared/api.js';
import { ToastProvider, useToasts } from './components/Toasts.js';
import { AppContext, colorFor, type AppContextValue } from './lib/app-context.js';
import { useRoute } from './lib/route.js';
import { ReplicaRegistry } from './replica/replica-registry.js';
import { FirstRun } from './screens/FirstRun.js';
import { SeriesList } from './screens/SeriesList.js';
import { SeriesView } from './screens/SeriesView.js';
import { api } from './tandem.js';

export function App() {
  return (
    <ToastProvider>
      <Root />
    </ToastProvider>
  );
}

function Root() {
  const { showError } = useToasts();
  const [profile, setProfile] = useState<Profile | null | undefined>(undefined);

  useEffect(() => {
    api.getProfile().then(setProfile, (error: unknown) => {
      showError(error);
      setProfile(null);
    });
  }, [showError]);

  if (profile === undefined) return <main className="loading" aria-busy="true" />;
  if (profile === null) return <FirstRun onDone={setProfile} />;
  return <SignedIn profile={profile} setProfile={setProfile} />;
}

function SignedIn({ profile, setProfile }: { profile: Profile; setProfile(p: Profile): void }) {
  const { showError } = useToasts();
  const registry = useMemo(() => new ReplicaRegistry(api, showError), [showError]);
  const presence = useMemo(() => ({ name: profile.name, color: colorFor(profile.id) }), [profile]);
  const value = useMemo<AppContextValue>(() => ({ api, profile, setProfile, registry, presence }), [profile, setProfile, registry, presence]);
  const route = useRoute();

  return (
    <AppContext.Provider value={value}>
      {route.name === 'series' ? <SeriesView key={route.seriesId} seriesId={route.seriesId} /> : <SeriesList />}
    </AppContext.Provider>
  );
}
