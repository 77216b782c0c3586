/**
 * Questions a nudge offers to add to the next agenda, by purpose: those of the question library
 * (domain/questions.ts).
 */
import type { Purpose } from '../schemas.js';
import { hash32 } from '../domain/check-in-prompts.js';
import { QUESTIONS, categoryPurpose, type QuestionCategory } from '../domain/questions.js';

export interface SuggestedQuestion {
  purpose: Purpose;
  text: string;
}

/** The library's questions of the five conversation purposes (check-in, first 1:1 and skip-level questions are for other moments). */
const PURPOSE_CATEGORIES = new Set<QuestionCategory>(['career', 'coaching', 'feedback', 'connection', 'clearing-the-air']);

export const QUESTION_SOURCE: readonly SuggestedQuestion[] = QUESTIONS.filter((q) => PURPOSE_CATEGORIES.has(q.category)).map((q) => ({
  purpose: categoryPurpose(q.category),
  text: q.text,
}));

/** A question of `purpose`, chosen from `seed` so both people are offered the same one. */
export function suggestedQuestion(purpose: Purpose, seed: string): SuggestedQuestion | null {
  const fitting = QUESTION_SOURCE.filter((q) => q.purpose === purpose);
  return fitting[hash32(seed) % fitting.length] ?? null;
}
