/**
 * Every running 1:1 I am in, the one needing attention most first, with its flags. The core works
 * it out on this device from each 1:1's documents; nothing of it leaves the device.
 */
import { useCallback, useEffect, useState } from 'react';
import type { TandemApi } from '../../shared/api.js';
import { Button } from '../components/Button.js';
import { ErrorBoundary } from '../components/ErrorBoundary.js';
import { BackIcon } from '../components/icons.js';
import { useToasts } from '../components/Toasts.js';
import { useApp } from '../lib/app-context.js';
import { meetingDate } from '../lib/meeting-date.js';
import { landHere } from '../lib/landing-focus.js';
import { hrefFor, navigate } from '../lib/route.js';
import { AppHeader } from '../screens/AppHeader.js';
import { ExportHealth } from './ExportHealth.js';
import { FlagList } from './HealthPanel.js';

type HealthOverviewEntry = Awaited<ReturnType<TandemApi['listHealth']>>[number];

export function HealthOverview() {
  const { api } = useApp();
  const { showError } = useToasts();
  const [entries, setEntries] = useState<HealthOverviewEntry[] | null>(null);
  const reload = useCallback(() => api.listHealth().then(setEntries, showError), [api, showError]);
  useEffect(() => {
    void reload();
    return api.onEvent((event) => event.type === 'series-changed' && void reload());
  }, [api, reload]);

  return (
    <>
      <AppHeader>
        <Button variant="ghost" onClick={() => navigate({ name: 'list' })}>
          <BackIcon /> Back to all 1:1s
        </Button>
      </AppHeader>
      <main className="page" aria-busy={entries === null}>
        <div className="page__head">
          <h1 ref={landHere} tabIndex={-1}>
            Health of your 1:1s
          </h1>
        </div>
        <p className="muted">
          Worked out on this device from each 1:1’s own agenda, notes and meetings; only the two people in a 1:1 see its health.
        </p>
        {entries !== null && entries.length > 0 && <ExportHealth />}
        <ErrorBoundary message="The health of your 1:1s could not be shown.">
          {entries !== null && entries.length === 0 && <p className="muted">No running 1:1s yet.</p>}
          {entries !== null && entries.length > 0 && (
            <ol className="health-overview" aria-label="1:1s, the one needing attention most first">
              {entries.map((e) => {
                const name = e.title || e.partnerName;
                return (
                  <li key={e.seriesId} className="panel health-overview__entry">
                    <div className="panel__head">
                      <h2>
                        <a href={hrefFor({ name: 'series', seriesId: e.seriesId })}>{name}</a>
                      </h2>
                      <span className="meta muted">
                        {e.flags.length === 0 ? 'All clear' : `${e.flags.length} ${e.flags.length === 1 ? 'flag' : 'flags'}`}
                        {e.nextMeetingAt && ` · Next ${meetingDate(e.nextMeetingAt)}`}
                      </span>
                    </div>
                    <FlagList flags={e.flags} />
                  </li>
                );
              })}
            </ol>
          )}
        </ErrorBoundary>
      </main>
    </>
  );
}
