/**
 * Protecting the slot: cancelling a meeting asks why and offers moving it first (the default);
 * skipping it shows what goes on to the next meeting. Both are recorded with who, when and why.
 */
import { format } from 'date-fns';
import { useMemo, useState, type FormEvent } from 'react';
import * as Y from 'yjs';
import { actionsMap, agendaMap, type Meeting } from '../../shared/domain/series-doc.js';
import { itemsAtStake, moveMeeting, skipMeeting } from '../../shared/domain/series-commands.js';
import { Dialog, FormFooter } from '../components/Dialog.js';
import { TextField } from '../components/TextField.js';
import { meetingDate } from '../lib/meeting-date.js';
import type { SeriesReplica } from '../replica/series-replica.js';

/** Open next steps due by the meeting's date: a skipped meeting would not review them. */
function dueNextSteps(doc: Y.Doc, by: string): number {
  let due = 0;
  actionsMap(doc).forEach((value) => {
    if (!(value instanceof Y.Map) || value.get('done') === true) return;
    const at = value.get('due');
    if (typeof at === 'string' && at <= by) due++;
  });
  return due;
}

function itemTitle(doc: Y.Doc, id: string): string {
  const m = agendaMap(doc).get(id);
  const title = m instanceof Y.Map ? m.get('title') : null;
  return title instanceof Y.Text ? title.toString() : '';
}

export function CancelMeetingDialog({
  replica,
  meeting,
  open,
  onOpenChange,
}: {
  replica: SeriesReplica;
  meeting: Meeting;
  open: boolean;
  onOpenChange(open: boolean): void;
}) {
  const { doc } = replica;
  const [choice, setChoice] = useState<'move' | 'skip'>('move');
  const [reason, setReason] = useState('');
  const [to, setTo] = useState(() => format(new Date(meeting.scheduledFor), "yyyy-MM-dd'T'HH:mm"));
  const [error, setError] = useState<string | null>(null);
  const atStake = useMemo(() => (open ? itemsAtStake(doc, meeting.id).map((id) => itemTitle(doc, id)) : []), [doc, meeting.id, open]);
  const due = useMemo(() => (open ? dueNextSteps(doc, meeting.scheduledFor) : 0), [doc, meeting.scheduledFor, open]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) {
      setError(choice === 'move' ? 'Say why the meeting moves: it helps you both see patterns later.' : 'Say why the meeting is skipped.');
      return;
    }
    try {
      if (choice === 'move') {
        const when = new Date(to);
        if (Number.isNaN(when.getTime())) {
          setError('Choose a new date and time.');
          return;
        }
        replica.run(moveMeeting, { meetingId: meeting.id, to: when.toISOString(), reason: reason.trim() });
      } else {
        replica.run(skipMeeting, { meetingId: meeting.id, reason: reason.trim() });
      }
      setReason('');
      setError(null);
      onOpenChange(false);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Can't meet ${meetingDate(meeting.scheduledFor)}?`}
      description="Moving keeps the conversation going; skip only when nothing essential would be lost."
    >
      <form className="form" onSubmit={submit} noValidate>
        <fieldset className="choice-group">
          <legend className="field__label">What should happen</legend>
          <label className="choice">
            <input type="radio" name="cancel-choice" checked={choice === 'move'} onChange={() => setChoice('move')} />
            <span className="choice__label">Move it to another time</span>
          </label>
          <label className="choice">
            <input type="radio" name="cancel-choice" checked={choice === 'skip'} onChange={() => setChoice('skip')} />
            <span className="choice__label">Skip this meeting</span>
          </label>
        </fieldset>
        {choice === 'move' ? (
          <TextField label="New date and time" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
        ) : (
          <div className="skip-loss" role="note">
            {atStake.length === 0 && due === 0 ? (
              <p className="muted">Nothing is waiting for this meeting.</p>
            ) : (
              <>
                <p>
                  {atStake.length} open {atStake.length === 1 ? 'item goes' : 'items go'} on to the next meeting
                  {due > 0 ? `, and ${due} ${due === 1 ? 'next step is' : 'next steps are'} due without a review` : ''}:
                </p>
                <ul>
                  {atStake.map((title, k) => (
                    <li key={k}>{title}</li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
        <TextField label="Reason" maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} />
        <FormFooter
          error={error}
          submitLabel={choice === 'move' ? 'Move meeting' : 'Skip meeting'}
          disabled={false}
          onCancel={() => onOpenChange(false)}
        />
      </form>
    </Dialog>
  );
}
