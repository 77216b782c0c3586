/**
 * What the desktop shell shows, decided in plain code so it is tested without Electron: the tray
 * menu (next 1:1s, quick add, the sync state), where the quick-add window opens, which shortcut to
 * suggest when the system refuses one, and the Linux autostart entry. src/main only turns these
 * into Electron calls.
 */
import { differenceInCalendarDays, format } from 'date-fns';
import type { SeriesSummary, SyncState } from '../../shared/api.js';
import { SHORTCUT_ALTERNATIVES } from '../../shared/app-settings.js';

export type TrayEntry =
  | { kind: 'series'; label: string; seriesId: string }
  | { kind: 'action'; action: 'quick-add' | 'open' | 'quit'; label: string; accelerator?: string }
  | { kind: 'info'; label: string }
  | { kind: 'separator' };

/** How many upcoming 1:1s the menu lists. */
export const TRAY_SERIES = 5;

function when(at: Date, now: Date): string {
  const days = differenceInCalendarDays(at, now);
  const time = format(at, 'HH:mm');
  if (days === 0) return `today ${time}`;
  if (days === 1) return `tomorrow ${time}`;
  if (days > 1 && days < 7) return `${format(at, 'EEE')} ${time}`;
  return format(at, 'd MMM HH:mm');
}

/** One line for the sync state of every shared 1:1 together. */
export function syncSummary(states: readonly SyncState[]): string {
  const shared = states.filter((s) => s.status !== 'local');
  if (shared.length === 0) return 'On this device only';
  const unsent = shared.reduce((n, s) => n + s.unsent, 0);
  const waiting = unsent === 0 ? '' : ` — ${unsent} ${unsent === 1 ? 'change' : 'changes'} not sent yet`;
  if (shared.some((s) => s.status === 'offline')) return `Offline${waiting}`;
  if (shared.some((s) => s.status === 'connecting')) return `Connecting…${waiting}`;
  return unsent === 0 ? 'All changes synced' : `Sending${waiting}`;
}

/** The tray menu, top to bottom. Times are in the device's time zone. */
export function trayMenu(series: readonly SeriesSummary[], sync: readonly SyncState[], now: Date, shortcut: string): TrayEntry[] {
  const upcoming = series
    .filter((s) => s.state === 'active' && s.nextMeetingAt !== null && Date.parse(s.nextMeetingAt) >= now.getTime())
    .sort((a, b) => Date.parse(a.nextMeetingAt!) - Date.parse(b.nextMeetingAt!))
    .slice(0, TRAY_SERIES);
  const items = (s: SeriesSummary) => (s.openItemCount === 0 ? '' : ` · ${s.openItemCount} ${s.openItemCount === 1 ? 'item' : 'items'}`);
  return [
    ...(upcoming.length === 0
      ? [{ kind: 'info' as const, label: 'No 1:1s coming up' }]
      : upcoming.map((s) => ({
          kind: 'series' as const,
          seriesId: s.id,
          label: `${s.partnerName} — ${when(new Date(s.nextMeetingAt!), now)}${items(s)}`,
        }))),
    { kind: 'separator' },
    { kind: 'action', action: 'quick-add', label: 'Quick add…', accelerator: shortcut },
    { kind: 'info', label: syncSummary(sync) },
    { kind: 'separator' },
    { kind: 'action', action: 'open', label: 'Open Tandem' },
    { kind: 'action', action: 'quit', label: 'Quit Tandem' },
  ];
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Where the quick-add window goes: just below and right of the cursor, kept wholly inside the work
 * area of the display the cursor is on (flipped above or left when it would run off).
 */
export function placeNearCursor(cursor: { x: number; y: number }, size: { width: number; height: number }, area: Rect): Rect {
  const gap = 12;
  let x = cursor.x + gap;
  let y = cursor.y + gap;
  if (x + size.width > area.x + area.width) x = cursor.x - gap - size.width;
  if (y + size.height > area.y + area.height) y = cursor.y - gap - size.height;
  x = Math.min(Math.max(x, area.x), area.x + area.width - size.width);
  y = Math.min(Math.max(y, area.y), area.y + area.height - size.height);
  return { x: Math.round(x), y: Math.round(y), ...size };
}

/**
 * The shortcut to suggest when `refused` cannot be registered: the first alternative the system
 * accepts (`tryShortcut` registers and releases it), or null when none is free.
 */
export function suggestShortcut(refused: string, tryShortcut: (accelerator: string) => boolean): string | null {
  return SHORTCUT_ALTERNATIVES.find((a) => a !== refused && tryShortcut(a)) ?? null;
}

/** The XDG autostart entry that starts Tandem at login on Linux (Electron's login items cover macOS and Windows). */
export function linuxAutostartEntry(executable: string): string {
  const quoted = /[\s"\\]/.test(executable) ? `"${executable.replace(/["\\`$]/g, (c) => `\\${c}`)}"` : executable;
  return ['[Desktop Entry]', 'Type=Application', 'Name=Tandem', `Exec=${quoted} --hidden`, 'X-GNOME-Autostart-enabled=true', ''].join('\n');
}
