/**
 * Light, dark, or follow the system. The choice is one of the app settings (stored by the core, so
 * every window follows a change at once); each page also keeps it in localStorage to paint the
 * first frame in the right theme. It is applied as data-theme on <html>, resolved to light or
 * dark so the CSS has one rule per theme.
 */
import { useEffect, useState } from 'react';
import type { TandemApi } from '../../shared/api.js';
import type { AppSettings } from '../../shared/app-settings.js';

export type ThemeChoice = AppSettings['theme'];
const KEY = 'tandem-theme';
const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');

export function readThemeChoice(): ThemeChoice {
  const stored = localStorage.getItem(KEY);
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

export function applyTheme(choice: ThemeChoice): void {
  const resolved = choice === 'system' ? (darkQuery().matches ? 'dark' : 'light') : choice;
  document.documentElement.dataset.theme = resolved;
}

function remember(choice: ThemeChoice): void {
  if (choice === 'system') localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, choice);
}

/** Applies the saved theme, and every change to it made in any window, for as long as the page lives. */
export function useSavedTheme(api: TandemApi): ThemeChoice {
  const [choice, setChoice] = useState(readThemeChoice);
  useEffect(() => {
    const follow = (next: ThemeChoice) => {
      remember(next);
      setChoice(next);
    };
    let live = true;
    api.getSettings().then(
      (s) => live && follow(s.theme),
      () => undefined,
    );
    const stop = api.onEvent((event) => event.type === 'settings-changed' && follow(event.settings.theme));
    return () => {
      live = false;
      stop();
    };
  }, [api]);
  useEffect(() => {
    applyTheme(choice);
    if (choice !== 'system') return;
    const query = darkQuery();
    const follow = () => applyTheme('system');
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }, [choice]);
  return choice;
}
