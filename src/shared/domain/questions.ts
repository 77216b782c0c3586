/**
 * The question library: questions worth bringing to a 1:1, grouped by what they are for, each
 * with a note on when to ask it. Written for Tandem. A question is added to the agenda as an item
 * (with its purpose) or used as a meeting's check-in prompt; people add their own beside these:
 * kept on their device (a setting), or shared in a 1:1, in the series document's root map
 *
 *   questions  Y.Map  id → { category, text, when, by, at }
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { TandemError } from '../errors.js';
import { explainZodError, say, type Purpose } from '../schemas.js';
import { run, type CommandContext } from './commands.js';
import { questionsMap } from './series-doc.js';

export const QUESTION_CATEGORIES = [
  { id: 'check-in', label: 'Check-in', purpose: 'connection' },
  { id: 'first', label: 'First 1:1', purpose: 'connection' },
  { id: 'career', label: 'Career development', purpose: 'career' },
  { id: 'coaching', label: 'Coaching', purpose: 'coaching' },
  { id: 'feedback', label: 'Real-time feedback', purpose: 'feedback' },
  { id: 'connection', label: 'Human connection', purpose: 'connection' },
  { id: 'clearing-the-air', label: 'Clearing the air', purpose: 'clearing-the-air' },
  { id: 'skip-level', label: 'Skip-level', purpose: 'feedback' },
] as const satisfies readonly { id: string; label: string; purpose: Purpose }[];

export type QuestionCategory = (typeof QUESTION_CATEGORIES)[number]['id'];
export const CATEGORY_IDS = QUESTION_CATEGORIES.map((c) => c.id) as [QuestionCategory, ...QuestionCategory[]];

export interface Question {
  id: string;
  category: QuestionCategory;
  text: string;
  /** When the question earns its place. */
  when: string;
}

