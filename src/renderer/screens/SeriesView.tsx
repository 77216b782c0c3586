/** One 1:1: who it is with, the next meeting's agenda and shared notes, and how it is syncing. */
import { useState } from 'react';
import { isOpenItem, perspective } from '../../shared/domain/series-doc.js';
import { Button } from '../components/Button.js';
import { ErrorBoundary } from '../components/ErrorBoundary.js';
import { BackIcon } from '../components/icons.js';
import { useApp } from '../lib/app-context.js';
import { relationshipLabel } from '../lib/labels.js';
import { meetingDate } from '../lib/meeting-date.js';
import { landHere } from '../lib/landing-focus.js';
import { navigate, useRoute } from '../lib/route.js';
import { FoundMeeting } from '../series/FoundMeeting.js';
import type { SeriesReplica } from '../replica/series-replica.js';
import { useLiveAgenda, useMeta, useNextMeeting } from '../replica/use-doc-part.js';
import { useSeries } from '../replica/use-series.js';
import { AddAgendaItem } from '../series/AddAgendaItem.js';
import { Agenda } from '../series/Agenda.js';
import { InviteDialog } from '../series/InviteDialog.js';
import { SeriesSlotTools } from '../series/SeriesSlotTools.js';
import { NotesEditor } from '../series/NotesEditor.js';
import { Presence } from '../series/Presence.js';
import { QuestionLibrary } from '../series/QuestionLibrary.js';
import { SaveIndicator } from '../series/SaveIndicator.js';
import { SyncIndicator } from '../series/SyncIndicator.js';
import { AppHeader } from './AppHeader.js';
import { MeetingPanel } from '../meeting/MeetingPanel.js';
import { PrivateNotes } from '../meeting/PrivateNotes.js';
import { useCurrentMeeting } from '../meeting/use-meeting.js';
import { addNextStep } from '../../shared/domain/meetings.js';
import { HealthNudge } from '../insights/HealthNudge.js';

export function SeriesView({ seriesId }: { seriesId: string }) {
  const series = useSeries(seriesId);
  return (
    <>
      <AppHeader>
        <Button variant="ghost" onClick={() => navigate({ name: 'list' })}>
          <BackIcon /> Back to all 1:1s
        </Button>
      </AppHeader>
      {series.status === 'ready' ? (
        <OpenSeries replica={series.replica} />
      ) : (
        <main className="page" aria-busy={series.status === 'loading'}>
          {series.status === 'failed' && (
            <>
              <h1>This 1:1 could not be opened</h1>
              <p className="inline-alert" role="alert">
                {series.error.message}
              </p>
            </>
          )}
        </main>
      )}
    </>
  );
}

function OpenSeries({ replica }: { replica: SeriesReplica }) {
  const { profile } = useApp();
  const [inviting, setInviting] = useState(false);
  const [library, setLibrary] = useState(false);
  const route = useRoute();
  const { doc, awareness, seriesId } = replica;
  const meta = useMeta(doc);
  const { partnerName, myRole } = perspective(meta, profile.id);
  const meeting = useNextMeeting(doc);
  const { live: items, waiting } = useLiveAgenda(doc);
  const current = useCurrentMeeting(doc);
  const meetingId = meeting?.id;
  const ended = meta.state === 'ended';
  const partnerId = Object.keys(meta.participants).find((id) => id !== profile.id) ?? null;
  const people = { me: { id: profile.id, name: profile.name }, partner: { id: partnerId, name: partnerName } };

  return (
    <main className="page page--wide">
      <div className="series-head">
        <ErrorBoundary message="This 1:1's details could not be shown.">
          <div className="series-head__title">
            <h1 ref={landHere} tabIndex={-1}>
              {meta.title || partnerName}
            </h1>
            <p className="meta muted">
              {relationshipLabel(meta.kind, myRole, partnerName)}
              {' · '}
              {meeting ? `Next meeting ${meetingDate(meeting.scheduledFor)}` : 'No meeting scheduled'}
            </p>
          </div>
          <div className="series-head__tools">
            <Presence awareness={awareness} />
            <div className="series-head__status">
              <SyncIndicator seriesId={seriesId} />
              <SaveIndicator replica={replica} />
            </div>
            <SeriesSlotTools replica={replica} meeting={meeting} partnerName={partnerName} />
            <Button variant="primary" onClick={() => setInviting(true)}>
              Invite
            </Button>
          </div>
        </ErrorBoundary>
      </div>
      {!ended && <MeetingPanel replica={replica} people={people} />}
      {/* An ended 1:1 is kept read-only: every control below is disabled, the notes are not editable. */}
      <fieldset className="series-body" disabled={ended}>
        <section className="panel" aria-labelledby="agenda-heading">
          <div className="panel__head">
            <h2 id="agenda-heading">Agenda</h2>
            <span className="meta muted">{items.filter(isOpenItem).length} open</span>
            {meta.state !== 'ended' && (
              <Button size="small" variant="ghost" onClick={() => setLibrary(true)}>
                Questions and templates
              </Button>
            )}
          </div>
          <ErrorBoundary message="The agenda could not be shown; the notes still work.">
            {ended ? (
              <p className="muted">This 1:1 has ended: it is kept read-only.</p>
            ) : (
              <>
                <ErrorBoundary message="The health nudge could not be shown.">
                  <HealthNudge replica={replica} />
                </ErrorBoundary>
                <AddAgendaItem replica={replica} />
              </>
            )}
            <Agenda
              replica={replica}
              items={items}
              waiting={waiting}
              meetingId={meetingId ?? null}
              beforeMeeting={!current?.startedAt}
              userId={profile.id}
            />
          </ErrorBoundary>
        </section>
        <section className="panel" aria-labelledby="notes-heading">
          <div className="panel__head">
            <h2 id="notes-heading">Shared notes</h2>
            {meeting && <span className="meta muted">{meetingDate(meeting.scheduledFor)}</span>}
          </div>
          {meeting ? (
            <ErrorBoundary key={meeting.id} message="These notes could not be shown; the agenda still works.">
              <NotesEditor
                doc={doc}
                meetingId={meeting.id}
                awareness={awareness}
                editable={!ended}
                onNextStep={!ended ? (text) => replica.run(addNextStep, { meetingId: meeting.id, text }) : undefined}
              />
            </ErrorBoundary>
          ) : (
            <p className="muted">Notes open once a meeting is scheduled.</p>
          )}
        </section>
        {meetingId && <PrivateNotes seriesId={seriesId} meetingId={meetingId} editable={!ended} />}
      </fieldset>
      {route.name === 'series' && route.meetingId && (
        <FoundMeeting replica={replica} meetingId={route.meetingId} at={route.at} onClose={() => navigate({ name: 'series', seriesId })} />
      )}
      <QuestionLibrary replica={replica} meetingId={meetingId ?? null} open={library} onOpenChange={setLibrary} />
      <InviteDialog seriesId={seriesId} partnerName={partnerName} open={inviting} onOpenChange={setInviting} />
    </main>
  );
}
