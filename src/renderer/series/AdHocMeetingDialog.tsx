/**
 * A meeting outside the cadence, e.g. to talk something through before the next regular one. It
 * is added for both people; the cadence goes on as before.
 */
import { format } from 'date-fns';
import { useState, type FormEvent } from 'react';
import { addAdHocMeeting } from '../../shared/domain/series-commands.js';
import { Dialog, FormFooter } from '../components/Dialog.js';
import { TextField } from '../components/TextField.js';
import type { SeriesReplica } from '../replica/series-replica.js';

export function AdHocMeetingDialog({
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
  const [when, setWhen] = useState(() => format(new Date(Date.now() + 24 * 3600_000), "yyyy-MM-dd'T'HH:00"));
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const at = new Date(when);
    if (Number.isNaN(at.getTime())) {
      setError('Choose a date and time for the meeting.');
      return;
    }
    replica.run(addAdHocMeeting, { scheduledFor: at.toISOString() });
    onOpenChange(false);
  };
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Add a meeting"
      description={`A meeting outside the regular cadence, for you and ${partnerName}; the regular meetings stay as they are.`}
    >
      <form className="form" onSubmit={submit} noValidate>
        <TextField label="Date and time" type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} />
        <FormFooter error={error} submitLabel="Add meeting" disabled={false} onCancel={() => onOpenChange(false)} />
      </form>
    </Dialog>
  );
}
