import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { applyTheme, readThemeChoice } from './lib/theme.js';

// Before the first paint, so a dark-theme user never sees a white flash.
applyTheme(readThemeChoice());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
