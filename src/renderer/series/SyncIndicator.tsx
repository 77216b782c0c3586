/** Where this 1:1's changes are: only here, on their way to the relay, or with it. */
import { useEffect, useState } from 'react';
import type { SyncState } from '../../shared/api.js';
import { useToasts } from '../components/Toasts.js';
import { useApp } from '../lib/app-context.js';
import { syncLabel } from '../lib/labels.js';

function useSyncState(seriesId: string): SyncState | null {
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
  return state;
}

export function SyncIndicator({ seriesId }: { seriesId: string }) {
  const state = useSyncState(seriesId);
  return (
    <span className={`sync sync--${state?.status ?? 'unknown'}`} data-testid="sync-state" role="status" aria-live="polite">
      {state && (
        <>
          <span className="sync__dot" aria-hidden="true" />
          {syncLabel(state)}
        </>
      )}
    </span>
  );
}
