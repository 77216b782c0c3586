/** One next step: done box, its text, owner and due date, each edited through its domain command. */
import { useState } from 'react';
import { editNextStepText, setNextStepDone, setNextStepDue, setNextStepOwner, type NextStep } from '../../shared/domain/meetings.js';
import type { SeriesReplica } from '../replica/series-replica.js';

export interface People {
  me: { id: string; name: string };
  partner: { id: string | null; name: string };
}

export function ownerName(step: NextStep, people: People): string {
  if (!step.ownerId) return 'No owner';
  return step.ownerId === people.me.id ? 'Me' : people.partner.name;
}

export function NextStepRow({ replica, step, people }: { replica: SeriesReplica; step: NextStep; people: People }) {
  const label = step.text;
  // While the field is focused it shows what is typed, even emptied: an empty text is not stored
  // (a next step says what will be done), and leaving the field shows the stored text again.
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <li className={`next-step${step.done ? ' next-step--done' : ''}`}>
      <input
        type="checkbox"
        className="next-step__done"
        aria-label={`Done: ${label}`}
        checked={step.done}
        onChange={(e) => replica.run(setNextStepDone, { stepId: step.id, done: e.target.checked })}
      />
      <input
        className="input next-step__text"
        aria-label={`Next step: ${label}`}
        value={draft ?? step.text}
        onChange={(e) => {
          setDraft(e.target.value);
          if (e.target.value.trim()) replica.run(editNextStepText, { stepId: step.id, value: e.target.value });
        }}
        onBlur={() => setDraft(null)}
      />
      <select
        aria-label={`Owner of ${label}`}
        value={step.ownerId ?? ''}
        onChange={(e) => replica.run(setNextStepOwner, { stepId: step.id, ownerId: e.target.value || null })}
      >
        <option value="">No owner</option>
        <option value={people.me.id}>Me ({people.me.name})</option>
        {people.partner.id && <option value={people.partner.id}>{people.partner.name}</option>}
      </select>
      <input
        type="date"
        aria-label={`Due date of ${label}`}
        value={step.due ?? ''}
        onChange={(e) => replica.run(setNextStepDue, { stepId: step.id, due: e.target.value || null })}
      />
    </li>
  );
}
