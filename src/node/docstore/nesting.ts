/**
 * A bound on how deeply an incoming update nests Yjs types. Yjs walks nested types recursively
 * (garbage-collecting a deleted type collects its children first), so a peer that nests a few
 * thousand types makes the next deletion overflow the stack halfway through a transaction, leaving
 * the document broken. Updates that would nest past the bound are refused before they are applied.
 *
 * Depth is counted from the update's own structs and, where they hang under types the document
 * already holds, from those types' ancestry in the document, so nesting built one level per update
 * is caught too. Structs whose parent nobody has yet are held by Yjs as pending and integrated
 * when it arrives: nesting sent innermost part first, each part within the bound, would otherwise
 * pass part by part and integrate past it all at once. So the document's pending structs are
 * measured with the update, as the part of it they become. Walks are iterative and memoised: any
 * depth is safe to measure.
 */
import * as Y from 'yjs';

/** Far deeper than any notes people write (ten levels of nested lists are about thirty), far below what overflows the stack (a few thousand). */
export const MAX_NESTING_DEPTH = 256;

export class NestingTooDeep extends Error {
  override name = 'NestingTooDeep';
}

type Struct = Y.Item | Y.GC | Y.Skip;
type Decoded = { structs: Struct[] };

/**
 * Structs by client, each in clock order (as an update's encoding keeps them; `sort` for several
 * updates' structs). Skips are left out: they mark clocks an update does not carry, and a held
 * struct may fill the same clocks; found instead of it, a skip would end a chain that goes on.
 */
function byClient(structs: Struct[], sort: boolean): Map<number, Struct[]> {
  const clients = new Map<number, Struct[]>();
  for (const struct of structs) {
    if (struct instanceof Y.Skip) continue;
    let list = clients.get(struct.id.client);
    if (!list) clients.set(struct.id.client, (list = []));
    list.push(struct);
  }
  if (sort) for (const list of clients.values()) list.sort((a, b) => a.id.clock - b.id.clock);
  return clients;
}

/** Decoded once per pending state: Yjs replaces the bytes whenever what it holds changes. */
const decodedPending = new WeakMap<Uint8Array, Struct[]>();

/** The structs `doc` holds pending, waiting for structs it does not have yet. */
export function heldStructs(doc: Y.Doc): Struct[] {
  const pending = doc.store.pendingStructs;
  if (!pending) return [];
  let structs = decodedPending.get(pending.update);
  if (!structs) decodedPending.set(pending.update, (structs = Y.decodeUpdateV2(pending.update).structs as Struct[]));
  return structs;
}

function findIn(list: Struct[] | undefined, clock: number): Struct | null {
  if (!list) return null;
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const struct = list[mid]!;
    if (clock < struct.id.clock) high = mid - 1;
    else if (clock >= struct.id.clock + struct.length) low = mid + 1;
    else return struct;
  }
  return null;
}

/** Depth of the type holding a struct already in the document: a root type's children are at 1. */
function depthInDoc(doc: Y.Doc, id: Y.ID, max: number): number {
  if (id.clock >= Y.getState(doc.store, id.client)) return 1;
  const struct = Y.getItem(doc.store, id) as Struct;
  if (!(struct instanceof Y.Item)) return 1;
  let depth = 1;
  for (
    let type = struct.parent as Y.AbstractType<unknown> | null;
    type?._item && depth <= max;
    type = type._item.parent as Y.AbstractType<unknown>
  ) {
    depth++;
  }
  return depth;
}

/**
 * Where an update's types hang, apart from any document: for each struct outside the update a
 * chain of its ends at (client → clock → levels), the most levels of types the update nests below
 * that struct's type; `root`, the most below a root type (or below something that never arrives,
 * which counts as one). A plain, cloneable value: a worker thread can measure it.
 */
export interface Anchors {
  root: number;
  below: Map<number, Map<number, number>>;
}

const isType = (struct: Struct): struct is Y.Item => struct instanceof Y.Item && struct.content instanceof Y.ContentType;

