/**
 * The health of the open 1:1, computed here from the replica (never sent anywhere): re-read after
 * the document changes, at most every REFRESH_MS, since a long history costs a few milliseconds to
 * read and typing in the notes changes it with every keystroke. The years moved to archive
 * documents are read by the core (archivedHealth) and joined in, so the window loads no archive.
 */
import { useEffect, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { combineHistories, readHealthHistory, type HealthHistory } from '../../shared/insights/history.js';
import { useToasts } from '../components/Toasts.js';
import { useApp } from '../lib/app-context.js';
import type { SeriesReplica } from '../replica/series-replica.js';
import { useArchived } from '../replica/use-doc-part.js';

const REFRESH_MS = 250;
const NONE: HealthHistory[] = [];

/**
 * The archived years' history, one part per year, asked for again whenever a meeting moves there;
 * null until the core answers. A 1:1 with nothing archived needs no asking.
 */
export function useArchivedHealth(replica: SeriesReplica): HealthHistory[] | null {
  const { api } = useApp();
  const { showError } = useToasts();
  const moved = useArchived(replica.doc).length;
  const [parts, setParts] = useState<HealthHistory[] | null>(null);
  useEffect(() => {
    if (moved === 0) return;
    let live = true;
    api.archivedHealth({ seriesId: replica.seriesId }).then(
      (got) => {
        if (live) setParts(got);
      },
      (error: unknown) => {
        // Said, then left out: the figures of the current year still show.
        showError(error);
        if (live) setParts((kept) => kept ?? []);
      },
    );
    return () => {
      live = false;
    };
  }, [api, showError, replica.seriesId, moved]);
  // Until a move's new reading arrives, the one before it stands.
  return moved === 0 ? NONE : parts;
}

/** The 1:1's whole history: the open document, read again as it changes, joined with `archived`. */
export function useHealthHistory(doc: Y.Doc, archived: HealthHistory[] = NONE): HealthHistory {
  const own = useSeriesHealthHistory(doc);
  return useMemo(() => (archived.length ? combineHistories(own, ...archived) : own), [own, archived]);
}

function useSeriesHealthHistory(doc: Y.Doc): HealthHistory {
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
