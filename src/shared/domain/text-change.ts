/**
 * The one edit that turns a text into another, as an editor binding sends it to a shared Y.Text:
 * only the changed middle is deleted and inserted, so a concurrent edit elsewhere in the same
 * text survives the merge.
 */

export interface TextChange {
  index: number;
  /** How many characters to delete at `index`. */
  remove: number;
  /** What to insert at `index` once they are deleted. */
  insert: string;
}

/**
 * The change from `before` to `after`. `caret`, where the caret is in `after` (an input's
 * selectionEnd after an input event), places the change where the person made it when the text
 * alone cannot tell: typing "a" between the two letters of "aa" inserts at 1, not at the end.
 * Without it, the common prefix and suffix are as long as they can be.
 */
export function diffText(before: string, after: string, caret?: number): TextChange {
  let suffix = 0;
  const maxSuffix = Math.min(before.length, after.length, caret === undefined ? Infinity : Math.max(0, after.length - caret));
  while (suffix < maxSuffix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  // Never split a surrogate pair: Yjs would store each half as U+FFFD.
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  let prefix = 0;
  const maxPrefix = Math.min(before.length, after.length) - suffix;
  while (prefix < maxPrefix && before[prefix] === after[prefix]) prefix++;
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
  return { index: prefix, remove: before.length - suffix - prefix, insert: after.slice(prefix, after.length - suffix) };
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

export function applyChange(text: string, change: TextChange): string {
  return text.slice(0, change.index) + change.insert + text.slice(change.index + change.remove);
}

export const isNoChange = (change: TextChange): boolean => change.remove === 0 && change.insert === '';

/** One step of a Y.Text change event's delta. */
export interface DeltaOp {
  insert?: unknown;
  retain?: number;
  delete?: number;
}

/**
 * Where `offset` (a caret) in the text before a change is in the text after it: text inserted
 * before it pushes it along, text deleted before it pulls it back, so the caret stays next to the
 * characters it was next to. An insert exactly at the caret stays after it.
 */
export function shiftOffset(delta: readonly DeltaOp[], offset: number): number {
  let at = 0;
  let moved = offset;
  for (const op of delta) {
    if (op.retain !== undefined) at += op.retain;
    else if (op.delete !== undefined) {
      if (at < offset) moved -= Math.min(op.delete, offset - at);
      at += op.delete;
    } else if (op.insert !== undefined && at < offset) {
      moved += typeof op.insert === 'string' ? op.insert.length : 1;
    }
  }
  return moved;
}

/** `text` cut to at most `length` code units, never through a surrogate pair. */
export function cutTo(text: string, length: number): string {
  if (text.length <= length) return text;
  const cut = text.slice(0, Math.max(0, length));
  return isHighSurrogate(cut.charCodeAt(cut.length - 1)) ? cut.slice(0, -1) : cut;
}
