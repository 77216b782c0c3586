/**
 * The quick way in: type, Enter, keep typing the next one. The half-typed line is this person's
 * draft, not the 1:1's yet: it is kept on this device (per 1:1) so a reload does not lose it.
 */
import { useId, useState, type FormEvent } from 'react';
import { addAgendaItem, TITLE_MAX } from '../../shared/domain/commands.js';
import { cutTo } from '../../shared/domain/text-change.js';
import type { Purpose } from '../../shared/schemas.js';
import { Button } from '../components/Button.js';
import { Select } from '../components/Select.js';
import { PURPOSES } from '../lib/labels.js';
import type { SeriesReplica } from '../replica/series-replica.js';
import { LengthNote, TITLE_WARN } from './LengthNote.js';

const draftKey = (seriesId: string) => `tandem.new-item.${seriesId}`;

function readDraft(seriesId: string): string {
  try {
    return localStorage.getItem(draftKey(seriesId)) ?? '';
  } catch {
    return '';
  }
}

function keepDraft(seriesId: string, title: string): void {
  try {
    if (title) localStorage.setItem(draftKey(seriesId), title);
    else localStorage.removeItem(draftKey(seriesId));
  } catch {
    // Storage full or off: the draft stays on the page only.
  }
}

export function AddAgendaItem({ replica }: { replica: SeriesReplica }) {
  const { seriesId } = replica;
  const noteId = useId();
  const [title, setTitleState] = useState(() => readDraft(seriesId));
  // Never sticky: each new item starts without a purpose, so none is filed under the last one's.
  const [purpose, setPurpose] = useState<Purpose | ''>('');
  const [dropped, setDropped] = useState(0);

  const setTitle = (value: string) => {
    setTitleState(value);
    keepDraft(seriesId, value);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) return;
    replica.run(addAgendaItem, { title: trimmed, purpose: purpose || undefined });
    setTitle('');
    setPurpose('');
    setDropped(0);
  };

  const note = dropped > 0 || title.length >= TITLE_WARN;
  return (
    <div className="add-item">
      <form className="add-item__form" onSubmit={submit}>
        <input
          className="input add-item__title"
          aria-label="New agenda item"
          aria-describedby={note ? noteId : undefined}
          placeholder="Add something to talk about…"
          value={title}
          onChange={(e) => {
            const value = e.target.value;
            setDropped(Math.max(0, value.length - TITLE_MAX));
            setTitle(cutTo(value, TITLE_MAX));
          }}
          onKeyDown={(e) => e.key === 'Escape' && setTitle('')}
        />
        <Select<Purpose | ''>
          className="add-item__purpose"
          label="Purpose"
          value={purpose}
          choices={[{ value: '', label: 'No purpose' }, ...PURPOSES]}
          onChange={setPurpose}
        />
        <Button type="submit" variant="primary" disabled={!title.trim()}>
          Add
        </Button>
      </form>
      {note && <LengthNote id={noteId} what="Titles" length={title.length} max={TITLE_MAX} warnFrom={TITLE_WARN} dropped={dropped} />}
    </div>
  );
}
