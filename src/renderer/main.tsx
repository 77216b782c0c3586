import { StrictMode, type ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import { applyTheme, readThemeChoice } from './lib/theme.js';

// Before the first paint, so a dark-theme user never sees a white flash.
applyTheme(readThemeChoice());

// The quick-add window needs none of the app's screens: it loads only its own module.
const loading: Promise<ComponentType> =
  window.location.hash === '#/quick-add' ? import('./QuickAddApp.js').then((m) => m.QuickAddApp) : import('./App.js').then((m) => m.App);

void loading.then((Root) =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <Root />
    </StrictMode>,
  ),
);
