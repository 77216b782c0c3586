import { describe, expect, test } from 'vitest';
import { operations } from '../../../../src/core/features/registry.js';
import { settleForBridge, unsettleFromBridge } from '../../../../src/shared/bridge.js';
import { OPERATION_NAMES, STREAM_METHODS } from '../../../../src/shared/operations.js';
import { OperationNameSchema } from '../../../../src/shared/protocol.js';
import type { Port } from '../../../../src/shared/protocol.js';
import { createRpcClient } from '../../../../src/shared/rpc-client.js';
import { openCore } from '../../helpers/core.js';

const sorted = (names: Iterable<string>) => [...names].sort();
const contract = sorted([...OPERATION_NAMES, ...STREAM_METHODS]);

/** A port whose far end never answers: enough to build a client and list what it exposes. */
const silentPort = (): Port => ({ send() {}, onMessage() {}, onClose() {}, close() {} });

describe('one definition per operation', () => {
  test('the handler registry and the runtime list of operations name exactly the same operations', () => {
    expect(sorted(Object.keys(operations))).toEqual(sorted(OPERATION_NAMES));
  });

  test('every handler declares an input schema and a function', () => {
    for (const [name, h] of Object.entries(operations)) {
      expect(typeof h.run, name).toBe('function');
      expect(typeof h.input.safeParse, name).toBe('function');
    }
  });

  test('the UI client, the Electron bridge and the page side of the bridge expose exactly the contract', () => {
    const client = createRpcClient(silentPort());
    const { close, ...clientApi } = client;
    expect(typeof close).toBe('function');
    expect(sorted(Object.keys(clientApi))).toEqual(contract);
    const bridged = settleForBridge(client);
    expect(sorted(Object.keys(bridged))).toEqual(contract);
    const page = unsettleFromBridge(bridged);
    expect(sorted(Object.keys(page))).toEqual(contract);
    for (const name of contract) expect(typeof (page as unknown as Record<string, unknown>)[name], name).toBe('function');
  });

  test('a core session implements exactly the contract (plus dispose)', async () => {
    const { api } = await openCore();
    const { dispose, ...session } = api;
    expect(typeof dispose).toBe('function');
    expect(sorted(Object.keys(session))).toEqual(contract);
  });

  test('the protocol accepts only the contract operations as methods', () => {
    for (const name of OPERATION_NAMES) expect(OperationNameSchema.safeParse(name).success).toBe(true);
    for (const bad of ['dropDatabase', 'constructor', '__proto__', 'sendDocUpdate', 'dispose']) {
      expect(OperationNameSchema.safeParse(bad).success, bad).toBe(false);
    }
  });
});
