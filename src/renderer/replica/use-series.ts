/**
 * `useSeries(seriesId)`: the open replica of a 1:1 for a component, re-rendering on every change
 * to the document or its save state.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { TandemError } from '../../shared/errors.js';
import { useApp } from '../lib/app-context.js';
import { toTandemError, type SeriesReplica } from './series-replica.js';

export type SeriesHandle =
  { status: 'loading' } | { status: 'failed'; error: TandemError } | { status: 'ready'; replica: SeriesReplica; version: number };

const noSubscription = () => () => undefined;
const noVersion = () => -1;

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
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [seriesId, registry]);

  useEffect(() => {
    replica?.awareness.setLocalStateField('user', presence);
  }, [replica, presence]);

  const version = useSyncExternalStore(replica?.subscribe ?? noSubscription, replica?.getVersion ?? noVersion);

  if (!replica || replica.seriesId !== seriesId || opened === 'loading') return { status: 'loading' };
  if (opened !== 'ready') return { status: 'failed', error: opened };
  return { status: 'ready', replica, version };
}
