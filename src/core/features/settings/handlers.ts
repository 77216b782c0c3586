/** Device settings: the relay new shares go through. */
import type { RelayConfig } from '../../../shared/api.js';
import { SetRelayInput } from '../../../shared/schemas.js';
import type { CoreServices } from '../context.js';
import { NoInput, handler } from '../define.js';

const RELAY_SETTING = 'relay';

/** The relay set in Settings, else the one given on the command line, else none. */
export async function currentRelay(core: CoreServices): Promise<RelayConfig | null> {
  const stored = await core.readSetting(RELAY_SETTING);
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
};
