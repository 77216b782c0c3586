import { StrictMode, type ComponentType } from 'react';
import { showEarlyQuickAdd } from './lib/early-quick-add.js';
import { applyTheme, readThemeChoice } from './lib/theme.js';

// Before the first paint, so a dark-theme user never sees a white flash.
applyTheme(readThemeChoice());

const quickAdd = window.location.hash === '#/quick-add';
// The shortcut's window takes keys at once; the route's component takes them over when it mounts.
if (quickAdd) showEarlyQuickAdd(document.getElementById('root')!);

// The entry decides by route and loads the rest side by side: React's DOM renderer and the route's
// root. The quick-add window needs none of the app's screens, so it loads only its own module.
const root: Promise<ComponentType> = quickAdd
  ? import('./QuickAddApp.js').then((m) => m.QuickAddApp)
  : import('./App.js').then((m) => m.App);

void Promise.all([import('react-dom/client'), root]).then(([{ createRoot }, Root]) =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <Root />
    </StrictMode>,
  ),
);
