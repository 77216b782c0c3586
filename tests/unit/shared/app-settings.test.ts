import { expect, test } from 'vitest';
import { AppSettings, DEFAULT_SETTINGS, readSettings, shortcutProblem } from '../../../src/shared/app-settings.js';
import type { TandemEvent } from '../../../src/shared/api.js';
import { openCore } from '../helpers/core.js';

test('shortcuts need a modifier and a real key, written the way Electron reads them', () => {
  for (const ok of ['CommandOrControl+Shift+Space', 'Ctrl+Alt+T', 'Cmd+Shift+K', 'Alt+F12', 'Super+Shift+1', 'Control+Shift+/']) {
    expect(shortcutProblem(ok), ok).toBeNull();
  }
  expect(shortcutProblem('Space')).toMatch(/^A global shortcut needs a modifier/);
  expect(shortcutProblem('Ctrl+Shift')).toMatch(/^A shortcut ends with a letter/);
  expect(shortcutProblem('Ctrl+Hyper+K')).toMatch(/^A shortcut starts with modifier keys/);
  expect(shortcutProblem('Ctrl+Ctrl+K')).toBe('Name each modifier of the shortcut once.');
  expect(shortcutProblem('Ctrl++K')).toMatch(/^Write the shortcut as keys joined by \+/);
  expect(shortcutProblem('Ctrl+F25')).toMatch(/^A shortcut ends with a letter/);
});

test('the defaults are valid, and a damaged stored value falls back field by field', () => {
  expect(AppSettings.parse(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS);
  expect(readSettings(undefined)).toEqual(DEFAULT_SETTINGS);
  expect(readSettings('garbage')).toEqual(DEFAULT_SETTINGS);
  expect(readSettings({ theme: 'dark', reminderLeadMinutes: -5, shortcut: 'Space', launchAtLogin: true, extra: 1 })).toEqual({
    ...DEFAULT_SETTINGS,
    theme: 'dark',
    launchAtLogin: true,
  });
});

test('updateSettings keeps what it leaves out, refuses bad values with a sentence and loses nothing, and tells every window', async () => {
  const { core, api, dataDir } = await openCore();
  const other = core.connect();
  const events: TandemEvent[] = [];
  other.onEvent((e) => events.push(e));

  expect(await api.getSettings()).toEqual(DEFAULT_SETTINGS);
  await api.updateSettings({ theme: 'dark', reminderLeadMinutes: 15, shortcut: 'Ctrl+Alt+T' });
  const saved = await api.updateSettings({ launchAtLogin: true });
  expect(saved).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', reminderLeadMinutes: 15, shortcut: 'Ctrl+Alt+T', launchAtLogin: true });
  expect(events.at(-1)).toEqual({ type: 'settings-changed', settings: saved });

  await expect(api.updateSettings({ reminderLeadMinutes: 0 })).rejects.toThrow('A reminder comes at least 1 minute before the meeting.');
  await expect(api.updateSettings({ reminderLeadMinutes: 2.5 })).rejects.toThrow('The reminder time is a whole number of minutes.');
  await expect(api.updateSettings({ shortcut: 'K' })).rejects.toThrow(/^A global shortcut needs a modifier/);
  await expect(api.updateSettings({ theme: 'purple' as 'dark' })).rejects.toThrow('The theme is system, light or dark.');
  await expect(api.updateSettings({ remindersOff: ['not-an-id'] })).rejects.toThrow('That 1:1 or item could not be found');
  expect(events).toHaveLength(2);
  await core.close();

  const again = await openCore({ dataDir });
  expect(await again.api.getSettings()).toEqual(saved);
  await again.core.close();
});
