/**
 * Questions a nudge offers to add to the next agenda, by purpose. The nudge picks from
 * `QUESTION_SOURCE`; a fuller question library replaces this list by being assigned there.
 */
import type { Purpose } from '../schemas.js';
import { hash32 } from '../domain/check-in-prompts.js';

export interface SuggestedQuestion {
  purpose: Purpose;
  text: string;
}

const BUILT_IN: readonly SuggestedQuestion[] = [
  { purpose: 'career', text: 'Where would you like to be in two years, and what would help you get there?' },
  { purpose: 'career', text: 'Which part of your work would you like to do more of, and which less?' },
  { purpose: 'career', text: 'What skill would you like to build next, and where could you practise it here?' },
  { purpose: 'coaching', text: 'What problem are you stuck on that we could think through together?' },
  { purpose: 'coaching', text: 'What decision is coming up that you would like a second opinion on?' },
  { purpose: 'feedback', text: 'What is one thing I could do differently that would help you most?' },
  { purpose: 'feedback', text: 'What went well in your last piece of work, and what would you change?' },
  { purpose: 'connection', text: 'What would you most like to talk about today?' },
  { purpose: 'connection', text: 'How are you doing, away from the work itself?' },
  { purpose: 'clearing-the-air', text: 'Is there anything between us that has been left unsaid?' },
];

export const QUESTION_SOURCE: readonly SuggestedQuestion[] = BUILT_IN;

/** A question of `purpose`, chosen from `seed` so both people are offered the same one. */
export function suggestedQuestion(purpose: Purpose, seed: string): SuggestedQuestion | null {
  const fitting = QUESTION_SOURCE.filter((q) => q.purpose === purpose);
  return fitting[hash32(seed) % fitting.length] ?? null;
}
