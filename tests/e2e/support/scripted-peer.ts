/**
 * A peer played by the test itself: a plain Y.Doc with a stock y-websocket provider that joins a
 * 1:1's room on the real relay with the invite's room and secret, and writes whatever it likes.
 */
import { expect } from '@playwright/test';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { decodeInvite } from '../../../src/shared/invites.js';

export interface ScriptedPeer {
  doc: Y.Doc;
  close(): void;
}

export async function joinAsPeer(code: string): Promise<ScriptedPeer> {
  const invite = decodeInvite(code);
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(invite.relay, invite.room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { secret: invite.secret, ...(invite.key ? { key: invite.key } : {}) },
    disableBc: true,
  });
  await expect.poll(() => provider.synced && doc.getMap('meta').has('kind'), { message: 'the peer receives the 1:1' }).toBe(true);
  return { doc, close: () => provider.destroy() };
}
