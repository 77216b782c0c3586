/** Device settings: the relay new shares go through, and the app's own settings (app-settings.ts). */
import type { RelayConfig } from '../../../shared/api.js';
import { readSettings, UpdateSettingsInput, type AppSettings } from '../../../shared/app-settings.js';
import { Id, SetRelayInput } from '../../../shared/schemas.js';
import { z } from 'zod';
import type { CoreServices } from '../context.js';
import { NoInput, handler } from '../define.js';

const RELAY_SETTING = 'relay';
export const SETTINGS_KEY = 'app-settings';

export async function currentSettings(core: CoreServices): Promise<AppSettings> {
  return readSettings(await core.readSetting(SETTINGS_KEY));
}

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

async function saveSettings(core: CoreServices, change: Partial<AppSettings>): Promise<AppSettings> {
  const settings = { ...(await currentSettings(core)), ...change };
  await core.writeSetting(SETTINGS_KEY, settings);
  core.broadcast({ type: 'settings-changed', settings });
  return settings;
}

export const settingsHandlers = {
  getSettings: handler(NoInput, async ({ core }) => currentSettings(core)),
  /** Saves the fields given, keeping the others; every window and the desktop shell apply them at once. */
  updateSettings: handler(UpdateSettingsInput, async ({ core }, change) => saveSettings(core, change)),
  /** Reminders for one 1:1's meetings on or off, on this device (the other person keeps their own choice). */
  setSeriesReminders: handler(z.object({ seriesId: Id, on: z.boolean() }).strict(), async ({ core }, { seriesId, on }) => {
    const off = new Set((await currentSettings(core)).remindersOff);
    if (on) off.delete(seriesId);
    else off.add(seriesId);
    return saveSettings(core, { remindersOff: [...off] });
  }),
  /**
   * Starts the reminders, delivered to every session as `reminder` events. Only a shell that shows
   * notifications calls it (the desktop app), so nothing is recorded as shown that nobody saw.
   */
  startReminders: handler(NoInput, async ({ core }) => {
    core.startReminders();
  }),
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
