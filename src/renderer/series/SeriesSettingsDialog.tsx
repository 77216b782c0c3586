/**
 * 1:1 settings: its name, its cadence, pausing or ending it, and removing it from this device.
 * Each change but the last reaches the other person through the shared document; each says what
 * they keep. Reminders are this device's own.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { nextOccurrence } from '../../shared/domain/cadence.js';
import { renameSeries, setCadence, setSeriesState } from '../../shared/domain/series-commands.js';
import { Cadence } from '../../shared/schemas.js';
import { Button } from '../components/Button.js';
import { Dialog, FormFooter } from '../components/Dialog.js';
import { TextField } from '../components/TextField.js';
import { useToasts } from '../components/Toasts.js';
import { useApp } from '../lib/app-context.js';
import { navigate } from '../lib/route.js';
import { useFormAction } from '../lib/use-form-action.js';
import type { SeriesReplica } from '../replica/series-replica.js';
import { useMeta } from '../replica/use-doc-part.js';
import { CadenceFields, cadenceOf, draftOf, type CadenceDraft } from './CadenceFields.js';
import { CalendarSection } from './CalendarSection.js';

export function SeriesSettingsDialog({
  replica,
  partnerName,
  open,
  onOpenChange,
}: {
  replica: SeriesReplica;
  partnerName: string;
  open: boolean;
  onOpenChange(open: boolean): void;
}) {
  const { doc } = replica;
  const meta = useMeta(doc);
  const [title, setTitle] = useState(meta.title);
  // From the cadence, not the next meeting: that one may have been moved by hand.
  const [draft, setDraft] = useState<CadenceDraft>(() => draftOf(meta.cadence, nextOccurrence(meta.cadence, new Date())));
  const [error, setError] = useState<string | null>(null);
  const readOnly = meta.state === 'ended';
  const reminders = useSeriesReminders(replica.seriesId, open);

  const save = (e: FormEvent) => {
    e.preventDefault();
    const planned = cadenceOf(draft);
    const parsed = planned ? Cadence.safeParse(planned.cadence) : null;
    if (!parsed?.success) {
      setError(parsed ? (parsed.error.issues[0]?.message ?? 'Check the cadence.') : 'Choose a date and time for the next meeting.');
      return;
    }
    if (title.trim() !== meta.title) replica.run(renameSeries, { title });
    if (JSON.stringify(parsed.data) !== JSON.stringify(meta.cadence)) replica.run(setCadence, { cadence: parsed.data });
    setError(null);
    onOpenChange(false);
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="1:1 settings">
      <form className="form" onSubmit={save} noValidate>
        <TextField
          label="Name"
          hint={`Shown instead of "${partnerName}". ${partnerName} sees the new name too.`}
          maxLength={200}
          value={title}
          disabled={readOnly}
          onChange={(e) => setTitle(e.target.value)}
        />
        {!readOnly && (
          <>
            <CadenceFields draft={draft} startLabel="Next regular meeting" onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))} />
            <p className="field__hint">Future meetings move to the new cadence with their agendas; past meetings stay as they were.</p>
            <FormFooter error={error} submitLabel="Save" disabled={false} onCancel={() => onOpenChange(false)} />
          </>
        )}
      </form>
      <CalendarSection
        seriesId={replica.seriesId}
        readOnly={readOnly}
        // The form's draft would otherwise put back the cadence it was opened with on Save.
        onImported={(cadence) => setDraft(draftOf(cadence, nextOccurrence(cadence, new Date())))}
      />
      {!readOnly && reminders.on !== null && (
        <section className="settings-section" aria-labelledby="series-reminders-heading">
          <h3 id="series-reminders-heading">Reminders</h3>
          <label className="choice">
            <input type="checkbox" checked={reminders.on} onChange={(e) => reminders.set(e.target.checked)} />
            <span className="choice__label">Notify me before its meetings</span>
          </label>
          <p className="muted">On this device only; the lead time is in Settings.</p>
        </section>
      )}
      <section className="settings-section" aria-labelledby="series-state-heading">
        <h3 id="series-state-heading">Pause or end</h3>
        {meta.state === 'active' && (
          <>
            <p className="muted">Pausing plans no new meetings until you resume; {partnerName} sees it paused and keeps everything.</p>
            <Button onClick={() => replica.run(setSeriesState, { state: 'paused' })}>Pause 1:1</Button>
          </>
        )}
        {meta.state === 'paused' && (
          <>
            <p className="muted">Resuming plans the next meeting from the cadence, for both of you.</p>
            <Button onClick={() => replica.run(setSeriesState, { state: 'active' })}>Resume 1:1</Button>
          </>
        )}
        {meta.state !== 'ended' ? (
          <>
            <p className="muted">
              Ending keeps the whole 1:1 read-only among past 1:1s, e.g. when one of you changes team; {partnerName} keeps it read-only too.
            </p>
            <Button variant="danger" onClick={() => replica.run(setSeriesState, { state: 'ended' })}>
              End 1:1
            </Button>
          </>
        ) : (
          <p className="muted">This 1:1 has ended and is kept read-only, for both of you.</p>
        )}
      </section>
      <RemoveFromDevice seriesId={replica.seriesId} partnerName={partnerName} />
    </Dialog>
  );
}

/** Deleting the 1:1 here only, after saying what goes and what the other person keeps. */
function RemoveFromDevice({ seriesId, partnerName }: { seriesId: string; partnerName: string }) {
  const { api } = useApp();
  const [confirming, setConfirming] = useState(false);
  const [shared, setShared] = useState<boolean | null>(null);
  const { busy, error, run } = useFormAction();
  useEffect(() => {
    let live = true;
    api.getSyncState({ seriesId }).then(
      (s) => live && setShared(s.status !== 'local'),
      () => live && setShared(null),
    );
    return () => {
      live = false;
    };
  }, [api, seriesId]);
  const remove = () =>
    run(async () => {
      await api.removeSeries({ seriesId });
      navigate({ name: 'list' });
    });
  return (
    <section className="settings-section" aria-labelledby="remove-heading">
      <h3 id="remove-heading">Remove from this device</h3>
      <p className="muted">
        Deletes this 1:1 from this device: its agenda, notes, next steps and history, and your private notes, which exist nowhere else.{' '}
        {shared === false
          ? 'It was never shared, so no other copy exists.'
          : `${partnerName} keeps their copy with everything you both wrote, and is not told; to have it here again, ask them for a new invite.`}
      </p>
      {confirming ? (
        <div className="confirm" role="group" aria-label="Confirm removal">
          <p>Remove it from this device? This cannot be undone here.</p>
          <Button onClick={() => setConfirming(false)}>Keep it</Button>{' '}
          <Button variant="danger" disabled={busy} onClick={() => void remove()}>
            Remove now
          </Button>
        </div>
      ) : (
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Remove from this device
        </Button>
      )}
      {error && (
        <p className="inline-alert" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/** Whether this device reminds before the 1:1's meetings (null until known); a change applies at once. */
function useSeriesReminders(seriesId: string, open: boolean): { on: boolean | null; set(on: boolean): void } {
  const { api } = useApp();
  const { showError } = useToasts();
  const [on, setOn] = useState<boolean | null>(null);
  useEffect(() => {
    if (!open) return;
    let live = true;
    api.getSettings().then((s) => live && setOn(!s.remindersOff.includes(seriesId)), showError);
    return () => {
      live = false;
    };
  }, [api, seriesId, open, showError]);
  const set = (next: boolean) => {
    setOn(next);
    api.setSeriesReminders({ seriesId, on: next }).then(
      (s) => setOn(!s.remindersOff.includes(seriesId)),
      (error: unknown) => {
        setOn(!next);
        showError(error);
      },
    );
  };
  return { on, set };
}
