/**
 * Tandems in miniature for archive tests: a core (the series document, its archive documents, the
 * copy of every move and the re-homing of its windows' late edits, as src/core/history/archives.ts
 * wires them) and a window replica on it whose changes reach the core only when delivered.
 */
import * as Y from 'yjs';
import { rehomeLateEdits, watchMoves } from '../../../src/shared/domain/archive.js';
import { agendaMap, meetingNotes, meetingsMap } from '../../../src/shared/domain/series-doc.js';
import { exchange } from './series-doc.js';

export class Peer {
  readonly live = new Y.Doc();
  readonly archives = new Map<number, Y.Doc>();
  constructor(state: Uint8Array) {
    watchMoves(this.live, (year, fn) => fn(this.archive(year)), 'copy');
    Y.applyUpdate(this.live, state);
  }
  archive(year: number): Y.Doc {
    let doc = this.archives.get(year);
    if (!doc) this.archives.set(year, (doc = new Y.Doc()));
    return doc;
  }
  /** A window's update, as the core takes it in. */
  fromWindow(update: Uint8Array, window: unknown): void {
    const decoded = Y.decodeUpdate(update);
    Y.applyUpdate(this.live, update, window);
    rehomeLateEdits(this.live, decoded, (year, fn) => fn(this.archive(year)), 'copy');
  }
  /** The documents holding a meeting. */
  holders(meetingId: string): Y.Doc[] {
    return [this.live, ...this.archives.values()].filter((d) => meetingsMap(d).get(meetingId) instanceof Y.Map);
  }
  notes(meetingId: string): string {
    const [doc] = this.holders(meetingId);
    return doc ? meetingNotes(doc, meetingId).toString() : '';
  }
  /** The documents holding an agenda item. */
  itemHolders(itemId: string): Y.Doc[] {
    return [this.live, ...this.archives.values()].filter((d) => agendaMap(d).get(itemId) instanceof Y.Map);
  }
  /** Appends to a meeting's notes wherever this Tandem holds it now. */
  edit(meetingId: string, text: string): void {
    const [doc] = this.holders(meetingId);
    appendNotes(doc!, meetingId, text);
  }
}

export function appendNotes(doc: Y.Doc, meetingId: string, text: string): void {
  const first = meetingNotes(doc, meetingId).get(0) as Y.XmlElement;
  const t = first.get(0) as Y.XmlText;
  t.insert(t.length, text);
}

/** A window's replica of a core's series document; frames wait until delivered. */
export class Window {
  readonly doc = new Y.Doc();
  private toCore: Uint8Array[] = [];
  private toWindow: Uint8Array[] = [];
  constructor(readonly core: Peer) {
    Y.applyUpdate(this.doc, Y.encodeStateAsUpdate(core.live), core);
    this.doc.on('update', (u: Uint8Array, origin: unknown) => origin !== core && this.toCore.push(u));
    core.live.on('update', (u: Uint8Array, origin: unknown) => origin !== this && this.toWindow.push(u));
  }
  /** The window's frames reach its core. */
  flushToCore(): void {
    for (const u of this.toCore.splice(0)) this.core.fromWindow(u, this);
  }
  /** The core's changes reach the window. */
  flushToWindow(): void {
    for (const u of this.toWindow.splice(0)) Y.applyUpdate(this.doc, u, this.core);
  }
}

/** Exchanges every document both ways through the relay, the archives first or last. */
export function sync(a: Peer, b: Peer, archivesFirst: boolean): void {
  const archives = () => {
    for (const year of new Set([...a.archives.keys(), ...b.archives.keys()])) exchange(a.archive(year), b.archive(year));
  };
  if (archivesFirst) archives();
  exchange(a.live, b.live);
  if (!archivesFirst) archives();
}
