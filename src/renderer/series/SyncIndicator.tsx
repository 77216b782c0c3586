/**
 * Where this 1:1's changes are: only here, on their way to the relay, or with it. Offline, it says
 * why, when the next attempt is, and offers to try now.
 */
import { useEffect, useState } from 'react';
import type { SyncState } from '../../shared/api.js';
import { Button } from '../components/Button.js';
import { useToasts } from '../components/Toasts.js';
import { useApp } from '../lib/app-context.js';
import { offlineReason, syncLabel } from '../lib/labels.js';

function useSyncState(seriesId: string): [SyncState | null, (state: SyncState) => void] {
  const { api } = useApp();
  const { showError } = useToasts();
  const [state, setState] = useState<SyncState | null>(null);
  useEffect(() => {
    let live = true;
    // Subscribe first so an event that overtakes the answer is not overwritten by older news.
    let heard = false;
    const off = api.onEvent((event) => {
      if (event.type !== 'sync-state' || event.state.seriesId !== seriesId) return;
      heard = true;
      setState(event.state);
    });
    api.getSyncState({ seriesId }).then((s) => live && !heard && setState(s), showError);
    return () => {
      live = false;
      off();
    };
  }, [api, seriesId, showError]);
  return [state, setState];
}

/** Whole seconds until `at`, counting down once a second; null without a time. */
function useSecondsUntil(at: string | undefined): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!at) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [at]);
  if (!at) return null;
  const ms = Date.parse(at) - now;
  return Number.isNaN(ms) ? null : Math.max(0, Math.ceil(ms / 1000));
}

export function SyncIndicator({ seriesId }: { seriesId: string }) {
  const { api } = useApp();
  const { showError } = useToasts();
  const [state, setState] = useSyncState(seriesId);
  const seconds = useSecondsUntil(state?.status === 'offline' ? state.retryAt : undefined);
  const reason = state?.status === 'offline' ? offlineReason(state.reason) : null;
  return (
    <span className="sync-wrap">
      <span className={`sync sync--${state?.status ?? 'unknown'}`} data-testid="sync-state" role="status" aria-live="polite">
        {state && (
          <>
            <span className="sync__dot" aria-hidden="true" />
            {syncLabel(state)}
          </>
        )}
      </span>
      {state?.status === 'offline' && (
        <span className="sync__why meta" data-testid="sync-reason">
          {reason && `${reason} `}
          {seconds !== null && (seconds > 0 ? `Next try in ${seconds} s.` : 'Trying again…')}{' '}
          <Button size="small" onClick={() => api.retrySync({ seriesId }).then(setState, showError)}>
            Retry now
          </Button>
        </span>
      )}
    </span>
  );
}
