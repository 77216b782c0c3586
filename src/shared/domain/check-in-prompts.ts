/**
 * The check-in that opens every 1:1: one question both people answer in a line, before any
 * business. Either person may pick the prompt of a meeting (from the question library or their
 * own); otherwise it is chosen from the library's check-in questions by the meeting's id, so both
 * sides see the same one without agreeing on anything, and consecutive meetings rarely repeat.
 *
 * Layout added to a meeting's Y.Map: checkInPrompt (string), the prompt someone picked.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { TandemError } from '../errors.js';
import { run, type CommandContext } from './commands.js';
import { QUESTIONS } from './questions.js';
import { meetingsMap } from './series-doc.js';

export const CHECK_IN_PROMPTS: readonly string[] = QUESTIONS.filter((q) => q.category === 'check-in').map((q) => q.text);

export const PROMPT_MAX = 500;
const Prompt = z.string().trim().min(1).max(PROMPT_MAX);

/** A 32-bit FNV-1a hash: stable across platforms, enough to spread ids over a short list. */
export function hash32(value: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function checkInPrompt(meetingId: string): string {
  return CHECK_IN_PROMPTS[hash32(meetingId) % CHECK_IN_PROMPTS.length]!;
}

/** The meeting's check-in prompt: the one someone picked, else the rotating one. */
export function checkInPromptFor(doc: Y.Doc, meetingId: string): string {
  const m = meetingsMap(doc).get(meetingId);
  const picked = Prompt.safeParse(m instanceof Y.Map ? m.get('checkInPrompt') : undefined);
  return picked.success ? picked.data : checkInPrompt(meetingId);
}

/** Picks the check-in prompt of a meeting (empty: back to the rotating one). */
export function setCheckInPrompt(doc: Y.Doc, input: { meetingId: string; prompt: string }, _ctx: CommandContext): void {
  const m = meetingsMap(doc).get(input.meetingId);
  if (!(m instanceof Y.Map)) throw new TandemError('not-found', `meeting ${input.meetingId} does not exist`);
  const prompt = input.prompt.trim().slice(0, PROMPT_MAX);
  run(doc, () => (prompt ? m.set('checkInPrompt', prompt) : m.delete('checkInPrompt')));
}
