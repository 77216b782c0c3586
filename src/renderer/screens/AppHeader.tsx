import { useEffect, useState, type ReactNode } from 'react';
import { Button } from '../components/Button.js';
import { IconButton } from '../components/IconButton.js';
import { SettingsIcon } from '../components/icons.js';
import { hrefFor } from '../lib/route.js';
import { SearchDialog } from './SearchDialog.js';
import { SettingsDialog } from './SettingsDialog.js';

/** The bar on every signed-in screen: where you are, search (also Ctrl/Cmd+K) and settings. */
export function AppHeader({ children }: { children?: ReactNode }) {
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [searchOpen, setSearchOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setSearchOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <header className="app-header">
      <nav className="app-header__nav" aria-label="Main">
        <a className="brand" href={hrefFor({ name: 'list' })}>
          Tandem
        </a>
        {children}
      </nav>
      <Button variant="ghost" onClick={() => setSearchOpen(true)} aria-keyshortcuts="Control+K Meta+K">
        Search
      </Button>
      <SearchDialog open={searchOpen} onOpenChange={setSearchOpen} />
      <IconButton label="Settings" onClick={() => setSettingsOpen(true)}>
        <SettingsIcon />
      </IconButton>
      <SettingsDialog open={settingsOpen} onOpenChange={setSettingsOpen} />
    </header>
  );
}
