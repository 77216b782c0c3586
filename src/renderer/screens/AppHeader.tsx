import { useState, type ReactNode } from 'react';
import { IconButton } from '../components/IconButton.js';
import { SettingsIcon } from '../components/icons.js';
import { hrefFor } from '../lib/route.js';
import { SettingsDialog } from './SettingsDialog.js';

/** The bar on every signed-in screen: where you are, and settings. */
export function AppHeader({ children }: { children?: ReactNode }) {
  const [settingsOpen, setSettingsOpen] = useState(false);
  return (
    <header className="app-header">
      <nav className="app-header__nav" aria-label="Main">
        <a className="brand" href={hrefFor({ name: 'list' })}>
          Tandem
        </a>
        {children}
      </nav>
      <IconButton label="Settings" onClick={() => setSettingsOpen(true)}>
        <SettingsIcon />
      </IconButton>
      <SettingsDialog open={settingsOpen} onOpenChange={setSettingsOpen} />
    </header>
  );
}
