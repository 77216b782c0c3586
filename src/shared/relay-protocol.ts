/**
 * Tandem's one extension to the y-websocket protocol. A client asks the relay for the room's
 * state vector with a message of this type and nothing else; the relay answers with the same type
 * followed by the state vector (varUint8Array). The client compares it with its own changes to
 * count the ones the relay has not yet stored. Stock y-websocket clients never send this type, so
 * the relay stays fully compatible with them.
 */
export const MESSAGE_STATE_VECTOR = 100;
