/**
 * The end of a meeting: what was discussed, the next steps with owners and dates (pointing out
 * those missing either), and what was not reached, which carries over to the next meeting.
 */
import { endMeeting, summarizeMeeting, type MeetingState } from '../../shared/domain/meetings.js';
import { Button } from '../components/Button.js';
import { Dialog, DialogActions } from '../components/Dialog.js';
import type { SeriesReplica } from '../replica/series-replica.js';
import { ownerName, type People } from './NextStepRow.js';

export function EndMeetingDialog({
  replica,
  meeting,
  people,
  open,
  onOpenChange,
}: {
  replica: SeriesReplica;
  meeting: MeetingState;
  people: People;
  open: boolean;
  onOpenChange(open: boolean): void;
}) {
  if (!open) return null;
  const summary = summarizeMeeting(replica.doc, meeting.id);
  const end = () => {
    replica.run(endMeeting, { meetingId: meeting.id });
    onOpenChange(false);
  };
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="End this 1:1">
      <div className="summary">
        <h3>Discussed</h3>
        {summary.discussed.length ? (
          <ul>
            {summary.discussed.map((i) => (
              <li key={i.id}>{i.title}</li>
            ))}
          </ul>
        ) : (
          <p className="muted">Nothing marked discussed.</p>
        )}
        {summary.settled.length > 0 && (
          <>
            <h3>Settled async</h3>
            <ul aria-label="Settled async">
              {summary.settled.map((i) => (
                <li key={i.id}>{i.title}</li>
              ))}
            </ul>
          </>
        )}
        <h3>Next steps</h3>
        {summary.nextSteps.length ? (
          <ul>
            {summary.nextSteps.map((s) => (
              <li key={s.id}>
                {s.text} — {ownerName(s, people)}, {s.due ?? 'no due date'}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No next steps agreed.</p>
        )}
        {summary.incomplete.length > 0 && (
          <p className="inline-alert" role="alert">
            {summary.incomplete.length === 1 ? 'One next step has' : `${summary.incomplete.length} next steps have`} no owner or no due
            date: {summary.incomplete.map((s) => s.text).join(', ')}.
          </p>
        )}
        <h3>Not reached</h3>
        {summary.notReached.length ? (
          <>
            <ul>
              {summary.notReached.map((i) => (
                <li key={i.id}>{i.title}</li>
              ))}
            </ul>
            <p className="muted">These carry over to the next meeting.</p>
          </>
        ) : (
          <p className="muted">Everything was reached.</p>
        )}
      </div>
      <DialogActions>
        <Button onClick={() => onOpenChange(false)}>Keep going</Button>
        <Button variant="primary" onClick={end}>
          End meeting
        </Button>
      </DialogActions>
    </Dialog>
  );
}
