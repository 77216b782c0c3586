/**
 * How deeply the notes nest. A peer can write thousands of nested blocks, which the editor would
 * turn into as many nested elements (hanging or overflowing the page), so notes past a sane depth
 * are not rendered.
 */
import * as Y from 'yjs';

/** Deeper than any notes a person writes (ten levels of nested lists are about thirty). */
export const MAX_NOTES_DEPTH = 64;

/** Whether the fragment nests deeper than `max`; walks without recursion, so any depth is safe to ask about. */
export function nestsDeeperThan(fragment: Y.XmlFragment, max = MAX_NOTES_DEPTH): boolean {
  const stack: [Y.XmlFragment | Y.XmlElement, number][] = [[fragment, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [node, depth] = next;
    if (depth > max) return true;
    for (const child of node.toArray()) if (child instanceof Y.XmlElement) stack.push([child, depth + 1]);
  }
  return false;
}
