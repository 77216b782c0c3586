/** Whether this device has stored the last edits; a refused save stays visible with a retry. */
import { useSyncExternalStore } from 'react';
import { Button } from '../components/Button.js';
import type { SeriesReplica } from '../replica/series-replica.js';

export function SaveIndicator({ replica }: { replica: SeriesReplica }) {
  useSyncExternalStore(replica.subscribe, replica.getVersion);
  const { pending, error } = replica.saveState;
  if (error) {
    return (
      <span className="save save--error" role="alert">
        Not saved: {error.message}{' '}
        <Button size="small" onClick={() => replica.retry()}>
          Retry
        </Button>
      </span>
    );
  }
  return (
    <span className="save meta" aria-live="off">
      {pending > 0 ? 'Saving…' : 'Saved'}
    </span>
  );
}