const tooDeep = (max: number) => new NestingTooDeep(`the update nests types more than ${max} deep`);

/**
 * Measures the anchors of an update's structs together with `held`, the structs a document holds
 * pending (which integrate with the update as part of it). Throws NestingTooDeep if the update
 * alone already nests past `max`, or places its items in a cycle.
 */
export function nestingAnchors(structs: Struct[], held: Struct[], max = MAX_NESTING_DEPTH): Anchors {
  const all = held.length ? [...structs, ...held] : structs;
  // A keystroke places no types: nothing to index (this runs on every update the relay receives).
  if (!all.some(isType)) return { root: 0, below: new Map() };
  const clients = byClient(all, held.length > 0);
  const anchors: Anchors = { root: 0, below: new Map() };
  /** For each item measured: the struct outside the update its chain ends at (null: a root), and the levels from there. */
  const measured = new Map<Y.Item, { anchor: Y.ID | null; levels: number }>();
  const measure = (start: Y.Item): { anchor: Y.ID | null; levels: number } => {
    // The chain that decides where an item lands: its parent type, or else the neighbour it was
    // inserted beside (whose parent it shares); `step` is 1 where the chain goes up a level.
    const chain: { item: Y.Item; step: number }[] = [];
    let end: { anchor: Y.ID | null; levels: number };
    for (let item = start; ;) {
      const known = measured.get(item);
      if (known !== undefined) {
        end = known;
        break;
      }
      const parent = item.parent as unknown;
      const step = parent instanceof Y.ID ? 1 : 0;
      const next = typeof parent === 'string' ? null : parent instanceof Y.ID ? parent : (item.origin ?? item.rightOrigin);
      const inUpdate = next ? findIn(clients.get(next.client), next.clock) : null;
      if (inUpdate instanceof Y.Item) {
        if (chain.length > all.length) throw new NestingTooDeep('the update places its items in a cycle');
        chain.push({ item, step });
        item = inUpdate;
        continue;
      }
      // Under a root, or under something outside the update (a GC'd struct in it counts as a root).
      end = { anchor: next && !inUpdate ? next : null, levels: step };
      measured.set(item, end);
      break;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      end = { anchor: end.anchor, levels: end.levels + chain[i]!.step };
      measured.set(chain[i]!.item, end);
    }
    return end;
  };
  for (const struct of all) {
    if (!isType(struct)) continue;
    const { anchor, levels } = measure(struct);
    // Whatever it hangs under is at depth 1 at least.
    if (1 + levels > max) throw tooDeep(max);
    if (!anchor) {
      anchors.root = Math.max(anchors.root, levels);
      continue;
    }
    let clocks = anchors.below.get(anchor.client);
    if (!clocks) anchors.below.set(anchor.client, (clocks = new Map()));
    clocks.set(anchor.clock, Math.max(clocks.get(anchor.clock) ?? 0, levels));
  }
  return anchors;
}

/**
 * Throws NestingTooDeep if the measured anchors put a type deeper than `max` in `doc`. Without a
 * document, the structs the update hangs under count as roots.
 */
export function checkAnchors(anchors: Anchors, doc: Y.Doc | null, max = MAX_NESTING_DEPTH): void {
  if (1 + anchors.root > max) throw tooDeep(max);
  for (const [client, clocks] of anchors.below) {
    for (const [clock, levels] of clocks) {
      if ((doc ? depthInDoc(doc, Y.createID(client, clock), max) : 1) + levels > max) throw tooDeep(max);
    }
  }
}

/**
 * Throws NestingTooDeep if integrating the decoded update into `doc` would put a type deeper than
 * `max`, its own or one `doc` holds pending. Without a document, types the update hangs under
 * count as roots.
 */
export function checkNesting(decoded: Decoded, doc: Y.Doc | null, max = MAX_NESTING_DEPTH): void {
  checkAnchors(nestingAnchors(decoded.structs, doc ? heldStructs(doc) : [], max), doc, max);
}
