/**
 * The question library and templates: find a question worth asking and add it to the next
 * meeting's agenda (with its purpose) or make it the check-in prompt; write your own, kept on this
 * device or shared in this 1:1; or start the agenda from a template.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { setCheckInPrompt } from '../../shared/domain/check-in-prompts.js';
import { addAgendaItem } from '../../shared/domain/commands.js';
import {
  QUESTION_CATEGORIES,
  QUESTIONS,
  categoryPurpose,
  findQuestions,
  readSharedQuestions,
  shareQuestion,
  unshareQuestion,
  type OwnQuestion,
  type QuestionCategory,
} from '../../shared/domain/questions.js';
import { questionsMap } from '../../shared/domain/series-doc.js';
import { TEMPLATES, applyTemplate } from '../../shared/domain/templates.js';
import { Button } from '../components/Button.js';
import { Dialog } from '../components/Dialog.js';
import { Select } from '../components/Select.js';
import { useToasts } from '../components/Toasts.js';
import { useApp } from '../lib/app-context.js';
import { useFormAction } from '../lib/use-form-action.js';
import type { SeriesReplica } from '../replica/series-replica.js';
import { useDocPart } from '../replica/use-doc-part.js';
import type * as Y from 'yjs';

type Source = 'library' | 'mine' | 'shared';
type Listed = OwnQuestion & { source: Source };

const categoryLabel = (id: QuestionCategory) => QUESTION_CATEGORIES.find((c) => c.id === id)?.label ?? id;
const CATEGORY_CHOICES = QUESTION_CATEGORIES.map((c) => ({ value: c.id, label: c.label }));

export function QuestionLibrary({
  replica,
  meetingId,
  open,
  onOpenChange,
}: {
  replica: SeriesReplica;
  meetingId: string | null;
  open: boolean;
  onOpenChange(open: boolean): void;
}) {
  const { api } = useApp();
  const toasts = useToasts();
  const [query, setQuery] = useState('');
  const [category, setCategory] = useState<QuestionCategory | ''>('');
  const [mine, setMine] = useState<OwnQuestion[]>([]);
  const shared = useDocPart(questionsMap(replica.doc) as Y.AbstractType<unknown>, () => readSharedQuestions(replica.doc));

  useEffect(() => {
    if (open) api.listOwnQuestions().then(setMine, toasts.showError);
  }, [api, open, toasts]);

  const all: Listed[] = [
    ...mine.map((q) => ({ ...q, source: 'mine' as const })),
    ...shared.map((q) => ({ ...q, source: 'shared' as const })),
    ...QUESTIONS.map((q) => ({ ...q, source: 'library' as const })),
  ];
  const found = findQuestions(all, query, category || null);

  const addToAgenda = (q: Listed) => {
    replica.run(addAgendaItem, { title: q.text, purpose: categoryPurpose(q.category) });
    toasts.showInfo(`Added to the next meeting: ${q.text}`);
  };
  const useAsCheckIn = (q: Listed) => {
    if (!meetingId) return;
    replica.run(setCheckInPrompt, { meetingId, prompt: q.text });
    toasts.showInfo(`Check-in prompt set: ${q.text}`);
  };
  const remove = async (q: Listed) => {
    if (q.source === 'shared') replica.run(unshareQuestion, { id: q.id });
    else if (q.source === 'mine') {
      await api.removeOwnQuestion({ id: q.id });
      setMine((list) => list.filter((m) => m.id !== q.id));
    }
  };
  const apply = (templateId: string, name: string) => {
    const added = replica.run(applyTemplate, { templateId });
    toasts.showInfo(
      added.length
        ? `${name}: ${added.length} item${added.length === 1 ? '' : 's'} added to the next meeting.`
        : `${name}: already on the agenda.`,
    );
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Questions and templates">
      <div className="library">
        <div className="library__filters">
          <input
            className="input"
            type="search"
            aria-label="Search questions"
            placeholder="Search questions…"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          <Select<QuestionCategory | ''>
            label="Category"
            value={category}
            choices={[{ value: '', label: 'All categories' }, ...CATEGORY_CHOICES]}
            onChange={setCategory}
          />
        </div>
        <p className="meta muted" aria-live="polite">
          {found.length} question{found.length === 1 ? '' : 's'}
        </p>
        <ul className="library__list" aria-label="Questions">
          {found.map((q) => (
            <li key={`${q.source}:${q.id}`} className="library__question">
              <p className="library__text">{q.text}</p>
              <p className="meta muted">
                {categoryLabel(q.category)}
                {q.source === 'mine' ? ' · yours' : q.source === 'shared' ? ' · shared in this 1:1' : ''}
                {q.when ? ` · ${q.when}` : ''}
              </p>
              <div className="library__actions">
                <Button size="small" onClick={() => addToAgenda(q)} aria-label={`Add to agenda: ${q.text}`}>
                  Add to agenda
                </Button>
                {meetingId && (
                  <Button size="small" variant="ghost" onClick={() => useAsCheckIn(q)} aria-label={`Use as check-in: ${q.text}`}>
                    Use as check-in
                  </Button>
                )}
                {q.source !== 'library' && (
                  <Button size="small" variant="ghost" onClick={() => void remove(q)} aria-label={`Remove: ${q.text}`}>
                    Remove
                  </Button>
                )}
              </div>
            </li>
          ))}
        </ul>
        <OwnQuestionForm replica={replica} onAdded={(q) => setMine((list) => [...list, q])} />
        <h3>Templates</h3>
        <ul className="library__list" aria-label="Templates">
          {TEMPLATES.map((t) => (
            <li key={t.id} className="library__question">
              <p className="library__text">{t.name}</p>
              <p className="meta muted">
                {t.description} {t.items.length} items.
              </p>
              <div className="library__actions">
                <Button size="small" onClick={() => apply(t.id, t.name)} aria-label={`Apply template: ${t.name}`}>
                  Apply
                </Button>
              </div>
            </li>
          ))}
        </ul>
      </div>
    </Dialog>
  );
}

function OwnQuestionForm({ replica, onAdded }: { replica: SeriesReplica; onAdded(q: OwnQuestion): void }) {
  const { api } = useApp();
  const [text, setText] = useState('');
  const [when, setWhen] = useState('');
  const [category, setCategory] = useState<QuestionCategory>('check-in');
  const [share, setShare] = useState(false);
  const { busy, error, run } = useFormAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const question = { text, when, category };
      if (share) replica.run(shareQuestion, question);
      else onAdded(await api.addOwnQuestion(question));
      setText('');
      setWhen('');
    });
  };

  return (
    <form className="library__own" onSubmit={submit} aria-label="Write your own question">
      <h3>Write your own</h3>
      <input
        className="input"
        aria-label="Your question"
        placeholder="Your question…"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <input
        className="input"
        aria-label="When to ask it"
        placeholder="When to ask it (optional)"
        value={when}
        onChange={(e) => setWhen(e.target.value)}
      />
      <Select<QuestionCategory> label="Its category" value={category} choices={CATEGORY_CHOICES} onChange={setCategory} />
      <label className="library__share">
        <input type="checkbox" checked={share} onChange={(e) => setShare(e.target.checked)} /> Share in this 1:1
      </label>
      {error && (
        <p className="inline-alert" role="alert">
          {error}
        </p>
      )}
      <Button type="submit" disabled={busy || !text.trim()}>
        Save question
      </Button>
    </form>
  );
}