/** [text, when] per category; ids are the category and position, stable as long as questions are only appended. */
const WRITTEN: Record<QuestionCategory, readonly (readonly [string, string])[]> = {
  'check-in': [
    ['What is one thing that gave you energy this week?', 'Any week; it starts on what works.'],
    ['On a scale of one to ten, how full is your tank today, and why?', 'When workload has been heavy; a number makes a trend visible.'],
    ['What is something small that went well since we last met?', 'After a rough stretch, to find footing.'],
    ['What has been on your mind outside of work lately?', 'When you have time and trust is there; never push.'],
    ['If this week had a weather forecast, what would it be?', 'When someone finds feelings hard to name directly.'],
    ['What is one thing you are looking forward to?', 'Before holidays or the end of a project.'],
    ['What drained you this week, and what would have helped?', 'During crunch periods, to catch strain early.'],
    ['Who made your week better, and how?', 'To surface recognition you may want to pass on.'],
    ['What did you learn recently that surprised you?', 'When work has become routine.'],
    ['What would make today a good day for you?', 'At the start of a busy day.'],
    ['What is one thing you would like to stop doing?', 'When someone seems spread thin.'],
    ['How are you, really, in one sentence?', 'When the usual "fine" is not the whole answer.'],
    ['What are you proud of that nobody noticed?', 'After a release, when quiet work goes unseen.'],
    ['What is taking more of your attention than it deserves?', 'When focus seems scattered.'],
  ],
  first: [
    [
      'How do you like to receive feedback: in the moment, written, or saved for our 1:1s?',
      'In the first meeting, before any feedback is needed.',
    ],
    ['What did a great manager or colleague do for you in the past?', 'First meeting: it tells you what to copy.'],
    ['What should I know about how you work best?', 'First meeting, or after a team change.'],
    ['What would you like these 1:1s to be for?', 'First meeting, to agree on their purpose together.'],
    ['How often and how long should we meet, and what would make you cancel?', 'First meeting, to set the cadence deliberately.'],
    ['What are you hoping to get out of the next six months here?', 'First or second meeting.'],
    ['Is there anything outside work you would like me to be aware of?', 'First meeting; make clear it is optional.'],
    ['What tends to stress you out at work, and how will I notice?', 'Early on, so signals are not missed later.'],
    ['How do you prefer to be recognised: in public, in private, or not at all?', 'First meeting.'],
    ['What is one thing you wish people knew about you?', 'When you are new to each other.'],
  ],
  career: [
    ['Where would you like to be in two years, and what is in the way?', 'Once a quarter, in a meeting given to career alone.'],
    ['Which part of your work would you happily do more of?', 'When planning the next project or role.'],
    ['What skill would make the biggest difference to your next step?', 'When setting growth goals.'],
    ['Whose career path looks interesting to you, and why?', 'When someone is unsure what they want next.'],
    ['What kind of work do you want to be known for?', 'Before a promotion cycle.'],
    ['What would you need to see to feel you are growing here?', 'When engagement seems to dip.'],
    ['Is there a stretch project you would like me to look out for?', 'When new work is being planned.'],
    ['What part of your current role would you hand over if you could?', 'When someone is ready for more scope.'],
    ['How can I help you become more visible to the people who decide?', 'Ahead of reviews or calibration.'],
    ['If you left in a year, what would you want to have learned here?', 'In a quiet period, once trust is established.'],
    ['What does success look like for you this quarter, in your own words?', 'At the start of a quarter.'],
  ],
  coaching: [
    ['What is the hardest problem on your plate right now?', 'Any week; let them choose the topic.'],
    ['What have you already tried, and what happened?', 'When someone brings a problem; before offering advice.'],
    ['If you had to decide today, what would you do?', 'When someone is stuck between options.'],
    ['What would you tell a colleague in your position?', 'When someone is too close to a problem.'],
    ['What is the smallest next step you could take this week?', 'When a problem feels too big to start.'],
    ['What support do you need from me on this, if any?', 'At the end of a coaching conversation.'],
    ['Which assumption here could be wrong?', 'When a plan rests on something untested.'],
    ['What would make this problem go away entirely?', 'When incremental fixes keep failing.'],
    ['Who else has solved something like this?', 'When someone works alone too much.'],
    ['How will you know it worked?', 'Before committing to a plan.'],
  ],
  feedback: [
    ['What is one thing I could do differently to help you more?', 'Regularly; ask it even when things are fine.'],
    ['Can I share an observation from the meeting on Tuesday?', 'Within days of what happened, while it is fresh.'],
    ['What is working well in how we work together, and what is not?', 'Every month or two.'],
    ['What feedback have you received lately that stuck with you?', 'After a review or a project retrospective.'],
    ['Is there anything I did recently that made your job harder?', 'After a stressful period or a quick decision.'],
    ['What would you like more feedback on?', 'When someone is working on a specific skill.'],
    ['How did that presentation feel from your side?', 'Right after a visible moment, before offering your view.'],
    ['What should I keep doing as your manager?', 'Together with what to change, so both are heard.'],
    ['Was the feedback I gave last time useful, and how could it be clearer?', 'A week or two after giving hard feedback.'],
    ['Which of our team habits would you change first?', 'When processes feel heavy.'],
  ],
  connection: [
    ['What did you do this weekend that you enjoyed?', 'At the start of a week; keep it light.'],
    ['What are you reading, watching or listening to lately?', 'When conversation has been all business.'],
    ['What is something you are looking forward to outside work?', 'Before a break or a holiday.'],
    ['What was the best part of your week so far?', 'Midweek.'],
    ['How is the balance between work and everything else right now?', 'When hours have been long.'],
    ['Is there anything in your life I should make room for at work?', 'After a life event, or when someone seems preoccupied.'],
    ['What got you into this line of work in the first place?', 'When you are still getting to know each other.'],
    ['What does a good day off look like for you?', 'Before holiday season.'],
    ['Which colleague would you like to know better?', 'In new or growing teams.'],
    ['What is a small thing that would make work nicer for you?', 'Any time; small fixes build trust.'],
  ],
  'clearing-the-air': [
    ['Something felt off between us last week; can we talk about it?', 'Soon after the moment; waiting makes it bigger.'],
    ['Is there anything you have been hesitant to bring up with me?', 'When conversations feel guarded.'],
    ['How did you experience that decision, and what did it cost you?', 'After a decision someone disagreed with.'],
    ['What would you need from me to move past this?', 'When a conflict has been named and heard.'],
    ['I may have got this wrong; how did it land for you?', 'When you suspect you hurt or sidelined someone.'],
    ['What is the story you are telling yourself about what happened?', 'When a misunderstanding has grown.'],
    ['Where do we actually disagree, and where do we agree?', 'When a disagreement has become personal.'],
    ['What would a fair outcome look like to you?', 'When tension is about how work or credit was shared.'],
    ['Is the tension between you and someone else affecting your work?', 'When you notice friction in the team.'],
    ['What should we agree on so this does not happen again?', 'To close a difficult conversation.'],
  ],
  'skip-level': [
    ['What is one thing leadership does not seem to know about your team?', 'Each skip-level; the reason it exists.'],
    ['What gets in the way of your team shipping?', 'Quarterly, or when delivery slows.'],
    ['How is your manager helping you grow, and where could they do more?', 'Once trust is there; promise discretion.'],
    ['If you ran the department for a week, what would you change first?', 'When you want unfiltered ideas.'],
    ['Which decision from above made the least sense to you lately?', 'After a reorganisation or a strategy change.'],
    ['Do you understand how your work connects to the company goals?', 'After goal-setting season.'],
    ['Who on your team deserves more recognition?', 'Before reviews.'],
    ['What would make you more likely to stay here for years?', 'In a stable period, not during a crisis.'],
    ['Is there a process we could drop without anyone missing it?', 'When teams complain about overhead.'],
    ['What rumour or worry is going around that I should address?', 'After announcements or during change.'],
  ],
};

