/** Every open next step across my 1:1s, mine and theirs, for the list screen. */
import { useCallback, useEffect, useState } from 'react';
import type { TandemApi } from '../../shared/api.js';
import { useToasts } from '../components/Toasts.js';
import { useApp } from '../lib/app-context.js';
import { hrefFor } from '../lib/route.js';

type OpenStep = Awaited<ReturnType<TandemApi['listNextSteps']>>[number];

export function OpenNextSteps() {
  const { api } = useApp();
  const { showError } = useToasts();
  const [steps, setSteps] = useState<OpenStep[] | null>(null);
  const reload = useCallback(() => api.listNextSteps().then(setSteps, showError), [api, showError]);
  useEffect(() => {
    void reload();
    return api.onEvent((event) => event.type === 'series-changed' && void reload());
  }, [api, reload]);
  if (!steps || steps.length === 0) return null;
  const mine = steps.filter((s) => s.mine !== false);
  const theirs = steps.filter((s) => s.mine === false);
  return (
    <section className="panel open-steps" aria-labelledby="open-steps-heading">
      <h2 id="open-steps-heading">Open next steps</h2>
      <StepGroup title="Mine" steps={mine} />
      <StepGroup title="Theirs" steps={theirs} />
    </section>
  );
}

function StepGroup({ title, steps }: { title: string; steps: OpenStep[] }) {
  if (steps.length === 0) return null;
  return (
    <div>
      <h3>{title}</h3>
      <ul className="open-steps__list" aria-label={`${title}: open next steps`}>
        {steps.map((s) => (
          <li key={`${s.seriesId}:${s.id}`}>
            <a href={hrefFor({ name: 'series', seriesId: s.seriesId })}>{s.text}</a>{' '}
            <span className="meta muted">
              with {s.partnerName}
              {s.mine === null ? ' · no owner' : ''}
              {s.due ? ` · due ${s.due}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
