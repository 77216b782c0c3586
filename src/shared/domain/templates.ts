/**
 * Starting agendas for the conversations that most need preparing, and the command that applies
 * one to the next meeting. Applying is idempotent and convergent: an item whose title is already
 * on the next meeting's agenda is not added again, and each template item gets an id derived from
 * the template, the item and the meeting, so two people applying the same template offline write
 * the same entries instead of two copies.
 */
import type * as Y from 'yjs';
import { TandemError } from '../errors.js';
import type { Purpose } from '../schemas.js';
import { hash32 } from './check-in-prompts.js';
import { addAgendaItem, run, type CommandContext } from './commands.js';
import { agendaFor, nextMeeting } from './series-doc.js';

export interface TemplateItem {
  title: string;
  purpose: Purpose;
  context: string;
}

export interface Template {
  id: string;
  name: string;
  description: string;
  items: readonly TemplateItem[];
}

/** One agenda item per row, [purpose, title, context]: a template reads as the agenda it starts. */
type Row = readonly [Purpose, string, string?];
const rows = (table: readonly Row[]): TemplateItem[] => table.map(([purpose, title, context = '']) => ({ title, purpose, context }));

export const TEMPLATES: readonly Template[] = [
  {
    id: 'first',
    name: 'First 1:1',
    description: 'Get to know each other and agree on what these meetings are for.',
    items: rows([
      ['connection', 'What would you like these 1:1s to be for?', 'Agree on purpose, cadence and who brings what.'],
      ['feedback', 'How we each like to give and receive feedback', 'In the moment, written, or saved for 1:1s.'],
      ['connection', 'What should I know about how you work best?', 'Hours, focus time, communication habits.'],
      ['career', 'Hopes for the next six months'],
    ]),
  },
  {
    id: 'career',
    name: 'Career conversation',
    description: 'Step back from the week: where this is heading and what would help.',
    items: rows([
      ['career', 'Where would you like to be in two years?', 'Roles, skills, kinds of work.'],
      ['career', 'What energises you in your current work, and what drains you?'],
      ['career', 'One skill to grow this quarter', 'And how we will know it grew.'],
      ['career', 'Opportunities to look out for', 'Projects, people to learn from, visibility.'],
    ]),
  },
  {
    id: 'feedback',
    name: 'Feedback session',
    description: 'Feedback in both directions, with concrete examples.',
    items: rows([
      ['feedback', 'What is going well: keep doing', 'Concrete examples from the last weeks.'],
      ['feedback', 'One thing to change, with an example'],
      ['feedback', 'Feedback for me as your manager or colleague'],
      ['coaching', 'What we agree to try before next time'],
    ]),
  },
  {
    id: 'clearing-the-air',
    name: 'Clearing the air',
    description: 'Name what went wrong, hear each other out, agree how to go on.',
    items: rows([
      ['clearing-the-air', 'What happened, as each of us saw it', 'Each person speaks without being interrupted.'],
      ['clearing-the-air', 'What it cost each of us'],
      ['clearing-the-air', 'Where we agree, and where we still disagree'],
      ['clearing-the-air', 'What we agree on from here', 'Write it down as next steps.'],
    ]),
  },
  {
    id: 'skip-level',
    name: 'Skip-level',
    description: 'Hear what does not travel up the usual way.',
    items: rows([
      ['connection', 'What is going well in your team?'],
      ['feedback', 'What gets in the way of shipping?', 'Process, tools, decisions, dependencies.'],
      ['feedback', 'What leadership does not seem to know', 'Said here stays here unless you agree otherwise.'],
      ['career', 'How your manager helps you grow'],
      ['connection', 'Questions for me'],
    ]),
  },
];

const sameTitle = (a: string, b: string) => a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();

/** A UUID-shaped id made from `seed`, the same on every device. */
export function seededId(seed: string): string {
  const hex = [1, 2, 3, 4]
    .map((k) =>
      hash32(seed, hash32(String(k)))
        .toString(16)
        .padStart(8, '0'),
    )
    .join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Adds the template's items to the next meeting's agenda, skipping titles already there; returns the ids added. */
export function applyTemplate(doc: Y.Doc, input: { templateId: string }, ctx: CommandContext): string[] {
  const template = TEMPLATES.find((t) => t.id === input.templateId);
  if (!template) throw new TandemError('not-found', `There is no template called ${input.templateId}.`);
  const present = agendaFor(doc, null).map((i) => i.title);
  const meeting = nextMeeting(doc)?.id ?? 'unplanned';
  return run(doc, () => {
    const added: string[] = [];
    for (const item of template.items) {
      if (present.some((title) => sameTitle(title, item.title))) continue;
      added.push(addAgendaItem(doc, { ...item, id: seededId(`${template.id}\n${item.title}\n${meeting}`) }, ctx));
      present.push(item.title);
    }
    return added;
  });
}
