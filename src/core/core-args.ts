/**
 * The core's start-up settings, parsed and validated from flags and environment alike by the
 * desktop shell and the web shell: --data-dir / TANDEM_DATA_DIR, --relay / TANDEM_RELAY_URL,
 * --relay-key / TANDEM_RELAY_KEY, TANDEM_SQLITE_BINDING.
 */
import { z } from 'zod';
import { TandemError } from '../shared/errors.js';
import { RelayUrl, describeZodError } from '../shared/schemas.js';
import { flagValue, resolveDataDir } from './data-dir.js';
import type { CoreOptions } from './tandem-core.js';

const CoreArgs = z.object({
  relay: RelayUrl.optional(),
  relayKey: z.string().min(1).optional(),
  sqliteBinding: z.string().min(1).optional(),
});

export function parseCoreArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CoreOptions {
  const parsed = CoreArgs.safeParse({
    relay: flagValue(argv, 'relay') ?? env.TANDEM_RELAY_URL,
    relayKey: flagValue(argv, 'relay-key') ?? env.TANDEM_RELAY_KEY,
    sqliteBinding: env.TANDEM_SQLITE_BINDING,
  });
  if (!parsed.success) throw new TandemError('invalid-input', `bad setting: ${describeZodError(parsed.error)}`);
  const { relay, relayKey, sqliteBinding } = parsed.data;
  return {
    dataDir: resolveDataDir(argv, env),
    autoBackup: true,
    ...(relay ? { defaultRelay: relayKey ? { url: relay, key: relayKey } : { url: relay } } : {}),
    ...(sqliteBinding ? { sqliteBinding } : {}),
  };
}
