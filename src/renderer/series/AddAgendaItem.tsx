/** The quick way in: type, Enter, keep typing the next one. */
import { useState, type FormEvent } from 'react';
import { addAgendaItem } from '../../shared/domain/commands.js';
import type { Purpose } from '../../shared/schemas.js';
import { Button } from '../components/Button.js';
import { PURPOSES } from '../lib/labels.js';
import type { SeriesReplica } from '../replica/series-replica.js';

export function AddAgendaItem({ replica }: { replica: SeriesReplica }) {
  const [title, setTitle] = useState('');
  const [purpose, setPurpose] = useState<Purpose>('status');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) return;
    replica.run(addAgendaItem, { title: trimmed.slice(0, 500), purpose });
    setTitle('');
  };

  return (
    <form className="add-item" onSubmit={submit}>
      <input
        className="input add-item__title"
        aria-label="New agenda item"
        placeholder="Add something to talk about…"
        maxLength={500}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && setTitle('')}
      />
      <select
        className="input add-item__purpose"
        aria-label="Purpose"
        value={purpose}
        onChange={(e) => setPurpose(e.target.value as Purpose)}
      >
        {PURPOSES.map((p) => (
          <option key={p.value} value={p.value}>
            {p.label}
          </option>
        ))}
      </select>
      <Button type="submit" variant="primary" disabled={!title.trim()}>
        Add
      </Button>
    </form>
  );
}
