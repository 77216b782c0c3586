/**
 * The settings of this device's Tandem (the relay has its own operations): launch at login, the
 * quick-add shortcut, reminders and the theme. Stored by the core, validated here, applied by
 * whoever they concern as soon as they change (the desktop shell, the windows, the reminders).
 */
import { z } from 'zod';
import { Id, say } from './schemas.js';

const MODIFIERS = new Set([
  'command',
  'cmd',
  'control',
  'ctrl',
  'commandorcontrol',
  'cmdorctrl',
  'alt',
  'option',
  'altgr',
  'shift',
  'super',
  'meta',
]);
const NAMED_KEYS = new Set([
  'space',
  'tab',
  'backspace',
  'delete',
  'insert',
  'return',
  'enter',
  'up',
  'down',
  'left',
  'right',
  'home',
  'end',
  'pageup',
  'pagedown',
  'escape',
  'esc',
  'plus',
]);

const SHORTCUT_FORM = say('Write the shortcut as keys joined by +, like CommandOrControl+Shift+Space.');
const SHORTCUT_MODIFIER = say('A shortcut starts with modifier keys: Ctrl, Alt, Shift, Cmd or CommandOrControl.');
const SHORTCUT_NEEDS_MODIFIER = say(
  'A global shortcut needs a modifier (Ctrl, Alt, Shift or Cmd), or it would take the key from every app.',
);
const SHORTCUT_REPEATED = say('Name each modifier of the shortcut once.');
const SHORTCUT_KEY = say('A shortcut ends with a letter, a digit, F1 to F24, Space or another named key.');

/**
 * What is wrong with an Electron accelerator used as a global shortcut, or null. A global shortcut
 * without a modifier would take that key away from every other application.
 */
export function shortcutProblem(value: string): string | null {
  const parts = value.split('+');
  if (parts.some((p) => p.trim() === '')) return SHORTCUT_FORM;
  const key = parts.pop()!.trim();
  const modifiers = parts.map((p) => p.trim().toLowerCase());
  const unknown = modifiers.find((m) => !MODIFIERS.has(m));
  if (unknown) return SHORTCUT_MODIFIER;
  if (modifiers.length === 0) return SHORTCUT_NEEDS_MODIFIER;
  if (new Set(modifiers).size !== modifiers.length) return SHORTCUT_REPEATED;
  const lower = key.toLowerCase();
  const isKey = /^[a-z0-9]$/i.test(key) || /^f([1-9]|1\d|2[0-4])$/i.test(key) || NAMED_KEYS.has(lower) || /^[`\-=[\]\\;',./]$/.test(key);
  if (!isKey || MODIFIERS.has(lower)) return SHORTCUT_KEY;
  return null;
}

export const Shortcut = z
  .string()
  .max(60, say('A shortcut is at most 60 characters.'))
  .superRefine((value, ctx) => {
    const problem = shortcutProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Shortcuts to suggest when the system refuses one (another app holds it). */
export const SHORTCUT_ALTERNATIVES = [
  'CommandOrControl+Shift+Space',
  'CommandOrControl+Alt+Space',
  'CommandOrControl+Shift+K',
  'Alt+Shift+T',
];

export const REMINDER_LEAD_MAX = 240;

const LEAD_NUMBER = say('The reminder time is a whole number of minutes.');

export const AppSettings = z
  .object({
    launchAtLogin: z.boolean(),
    shortcut: Shortcut,
    /** Minutes before a meeting its reminder comes. */
    reminderLeadMinutes: z
      .number({ message: LEAD_NUMBER })
      .int(LEAD_NUMBER)
      .min(1, say('A reminder comes at least 1 minute before the meeting.'))
      .max(REMINDER_LEAD_MAX, say(`A reminder comes at most ${REMINDER_LEAD_MAX} minutes (4 hours) before the meeting.`)),
    /** Whether reminders come at all, on this device. */
    reminders: z.boolean(),
    /** 1:1s whose meetings give no reminder. */
    remindersOff: z.array(Id).max(1000),
    theme: z.enum(['system', 'light', 'dark'], { message: say('The theme is system, light or dark.') }),
  })
  .strict();
export type AppSettings = z.infer<typeof AppSettings>;

export const DEFAULT_SETTINGS: AppSettings = {
  launchAtLogin: false,
  shortcut: 'CommandOrControl+Shift+Space',
  reminderLeadMinutes: 10,
  reminders: true,
  remindersOff: [],
  theme: 'system',
};

/** A change to some of the settings; what it leaves out stays as it is. */
export const UpdateSettingsInput = AppSettings.partial().strict();
export type UpdateSettingsInput = z.infer<typeof UpdateSettingsInput>;

/**
 * The stored settings as they can be used: each field that is missing or no longer valid (written
 * by an older version, or damaged) falls back to its default alone.
 */
export function readSettings(stored: unknown): AppSettings {
  const record = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const settings = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof AppSettings)[]) {
    const field = AppSettings.shape[key].safeParse(record[key]);
    if (field.success) (settings as Record<string, unknown>)[key] = field.data;
  }
  return settings;
}
