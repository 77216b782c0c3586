/**
 * How often and when a 1:1 meets: the pattern, a first date and time (which give the weekday and
 * the local time), the length and the time zone. Used by the new-1:1 dialog and the 1:1 settings.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { cadenceFrom } from '../../shared/domain/cadence.js';
import type { Cadence, CadencePattern } from '../../shared/schemas.js';
import { TextField } from '../components/TextField.js';
import { CADENCES } from '../lib/labels.js';

export interface CadenceDraft {
  pattern: CadencePattern;
  /** `yyyy-MM-ddTHH:mm` in `timeZone`. */
  start: string;
  nth: NonNullable<Cadence['nth']>;
  lengthMinutes: number;
  timeZone: string;
}

const NTHS: readonly { value: CadenceDraft['nth']; label: string }[] = [
  { value: 1, label: 'First' },
  { value: 2, label: 'Second' },
  { value: 3, label: 'Third' },
  { value: 4, label: 'Fourth' },
  { value: 'last', label: 'Last' },
];

/** The draft a saved cadence and its next date read as. */
export function draftOf(cadence: Cadence, next: Date): CadenceDraft {
  return {
    pattern: cadence.pattern,
    start: format(new TZDate(next.getTime(), cadence.timeZone), "yyyy-MM-dd'T'HH:mm"),
    nth: cadence.nth ?? 1,
    lengthMinutes: cadence.lengthMinutes,
    timeZone: cadence.timeZone,
  };
}

/** The cadence a draft stands for and its first meeting, or null while the start is not a date. */
export function cadenceOf(draft: CadenceDraft): { cadence: Cadence; first: Date } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(draft.start);
  if (!match) return null;
  const [y, mo, d, h, mi] = match.slice(1).map(Number) as [number, number, number, number, number];
  let first: TZDate;
  try {
    first = new TZDate(y, mo - 1, d, h, mi, draft.timeZone);
  } catch {
    return null;
  }
  if (Number.isNaN(first.getTime())) return null;
  const cadence = cadenceFrom(draft.pattern, first, draft.timeZone, draft.lengthMinutes);
  return { cadence: draft.pattern === 'monthly-nth-weekday' ? { ...cadence, nth: draft.nth } : cadence, first };
}

export function CadenceFields({
  draft,
  onChange,
  startLabel,
}: {
  draft: CadenceDraft;
  onChange(patch: Partial<CadenceDraft>): void;
  startLabel: string;
}) {
  return (
    <>
      <div className="form__row">
        <div className="field">
          <label className="field__label" htmlFor="cadence-pattern">
            How often
          </label>
          <select
            id="cadence-pattern"
            className="input"
            value={draft.pattern}
            onChange={(e) => onChange({ pattern: CADENCES.find((c) => c.value === e.target.value)?.value ?? 'weekly' })}
          >
            {CADENCES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        {draft.pattern === 'monthly-nth-weekday' && (
          <div className="field">
            <label className="field__label" htmlFor="cadence-nth">
              Which week of the month
            </label>
            <select
              id="cadence-nth"
              className="input"
              value={String(draft.nth)}
              onChange={(e) => onChange({ nth: NTHS.find((n) => String(n.value) === e.target.value)?.value ?? 1 })}
            >
              {NTHS.map((n) => (
                <option key={n.value} value={String(n.value)}>
                  {n.label}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      <div className="form__row">
        <TextField label={startLabel} type="datetime-local" value={draft.start} onChange={(e) => onChange({ start: e.target.value })} />
        <TextField
          label="Length (minutes)"
          type="number"
          min={5}
          max={480}
          step={5}
          value={String(draft.lengthMinutes)}
          onChange={(e) => onChange({ lengthMinutes: Number(e.target.value) })}
        />
      </div>
      <TextField label="Time zone" value={draft.timeZone} onChange={(e) => onChange({ timeZone: e.target.value.trim() })} />
    </>
  );
}
