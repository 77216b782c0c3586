/**
 * A 1:1's cadence and people's calendars (1:1 settings): export it as an .ics file, or take the
 * cadence from a repeating event of one, after showing what it would be.
 */
import { useState, type ChangeEvent } from 'react';
import { describeCadence } from '../../shared/domain/cadence.js';
import type { CalendarReading } from '../../shared/domain/calendar.js';
import { CALENDAR_MAX_CHARS, CALENDAR_TOO_LARGE, type Cadence } from '../../shared/schemas.js';
import { Button } from '../components/Button.js';
import { useApp } from '../lib/app-context.js';
import { saveTextFile } from '../lib/save-file.js';
import { useFormAction } from '../lib/use-form-action.js';

interface ChosenFile {
  ics: string;
  reading: CalendarReading;
}

export function CalendarSection({
  seriesId,
  readOnly,
  onImported,
}: {
  seriesId: string;
  readOnly: boolean;
  onImported(cadence: Cadence): void;
}) {
  const { api } = useApp();
  const { busy, error, setError, run } = useFormAction();
  const [chosen, setChosen] = useState<ChosenFile | null>(null);
  const [pick, setPick] = useState(0);
  const [done, setDone] = useState<string | null>(null);

  const exportFile = () =>
    void run(async () => {
      setDone(null);
      const file = await api.exportCalendar({ seriesId });
      saveTextFile({ fileName: file.fileName, mimeType: 'text/calendar', content: file.ics });
      setDone(`Saved ${file.fileName}.`);
    });

  const readFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    setChosen(null);
    setDone(null);
    if (!file) return;
    // UTF-8 takes at most four bytes a character: a larger file is refused without reading it.
    if (file.size > CALENDAR_MAX_CHARS * 4) return setError(CALENDAR_TOO_LARGE);
    void run(async () => {
      const ics = await file.text();
      setChosen({ ics, reading: await api.readCalendarFile({ seriesId, ics }) });
      setPick(0);
    });
  };

  const confirm = (file: ChosenFile) =>
    void run(async () => {
      const result = await api.importCalendarCadence({ seriesId, ics: file.ics, pick });
      if (result.status !== 'applied') return;
      onImported(result.candidate.cadence);
      setChosen(null);
      setDone(`Cadence set: ${describeCadence(result.candidate.cadence)}.`);
    });

  const candidates = chosen?.reading.candidates ?? [];
  const picked = candidates[pick];
  return (
    <section className="settings-section" aria-labelledby="series-calendar-heading">
      <h3 id="series-calendar-heading">Calendar</h3>
      <p className="muted">
        The cadence as a repeating event, with moved and cancelled meetings. Importing a newer file into your calendar updates the event. It
        holds names and times only, nothing written in the 1:1.
      </p>
      <Button onClick={exportFile} disabled={busy}>
        Export to calendar (.ics)
      </Button>
      {!readOnly && (
        <div className="field">
          <label className="field__label" htmlFor="calendar-import">
            Import cadence from .ics
          </label>
          <input id="calendar-import" type="file" accept=".ics,text/calendar" disabled={busy} onChange={readFile} />
        </div>
      )}
      {chosen && picked && (
        <div className="calendar-import" role="group" aria-label="Cadence from the file">
          {candidates.length > 1 ? (
            <fieldset className="choice-group">
              <legend className="field__label">Which repeating event?</legend>
              {candidates.map((c, i) => (
                <label key={i} className="choice">
                  <input type="radio" name="calendar-event" checked={pick === i} onChange={() => setPick(i)} />
                  <span className="choice__label">
                    {c.summary}
                    <span className="choice__hint">{describeCadence(c.cadence)}</span>
                  </span>
                </label>
              ))}
            </fieldset>
          ) : (
            <p>
              From “{picked.summary}”: <strong>{describeCadence(picked.cadence)}</strong>
            </p>
          )}
          {picked.notes.map((note) => (
            <p key={note} className="muted">
              {note}
            </p>
          ))}
          {chosen.reading.refused.map((r, i) => (
            <p key={i} className="muted">
              Not usable: “{r.summary}” ({r.reason}).
            </p>
          ))}
          <p className="muted">Future meetings move to this cadence with their agendas; past meetings stay as they were.</p>
          <div className="page__actions">
            <Button onClick={() => setChosen(null)}>Cancel</Button>
            <Button variant="primary" disabled={busy} onClick={() => confirm(chosen)}>
              Use this cadence
            </Button>
          </div>
        </div>
      )}
      {error && (
        <p className="inline-alert" role="alert">
          {error}
        </p>
      )}
      {done && <p role="status">{done}</p>}
    </section>
  );
}
