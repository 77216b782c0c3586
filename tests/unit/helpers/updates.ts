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

/**
 * Nesting built in parts, `depths[i]` levels in the i-th, each part under the innermost type of
 * the part before and written by `clientOf(i)`: one update per part, outermost first.
 */
function chainUpdates(fragment: string, depths: number[], clientOf: (part: number) => number): Uint8Array[] {
  const author = new Y.Doc();
  let parent: Y.XmlFragment | Y.XmlElement = author.getXmlFragment(fragment);
  return depths.map((depth, part) => {
    author.clientID = clientOf(part);
    const before = Y.encodeStateVector(author);
    author.transact(() => {
      for (let i = 0; i < depth; i++) {
        const quote: Y.XmlElement = new Y.XmlElement('blockquote');
        parent.insert(0, [quote]);
        parent = quote;
      }
    });
    return Y.encodeStateAsUpdate(author, before);
  });
}

/**
 * Nesting built in `chains` parts of `depth` levels each, every part by its own client. Delivered
 * innermost first, each part hangs under a type the receiver does not have yet, so Yjs holds it
 * as pending until the part above it arrives.
 */
export function nestedChainUpdates(chains: number, depth: number, fragment = 'deep'): Uint8Array[] {
  return chainUpdates(fragment, Array<number>(chains).fill(depth), (part) => 1000 + part);
}

/**
 * Nesting built by one client, `depths[i]` levels in the i-th part. One client's parts follow each
 * other in its clocks, so a merge of the first and last skips the clocks of those between.
 */
export function oneClientChainUpdates(fragment: string, ...depths: number[]): Uint8Array[] {
  return chainUpdates(fragment, depths, () => 7);
}
