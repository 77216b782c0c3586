/**
 * Every operation of the TandemApi contract, by feature. The dispatcher (session.ts) validates
 * each call's input with its handler's schema; `TandemApi` is derived from this object.
 */
import { agendaHandlers } from './agenda/handlers.js';
import { calendarHandlers } from './calendar/handlers.js';
import { insightsHandlers } from './insights/handlers.js';
import { historyHandlers } from './history/handlers.js';
import { nextStepsHandlers } from './next-steps/handlers.js';
import { privateNotesHandlers } from './private-notes/handlers.js';
import { backupHandlers } from './backup/handlers.js';
import { exportHandlers } from './export/handlers.js';
import { searchHandlers } from './search/handlers.js';
import { questionsHandlers } from './questions/handlers.js';
import { profileHandlers } from './profile/handlers.js';
import { seriesHandlers } from './series/handlers.js';
import { settingsHandlers } from './settings/handlers.js';
import { sharingHandlers } from './sharing/handlers.js';

export const operations = {
  ...profileHandlers,
  ...seriesHandlers,
  ...agendaHandlers,
  ...settingsHandlers,
  ...sharingHandlers,
  ...nextStepsHandlers,
  ...privateNotesHandlers,
  ...insightsHandlers,
  ...historyHandlers,
  ...questionsHandlers,
  ...searchHandlers,
  ...exportHandlers,
  ...backupHandlers,
  ...calendarHandlers,
};

export type Operations = typeof operations;
