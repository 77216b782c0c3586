/** Starting a 1:1: who with, what kind, your side of it, how often, and when you first meet. */
import { addDays, format, isWeekend, set } from 'date-fns';
import { useState, type FormEvent } from 'react';
import { deviceTimeZone } from '../../shared/domain/cadence.js';
import type { SeriesKind } from '../../shared/schemas.js';
import { Dialog, FormFooter } from '../components/Dialog.js';
import { TextField } from '../components/TextField.js';
import { useApp } from '../lib/app-context.js';
import { KINDS } from '../lib/labels.js';
import { focusNextHeading } from '../lib/landing-focus.js';
import { navigate } from '../lib/route.js';
import { useFormAction } from '../lib/use-form-action.js';
import { CadenceFields, cadenceOf, type CadenceDraft } from '../series/CadenceFields.js';

/** The next weekday at 10:00, as a datetime-local value. */
function defaultFirstMeeting(): string {
  let day = addDays(new Date(), 1);
  while (isWeekend(day)) day = addDays(day, 1);
  return format(set(day, { hours: 10, minutes: 0, seconds: 0, milliseconds: 0 }), "yyyy-MM-dd'T'HH:mm");
}

interface Draft {
  partnerName: string;
  kind: SeriesKind;
  myRole: 'manager' | 'report';
  cadence: CadenceDraft;
}

const emptyDraft = (): Draft => ({
  partnerName: '',
  kind: 'manager-report',
  myRole: 'report',
  cadence: { pattern: 'weekly', start: defaultFirstMeeting(), nth: 1, lengthMinutes: 30, timeZone: deviceTimeZone() },
});

export function NewSeriesDialog({ open, onOpenChange }: { open: boolean; onOpenChange(open: boolean): void }) {
  const { api } = useApp();
  const [draft, setDraft] = useState(emptyDraft);
  const [nameError, setNameError] = useState<string | null>(null);
  const { busy, error, run } = useFormAction();
  const update = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft.partnerName.trim()) {
      setNameError('Who is this 1:1 with?');
      return;
    }
    const planned = cadenceOf(draft.cadence);
    await run(async () => {
      const created = await api.createSeries({
        partnerName: draft.partnerName.trim(),
        kind: draft.kind,
        ...(draft.kind === 'peer' ? {} : { myRole: draft.myRole }),
        ...(planned ? { cadence: planned.cadence, firstMeetingAt: planned.first.toISOString() } : {}),
      });
      setDraft(emptyDraft());
      focusNextHeading();
      onOpenChange(false);
      navigate({ name: 'series', seriesId: created.id });
    });
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="New 1:1">
      <form className="form" onSubmit={submit} noValidate>
        <TextField
          label="Their name"
          autoFocus
          maxLength={80}
          value={draft.partnerName}
          error={nameError}
          onChange={(e) => {
            update({ partnerName: e.target.value });
            setNameError(null);
          }}
        />
        <fieldset className="choice-group">
          <legend className="field__label">Kind of 1:1</legend>
          {KINDS.map((k) => (
            <label key={k.value} className="choice">
              {/* Named by the label alone, described by the hint, so the name stays exactly the label. */}
              <input
                type="radio"
                name="kind"
                value={k.value}
                aria-label={k.label}
                aria-describedby={`kind-hint-${k.value}`}
                checked={draft.kind === k.value}
                onChange={() => update({ kind: k.value })}
              />
              <span>
                <span className="choice__label">{k.label}</span>
                <span id={`kind-hint-${k.value}`} className="choice__hint meta">
                  {k.hint}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        {draft.kind !== 'peer' && (
          <fieldset className="choice-group choice-group--inline">
            <legend className="field__label">Your role</legend>
            <label className="choice">
              <input type="radio" name="role" checked={draft.myRole === 'manager'} onChange={() => update({ myRole: 'manager' })} />
              <span className="choice__label">I'm the manager</span>
            </label>
            <label className="choice">
              <input type="radio" name="role" checked={draft.myRole === 'report'} onChange={() => update({ myRole: 'report' })} />
              <span className="choice__label">I report to them</span>
            </label>
          </fieldset>
        )}
        <CadenceFields
          draft={draft.cadence}
          startLabel="First meeting"
          onChange={(patch) => update({ cadence: { ...draft.cadence, ...patch } })}
        />
        <FormFooter error={error} submitLabel="Create 1:1" disabled={busy} onCancel={() => onOpenChange(false)} />
      </form>
    </Dialog>
  );
}
