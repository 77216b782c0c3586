import { expect, test } from 'vitest';
import type { SeriesSummary, SyncState } from '../../../../src/shared/api.js';
import { linuxAutostartEntry, placeNearCursor, suggestShortcut, syncSummary, trayMenu } from '../../../../src/core/desktop/shell-model.js';

const series = (partnerName: string, nextMeetingAt: string | null, extra: Partial<SeriesSummary> = {}): SeriesSummary => ({
  id: `00000000-0000-4000-8000-${partnerName.length.toString().padStart(12, '0')}`,
  kind: 'peer',
  cadence: 'weekly',
  title: '',
  state: 'active',
  partnerName,
  myRole: 'peer',
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
  nextMeetingAt,
  openItemCount: 0,
  ...extra,
});
const sync = (status: SyncState['status'], unsent = 0): SyncState => ({ seriesId: 'x', status, unsent });

test('the tray lists the next 1:1s soonest first (active ones still to come), then quick add, the sync state, open and quit', () => {
  const now = new Date(2030, 0, 7, 9, 0);
  const menu = trayMenu(
    [
      series('Alex', new Date(2030, 0, 9, 14, 30).toISOString(), { openItemCount: 1 }),
      series('Sam', new Date(2030, 0, 7, 10, 0).toISOString(), { openItemCount: 4 }),
      series('Kim', new Date(2030, 0, 8, 11, 0).toISOString()),
      series('Paused', new Date(2030, 0, 7, 12, 0).toISOString(), { state: 'paused' }),
      series('Past', new Date(2030, 0, 6, 12, 0).toISOString()),
      series('Later', new Date(2030, 1, 20, 16, 0).toISOString()),
      series('None', null),
    ],
    [sync('synced'), sync('offline', 3)],
    now,
    'CommandOrControl+Shift+Space',
  );
  expect(menu.map((e) => ('label' in e ? e.label : '—'))).toEqual([
    'Sam — today 10:00 · 4 items',
    'Kim — tomorrow 11:00',
    'Alex — Wed 14:30 · 1 item',
    'Later — 20 Feb 16:00',
    '—',
    'Quick add…',
    'Offline — 3 changes not sent yet',
    '—',
    'Open Tandem',
    'Quit Tandem',
  ]);
  expect(menu[0]).toMatchObject({ kind: 'series', seriesId: series('Sam', null).id });
  expect(menu[5]).toMatchObject({ kind: 'action', action: 'quick-add', accelerator: 'CommandOrControl+Shift+Space' });
  expect(trayMenu([], [], now, 'Alt+Shift+T')[0]).toEqual({ kind: 'info', label: 'No 1:1s coming up' });
});

test('the sync line sums every shared 1:1 and names the worst state', () => {
  expect(syncSummary([])).toBe('On this device only');
  expect(syncSummary([sync('local', 5)])).toBe('On this device only');
  expect(syncSummary([sync('synced'), sync('local')])).toBe('All changes synced');
  expect(syncSummary([sync('synced', 1)])).toBe('Sending — 1 change not sent yet');
  expect(syncSummary([sync('connecting', 2), sync('synced')])).toBe('Connecting… — 2 changes not sent yet');
  expect(syncSummary([sync('connecting'), sync('offline', 1), sync('synced', 1)])).toBe('Offline — 2 changes not sent yet');
});

test('the quick-add window opens by the cursor and always wholly on its display', () => {
  const area = { x: 1920, y: 0, width: 1280, height: 800 };
  const size = { width: 560, height: 240 };
  expect(placeNearCursor({ x: 2000, y: 100 }, size, area)).toEqual({ x: 2012, y: 112, ...size });
  expect(placeNearCursor({ x: 3150, y: 780 }, size, area)).toEqual({ x: 3150 - 12 - 560, y: 780 - 12 - 240, ...size });
  expect(placeNearCursor({ x: 1925, y: 200 }, { width: 1400, height: 240 }, area).x).toBe(1920 + 1280 - 1400);
});

test('a refused shortcut gets the first alternative the system accepts, never itself', () => {
  const free = new Set(['CommandOrControl+Shift+K', 'Alt+Shift+T']);
  const tried: string[] = [];
  const suggestion = suggestShortcut('CommandOrControl+Alt+Space', (a) => {
    tried.push(a);
    return free.has(a);
  });
  expect(suggestion).toBe('CommandOrControl+Shift+K');
  expect(tried).toEqual(['CommandOrControl+Shift+Space', 'CommandOrControl+Shift+K']);
  expect(suggestShortcut('Alt+Shift+T', () => false)).toBeNull();
});

test('the Linux autostart entry starts this executable hidden, quoted when its path needs it', () => {
  expect(linuxAutostartEntry('/opt/Tandem/tandem')).toContain('\nExec=/opt/Tandem/tandem --hidden\n');
  expect(linuxAutostartEntry('/home/dana/My Apps/Tandem.AppImage')).toContain('\nExec="/home/dana/My Apps/Tandem.AppImage" --hidden\n');
});
