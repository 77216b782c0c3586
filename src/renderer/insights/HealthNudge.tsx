/**
 * Before the next meeting (from the end of the one before; never while one is held), the 1:1's
 * most pressing flag sits at the top of the agenda with one thing to do about it: add a suggested
 * question (which clears the flag for both people as soon as the item is on the agenda) or
 * dismiss it on this device for a while.
 */
import { useEffect, useMemo, useState } from 'react';
import { addAgendaItem } from '../../shared/domain/commands.js';
import { DISMISS_DAYS } from '../../shared/insights/dismissals.js';
import { assessHealth, nudgeFlag, type FlagId } from '../../shared/insights/flags.js';
import { suggestedQuestion } from '../../shared/insights/suggestions.js';
import { Button } from '../components/Button.js';
import { useToasts } from '../components/Toasts.js';
import { useApp } from '../lib/app-context.js';
import type { SeriesReplica } from '../replica/series-replica.js';
import { useArchivedHealth, useHealthHistory, useNow } from './use-health.js';

export function HealthNudge({ replica }: { replica: SeriesReplica }) {
  const { api } = useApp();
  const { showError } = useToasts();
  const { seriesId } = replica;
  const archived = useArchivedHealth(replica);
  const history = useHealthHistory(replica.doc, archived ?? undefined);
  const now = useNow();
  const [dismissed, setDismissed] = useState<ReadonlySet<FlagId> | null>(null);
  useEffect(() => {
    api.dismissedNudges({ seriesId }).then((ids) => setDismissed(new Set(ids)), showError);
  }, [api, seriesId, showError]);
  // Shown once the archived years are in: before, a long 1:1 could look as if it never had a career talk.
  const flag = useMemo(
    () => (dismissed && archived ? nudgeFlag(assessHealth(history, now), dismissed) : null),
    [history, now, dismissed, archived],
  );
  if (!flag) return null;
  const question = flag.suggest ? suggestedQuestion(flag.suggest, `${seriesId}:${flag.id}`) : null;

  const dismiss = () => api.dismissNudge({ seriesId, flag: flag.id }).then((ids) => setDismissed(new Set(ids)), showError);
  return (
    <aside className="nudge" aria-labelledby="nudge-headline">
      <p id="nudge-headline" className="nudge__headline">
        {flag.headline}
      </p>
      <p className="nudge__try">{flag.tryThis}</p>
      {question && <p className="nudge__question">“{question.text}”</p>}
      <div className="nudge__actions">
        {question && (
          <Button
            size="small"
            variant="primary"
            onClick={() => replica.run(addAgendaItem, { title: question.text, purpose: question.purpose })}
          >
            Add this question
          </Button>
        )}
        <Button
          size="small"
          variant="ghost"
          onClick={() => void dismiss()}
          aria-label={`Not now (hidden for ${DISMISS_DAYS} days on this device)`}
        >
          Not now
        </Button>
      </div>
    </aside>
  );
}
