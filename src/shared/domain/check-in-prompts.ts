/**
 * The check-in that opens every 1:1: one question both people answer in a line, before any
 * business. The prompt is chosen from the meeting's id, so both sides see the same one without
 * agreeing on anything, and consecutive meetings rarely repeat.
 */
export const CHECK_IN_PROMPTS: readonly string[] = [
  'What is one thing that gave you energy this week?',
  'On a scale of one to ten, how full is your tank today, and why?',
  'What is something small that went well since we last met?',
  'What has been on your mind outside of work lately?',
  'If this week had a weather forecast, what would it be?',
  'What is one thing you are looking forward to?',
  'What drained you this week, and what would have helped?',
  'Who made your week better, and how?',
  'What did you learn recently that surprised you?',
  'What would make today a good day for you?',
  'What is one thing you would like to stop doing?',
  'How are you, really, in one sentence?',
  'What are you proud of that nobody noticed?',
  'What is taking more of your attention than it deserves?',
];

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
