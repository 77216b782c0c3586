/**
 * The quick-add window on its own: the page the global shortcut opens loads only this (the line,
 * its parser and the contract), not the app's screens, so its input has focus within a frame or two.
 */
import { useEffect, useState } from 'react';
import { QuickAdd } from './screens/QuickAdd.js';
import { useSavedTheme } from './lib/theme.js';
import { api } from './tandem.js';

export function QuickAddApp() {
  useSavedTheme(api);
  const [hasProfile, setHasProfile] = useState<boolean | null>(null);
  useEffect(() => {
    api.getProfile().then(
      (p) => setHasProfile(p !== null),
      () => setHasProfile(false),
    );
  }, []);
  if (hasProfile === false)
    return (
      <main className="quick-add">
        <p role="alert">Open Tandem and set your name first: quick add needs a 1:1 to add to.</p>
      </main>
    );
  return <QuickAdd api={api} />;
}
