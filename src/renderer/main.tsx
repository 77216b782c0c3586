import { StrictMode, type ComponentType } from 'react';
import { showEarlyQuickAdd } from './lib/early-quick-add.js';
import { applyTheme, readThemeChoice } from './lib/theme.js';

// Before the first paint, so a dark-theme user never sees a white flash.
applyTheme(readThemeChoice());

// The entry decides by route and loads the rest side by side: React's DOM renderer and the route's
// root. The quick-add window needs none of the app's screens, so it loads only its own module; it
// shows its input at once and the route's component takes the keys typed meanwhile over.
let root: Promise<ComponentType>;
if (window.location.hash === '#/quick-add') {
  showEarlyQuickAdd(document.getElementById('root')!);
  root = import('./QuickAddApp.js').then((m) => m.QuickAddApp);
} else {
  root = import('./App.js').then((m) => m.App);
}

void Promise.all([import('react-dom/client'), root]).then(([{ createRoot }, Root]) =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <Root />
    </StrictMode>,
  ),
);
