/** Home: every 1:1, soonest meeting first, with the ways to start or join one. */
import { useCallback, useEffect, useState } from 'react';
import type { SeriesSummary } from '../../shared/api.js';
import { Button } from '../components/Button.js';
import { ErrorBoundary } from '../components/ErrorBoundary.js';
import { PlusIcon } from '../components/icons.js';
import { useToasts } from '../components/Toasts.js';
import { useApp } from '../lib/app-context.js';
import { initials } from '../lib/initials.js';
import { relationshipLabel } from '../lib/labels.js';
import { meetingDate } from '../lib/meeting-date.js';
import { saveTextFile } from '../lib/save-file.js';
import { landHere } from '../lib/landing-focus.js';
import { hrefFor } from '../lib/route.js';
import { OpenNextSteps } from '../meeting/OpenNextSteps.js';
import { AppHeader } from './AppHeader.js';
import { JoinDialog } from './JoinDialog.js';
import { NewSeriesDialog } from './NewSeriesDialog.js';

function useSeriesList(): SeriesSummary[] | null {
  const { api } = useApp();
  const { showError } = useToasts();
  const [list, setList] = useState<SeriesSummary[] | null>(null);
  const reload = useCallback(() => api.listSeries().then(setList, showError), [api, showError]);
  useEffect(() => {
    void reload();
    return api.onEvent((event) => event.type === 'series-changed' && void reload());
  }, [api, reload]);
  return list;
}

/** The calendar feed of every 1:1 not ended, as one .ics file. */
function CalendarFeedButton() {
  const { api } = useApp();
  const { showError, showInfo } = useToasts();
  const save = () =>
    api.exportCalendar().then((file) => {
      saveTextFile({ fileName: file.fileName, mimeType: 'text/calendar', content: file.ics });
      showInfo(`Saved ${file.fileName}: ${file.series} 1:1${file.series === 1 ? '' : 's'}.`);
    }, showError);
  return <Button onClick={() => void save()}>Calendar feed (.ics)</Button>;
}

export function SeriesList() {
  const list = useSeriesList();
  const [creating, setCreating] = useState(false);
  const [joining, setJoining] = useState(false);

  return (
    <>
      <AppHeader />
      <main className="page">
        <div className="page__head">
          <h1 ref={landHere} tabIndex={-1}>
            Your 1:1s
          </h1>
          <div className="page__actions">
            <a className="btn btn--secondary" href={hrefFor({ name: 'health' })}>
              1:1 health
            </a>
            {list?.some((s) => s.state !== 'ended') && <CalendarFeedButton />}
            <Button onClick={() => setJoining(true)}>Join a 1:1</Button>
            <Button variant="primary" onClick={() => setCreating(true)}>
              <PlusIcon /> New 1:1
            </Button>
          </div>
        </div>
        <ErrorBoundary message="Your 1:1s could not be listed; reload this page to try again.">
          {list === null ? null : list.length === 0 ? <EmptyList onCreate={() => setCreating(true)} /> : <SeriesSections list={list} />}
        </ErrorBoundary>
        <OpenNextSteps />
      </main>
      <NewSeriesDialog open={creating} onOpenChange={setCreating} />
      <JoinDialog open={joining} onOpenChange={setJoining} />
    </>
  );
}

function EmptyList({ onCreate }: { onCreate(): void }) {
  return (
    <section className="empty" aria-labelledby="empty-title">
      <h2 id="empty-title">No 1:1s yet</h2>
      <p className="muted">
        Start one with your manager, a report or a peer. You build the agenda together and keep notes in one place, meeting after meeting.
      </p>
      <Button variant="primary" onClick={onCreate}>
        Start your first 1:1
      </Button>
    </section>
  );
}

/** Ended 1:1s are kept, read-only, under their own heading. */
function SeriesSections({ list }: { list: SeriesSummary[] }) {
  const past = list.filter((s) => s.state === 'ended');
  return (
    <>
      <SeriesCards list={list.filter((s) => s.state !== 'ended')} label="1:1s" />
      {past.length > 0 && (
        <section aria-labelledby="past-heading">
          <h2 id="past-heading">Past 1:1s</h2>
          <SeriesCards list={past} label="Past 1:1s" />
        </section>
      )}
    </>
  );
}

function SeriesCards({ list, label }: { list: SeriesSummary[]; label: string }) {
  return (
    <ul className="series-list" aria-label={label}>
      {list.map((s) => {
        const relationship = relationshipLabel(s.kind, s.myRole, s.partnerName);
        const next =
          s.state === 'ended'
            ? 'Ended'
            : s.state === 'paused'
              ? 'Paused'
              : s.nextMeetingAt
                ? `Next: ${meetingDate(s.nextMeetingAt)}`
                : 'No meeting scheduled';
        const name = s.title || s.partnerName;
        const count = s.openItemCount === 0 ? 'No open items' : `${s.openItemCount} open ${s.openItemCount === 1 ? 'item' : 'items'}`;
        return (
          <li key={s.id}>
            {/* The parts are separate blocks visually; the label reads them as one sentence. */}
            <a
              className="series-card"
              href={hrefFor({ name: 'series', seriesId: s.id })}
              aria-label={`${name}, ${relationship}, ${next}, ${count}`}
            >
              <span className="series-card__avatar" aria-hidden="true">
                {initials(s.partnerName)}
              </span>
              <span className="series-card__main">
                <span className="series-card__name">{name}</span>
                <span className="meta">{relationship}</span>
              </span>
              <span className="series-card__side">
                <span className="meta">{next}</span>
                <span className={`meta ${s.openItemCount > 0 ? 'series-card__count--some' : ''}`}>{count}</span>
              </span>
            </a>
          </li>
        );
      })}
    </ul>
  );
}
