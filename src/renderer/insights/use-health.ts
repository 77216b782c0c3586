/**
 * The health of the open 1:1, computed here from the replica (never sent anywhere): re-read after
 * the document changes, at most every REFRESH_MS, since a long history costs a few milliseconds to
 * read and typing in the notes changes it with every keystroke.
 */
import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { readHealthHistory, type HealthHistory } from '../../shared/insights/history.js';

const REFRESH_MS = 250;

export function useHealthHistory(doc: Y.Doc): HealthHistory {
  const [history, setHistory] = useState(() => readHealthHistory(doc));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const onUpdate = () => {
      timer ??= setTimeout(() => {
        timer = null;
        setHistory(readHealthHistory(doc));
      }, REFRESH_MS);
    };
    // Read again shortly, after the panel is on screen: the document may have changed between the
    // first read and this subscription.
    onUpdate();
    doc.on('update', onUpdate);
    return () => {
      doc.off('update', onUpdate);
      if (timer) clearTimeout(timer);
    };
  }, [doc]);
  return history;
}

/** The time insights are computed at, moving on every minute so "days since" stays true in an open window. */
export function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}