export const QUESTIONS: readonly Question[] = QUESTION_CATEGORIES.flatMap(({ id: category }) =>
  WRITTEN[category].map(([text, when], n) => ({ id: `${category}-${n + 1}`, category, text, when })),
);

export function categoryPurpose(category: QuestionCategory): Purpose {
  return QUESTION_CATEGORIES.find((c) => c.id === category)!.purpose;
}

const fold = (s: string) => s.toLocaleLowerCase().normalize('NFKD').replace(/\p{M}/gu, '');

/**
 * The questions matching every word of `query` (in their text or their note), optionally of one
 * category; those whose text matches ranking before those matched only by their note.
 */
export function findQuestions<Q extends Question>(questions: readonly Q[], query: string, category?: QuestionCategory | null): Q[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  const inCategory = category ? questions.filter((q) => q.category === category) : [...questions];
  if (!words.length) return inCategory;
  const scored: { q: Q; score: number }[] = [];
  for (const q of inCategory) {
    const text = fold(q.text);
    const when = fold(q.when);
    if (!words.every((w) => text.includes(w) || when.includes(w))) continue;
    scored.push({ q, score: words.filter((w) => text.includes(w)).length });
  }
  return scored.sort((a, b) => b.score - a.score).map((s) => s.q);
}

export const QUESTION_TEXT_MAX = 500;

/** A question someone wrote: the library's shape, checked wherever it comes from (a setting, a peer). */
export const OwnQuestion = z.object({
  id: z.string().min(1).max(64),
  category: z.enum(CATEGORY_IDS),
  text: z.string().trim().min(1, say('A question needs a few words.')).max(QUESTION_TEXT_MAX),
  when: z.string().trim().max(QUESTION_TEXT_MAX).default(''),
});
export type OwnQuestion = z.infer<typeof OwnQuestion>;

/** The questions shared in this 1:1, oldest first; what a peer wrote wrongly is passed over. */
export function readSharedQuestions(doc: Y.Doc): (OwnQuestion & { by: string; at: string })[] {
  const found: (OwnQuestion & { by: string; at: string })[] = [];
  questionsMap(doc).forEach((value, id) => {
    const q = OwnQuestion.omit({ id: true })
      .extend({ by: z.string().max(64).catch(''), at: z.string().max(40).catch('') })
      .safeParse(value);
    if (q.success) found.push({ ...q.data, id });
  });
  return found.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
}

/** Shares a question in this 1:1, so the other person finds it in their library too. */
export function shareQuestion(doc: Y.Doc, input: Omit<OwnQuestion, 'id'> & { id?: string }, ctx: CommandContext): string {
  const id = input.id ?? crypto.randomUUID();
  const parsed = OwnQuestion.safeParse({ ...input, id });
  if (!parsed.success) throw new TandemError('invalid-input', explainZodError(parsed.error));
  const q = parsed.data;
  run(doc, () =>
    questionsMap(doc).set(id, { category: q.category, text: q.text, when: q.when, by: ctx.userId, at: ctx.now.toISOString() }),
  );
  return id;
}

export function unshareQuestion(doc: Y.Doc, input: { id: string }, _ctx: CommandContext): void {
  run(doc, () => questionsMap(doc).delete(input.id));
}
