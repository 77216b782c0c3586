/** Device settings: the relay new shares go through. */
import type { RelayConfig } from '../../../shared/api.js';
import { SetRelayInput } from '../../../shared/schemas.js';
import type { CoreServices } from '../context.js';
import { NoInput, handler } from '../define.js';

const RELAY_SETTING = 'relay';

/**
 * The relay set in Settings, else the one given on the command line, else none. A relay cleared
 * in Settings stays cleared: the command line's default does not come back.
 */
export async function currentRelay(core: CoreServices): Promise<RelayConfig | null> {
  const stored = await core.readSetting(RELAY_SETTING);
  if (stored === null) return null;
  const parsed = SetRelayInput.safeParse(stored);
  if (parsed.success) return parsed.data.key ? { url: parsed.data.url, key: parsed.data.key } : { url: parsed.data.url };
  return core.defaultRelay;
}

export const settingsHandlers = {
  getRelay: handler(NoInput, async ({ core }) => currentRelay(core)),
  setRelay: handler(SetRelayInput, async ({ core }, relay): Promise<RelayConfig> => {
    const saved = relay.key ? { url: relay.url, key: relay.key } : { url: relay.url };
    await core.writeSetting(RELAY_SETTING, saved);
    return saved;
  }),
  /**
   * No relay for new 1:1s: they stay on this device until one is set. 1:1s shared before keep
   * syncing through the relay they were shared on; the answer says how many there are.
   */
  clearRelay: handler(NoInput, async ({ core }): Promise<{ stillShared: number }> => {
    await core.writeSetting(RELAY_SETTING, null);
    const { n } = await core.db
      .selectFrom('shares')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return { stillShared: Number(n) };
  }),
};
