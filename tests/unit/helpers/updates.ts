/**
 * Updates that are wrong in the way that matters: valid structs followed by a truncated delete
 * set. Y.applyUpdate integrates the structs (and emits the doc's update event) before it fails on
 * the delete set, so only a full decode before applying keeps such an update out.
 */
import * as Y from 'yjs';

/** `update` with its delete set cut off; `update` must delete nothing, so that its delete set is the single byte 0. */
export function halfValidUpdate(update: Uint8Array): Uint8Array {
  if (update.at(-1) !== 0) throw new Error('halfValidUpdate needs an update without deletions');
  const cut = update.slice(0, -1);
  try {
    Y.decodeUpdate(cut);
  } catch {
    return cut;
  }
  throw new Error('the cut update still decodes');
}
