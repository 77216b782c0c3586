/**
 * The shell: loads the profile, then shows first run or the signed-in app (the list or one 1:1,
 * chosen by the URL hash).
 */
import { Suspense, lazy, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Profile } from '../shared/api.js';
import { ConnectionLost } from './components/ConnectionLost.js';
import { ErrorBoundary } from './components/ErrorBoundary.js';
import { StorageDamaged } from './components/StorageDamaged.js';
import { ToastProvider, useToasts } from './components/Toasts.js';
import { AppContext, colorFor, type AppContextValue } from './lib/app-context.js';
import { useConnection } from './lib/connection.js';
import { hrefFor, useRoute } from './lib/route.js';
import { useSavedTheme } from './lib/theme.js';
import { ReplicaRegistry } from './replica/replica-registry.js';
import { FirstRun } from './screens/FirstRun.js';
import { HealthOverview } from './insights/HealthOverview.js';
import { QuickAdd } from './screens/QuickAdd.js';
import { SeriesList } from './screens/SeriesList.js';
import { api } from './tandem.js';

// The 1:1 view brings the editor and drag-and-drop; the list and first run start without them.
const SeriesView = lazy(() => import('./screens/SeriesView.js').then((m) => ({ default: m.SeriesView })));

export function App() {
  const { lost } = useConnection();
  return (
    <ToastProvider>
      <ConnectionLost />
      <StorageDamaged />
      {/* Without the core an edit could not be stored: every control turns read-only at once. */}
      <fieldset className="app-frame" disabled={lost}>
        <Root />
      </fieldset>
    </ToastProvider>
  );
}

function Root() {
  const { showError } = useToasts();
  const [profile, setProfile] = useState<Profile | null | undefined>(undefined);
  const route = useRoute();
  useSavedTheme(api);

  useEffect(() => {
    api.getProfile().then(setProfile, (error: unknown) => {
      showError(error);
      setProfile(null);
    });
  }, [showError]);

  if (profile === undefined) return <main className="loading" aria-busy="true" />;
  // The quick-add window is small and on its own: it needs only the contract, not a 1:1 open.
  if (profile && route.name === 'quick-add') return <QuickAdd api={api} />;
  if (profile === null)
    return (
      <ErrorBoundary
        message="The welcome screen could not be shown: reload this page to try again."
        fallback={(alert) => <main className="page">{alert}</main>}
      >
        <FirstRun onDone={setProfile} />
      </ErrorBoundary>
    );
  return <SignedIn profile={profile} setProfile={setProfile} />;
}

function SignedIn({ profile, setProfile }: { profile: Profile; setProfile(p: Profile): void }) {
  const { showError } = useToasts();
  const registry = useMemo(() => new ReplicaRegistry(api, profile.id, showError), [profile.id, showError]);
  const presence = useMemo(() => ({ name: profile.name, color: colorFor(profile.id) }), [profile]);
  const value = useMemo<AppContextValue>(
    () => ({ api, profile, setProfile, registry, presence }),
    [profile, setProfile, registry, presence],
  );
  const route = useRoute();

  return (
    <AppContext.Provider value={value}>
      {/* Keyed by screen, so leaving a screen that failed gives the next one a fresh start. */}
      <ErrorBoundary
        key={route.name === 'series' ? route.seriesId : route.name}
        message="This screen could not be shown; your other 1:1s are not affected."
        fallback={screenFallback}
      >
        {route.name === 'series' ? (
          <Suspense fallback={<main className="loading" aria-busy="true" />}>
            <SeriesView key={route.seriesId} seriesId={route.seriesId} />
          </Suspense>
        ) : route.name === 'health' ? (
          <HealthOverview />
        ) : (
          <SeriesList />
        )}
      </ErrorBoundary>
    </AppContext.Provider>
  );
}

function screenFallback(alert: ReactNode) {
  return (
    <main className="page">
      <h1>Something went wrong here</h1>
      {alert}
      <a href={hrefFor({ name: 'list' })}>Back to all 1:1s</a>
    </main>
  );
}
