/**
 * `useSeries(seriesId)`: the open replica of a 1:1 for a component. Parts of the document are
 * subscribed to separately (use-doc-part.ts), so opening it does not re-render on every change.
 */
import { useEffect, useState } from 'react';
import type { TandemError } from '../../shared/errors.js';
import { useApp } from '../lib/app-context.js';
import { toTandemError, type SeriesReplica } from './series-replica.js';

export type SeriesHandle = { status: 'loading' } | { status: 'failed'; error: TandemError } | { status: 'ready'; replica: SeriesReplica };

export function useSeries(seriesId: string): SeriesHandle {
  const { registry, presence } = useApp();
  const [replica, setReplica] = useState<SeriesReplica | null>(null);
  const [opened, setOpened] = useState<'loading' | 'ready' | TandemError>('loading');

  useEffect(() => {
    const r = registry.acquire(seriesId, presence);
    let live = true;
    setReplica(r);
    setOpened('loading');
    r.ready.then(
      () => live && setOpened('ready'),
      (error: unknown) => live && setOpened(toTandemError(error)),
    );
    return () => {
      live = false;
      registry.release(r);
    };
    // The presence user is only the initial state; later renames go through setLocalStateField.
  }, [seriesId, registry]);

  useEffect(() => {
    replica?.awareness.setLocalStateField('user', presence);
  }, [replica, presence]);

  if (!replica || replica.seriesId !== seriesId || opened === 'loading') return { status: 'loading' };
  if (opened !== 'ready') return { status: 'failed', error: opened };
  return { status: 'ready', replica };
}
