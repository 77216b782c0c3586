/**
 * Presence for open series: one y-protocols Awareness per loaded document, shared by every UI
 * session that has it open and by the series' relay connection. The core relays awareness updates
 * between them (never back to their sender) and removes a session's people when it goes away.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { TandemError } from '../../shared/errors.js';

const BRIDGE = Symbol('presence bridge');

/** Receives awareness updates for a series; `origin` is whoever caused them. */
export type PresenceSink = (seriesId: string, update: Uint8Array, origin: unknown) => void;

/** The client ids an encoded awareness update speaks for. */
export function awarenessClients(update: Uint8Array): number[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(decoding.readVarUint(decoder));
    decoding.readVarUint(decoder);
    decoding.readVarString(decoder);
  }
  return ids;
}

export class PresenceHub {
  private readonly rooms = new Map<string, Awareness>();
  private readonly bySource = new Map<unknown, Map<string, Set<number>>>();

  constructor(private readonly sink: PresenceSink) {}

  /** The awareness of a loaded series, created on first use and gone with its document. */
  awareness(seriesId: string, doc: Y.Doc): Awareness {
    let awareness = this.rooms.get(seriesId);
    if (awareness && awareness.doc === doc) return awareness;
    awareness = new Awareness(doc);
    // The core is not a person: it shows nobody until a sync connection gives it a device state.
    awareness.setLocalState(null);
    awareness.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      const changed = [...added!, ...updated!, ...removed!];
      this.sink(seriesId, encodeAwarenessUpdate(awareness!, changed), origin);
    });
    doc.once('destroy', () => {
      if (this.rooms.get(seriesId) === awareness) this.rooms.delete(seriesId);
    });
    this.rooms.set(seriesId, awareness);
    return awareness;
  }

  /** Everyone currently known in the series, encoded for a newly opened window. */
  snapshot(seriesId: string): Uint8Array | null {
    const awareness = this.rooms.get(seriesId);
    if (!awareness || awareness.getStates().size === 0) return null;
    return encodeAwarenessUpdate(awareness, [...awareness.getStates().keys()]);
  }

  /** Applies an update from a window, remembering which client ids that window speaks for. */
  apply(seriesId: string, update: Uint8Array, source: unknown): void {
    const awareness = this.rooms.get(seriesId);
    if (!awareness) throw new TandemError('invalid-input', `sendAwareness: 1:1 ${seriesId} is not open`);
    let ids: number[];
    try {
      ids = awarenessClients(update);
      applyAwarenessUpdate(awareness, update, source);
    } catch (error) {
      throw new TandemError('invalid-input', `sendAwareness: the update does not decode (${(error as Error).message})`);
    }
    let series = this.bySource.get(source);
    if (!series) this.bySource.set(source, (series = new Map()));
    let set = series.get(seriesId);
    if (!set) series.set(seriesId, (set = new Set()));
    for (const id of ids) set.add(id);
  }

  /**
   * Connects a series' presence to its relay connection's own Awareness. They are kept apart
   * because the y-websocket provider, on every disconnect, removes every state from its awareness
   * but its own: that must clear the remote people, never the windows on this device.
   *
   * After a reconnect the other side and the relay still hold the clock each of this device's
   * people had, and awareness ignores a state whose clock it has seen: so `reannounce` (on every
   * connect) sends them all again with higher clocks, without waiting for them to move. Later
   * states keep clocks above those (a window's own clock may lag behind).
   */
  bridge(seriesId: string, doc: Y.Doc, relay: Awareness): { unbridge: () => void; reannounce: () => void } {
    const local = this.awareness(seriesId, doc);
    const own = (id: number) => id === local.clientID;
    const forward = (from: Awareness, to: Awareness, ids: number[]) => {
      if (ids.length) applyAwarenessUpdate(to, encodeAwarenessUpdate(from, ids), BRIDGE);
    };
    /** The clock each of this device's people last had on the relay connection. */
    const sent = new Map<number, number>();
    const sendToRelay = (ids: number[]) => {
      if (!ids.length) return;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, ids.length);
      for (const id of ids) {
        const last = sent.get(id);
        const clock = Math.max(local.meta.get(id)!.clock, last === undefined ? 0 : last + 1);
        sent.set(id, clock);
        encoding.writeVarUint(encoder, id);
        encoding.writeVarUint(encoder, clock);
        encoding.writeVarString(encoder, JSON.stringify(local.getStates().get(id) ?? null));
      }
      applyAwarenessUpdate(relay, encoding.toUint8Array(encoder), BRIDGE);
    };
    const toRelay = ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      if (origin !== BRIDGE) sendToRelay([...added!, ...updated!, ...removed!].filter((id) => !own(id)));
    };
    const fromRelay = ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      if (origin === BRIDGE) return;
      const changed = [...added!, ...updated!, ...removed!].filter((id) => !own(id) && !this.isWindow(seriesId, id));
      forward(relay, local, changed);
    };
    local.on('update', toRelay);
    relay.on('update', fromRelay);
    sendToRelay([...local.getStates().keys()].filter((id) => !own(id)));
    return {
      unbridge: () => {
        local.off('update', toRelay);
        relay.off('update', fromRelay);
      },
      reannounce: () => sendToRelay([...local.getStates().keys()].filter((id) => !own(id))),
    };
  }

  private isWindow(seriesId: string, clientId: number): boolean {
    for (const series of this.bySource.values()) if (series.get(seriesId)?.has(clientId)) return true;
    return false;
  }

  /** Removes the people a window spoke for, in one series or all of them. */
  leave(source: unknown, seriesId?: string): void {
    const series = this.bySource.get(source);
    if (!series) return;
    for (const [id, clients] of series) {
      if (seriesId && id !== seriesId) continue;
      const awareness = this.rooms.get(id);
      if (awareness) removeAwarenessStates(awareness, [...clients], 'window closed');
      series.delete(id);
    }
    if (series.size === 0) this.bySource.delete(source);
  }
}
