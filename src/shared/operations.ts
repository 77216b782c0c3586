/**
 * The names of the contract's operations, for the code that needs them at run time without the
 * core or zod: the protocol's request check, the UI-side client and the Electron preload bridge. The type
 * check below fails when this list and the core's registry differ, and a unit test compares them
 * at run time too.
 */
import type { OperationName, StreamApi } from './api.js';

export const OPERATION_NAMES = [
  'getProfile',
  'setProfile',
  'listSeries',
  'createSeries',
  'openSeries',
  'closeSeries',
  'removeSeries',
  'addAgendaItem',
  'getRelay',
  'setRelay',
  'clearRelay',
  'createInvite',
  'acceptInvite',
  'getSyncState',
  'retrySync',
  'listNextSteps',
  'openPrivateNotes',
  'listHealth',
  'dismissedNudges',
  'dismissNudge',
  'archivedHealth',
  'exportHealth',
  'openArchive',
  'getSettings',
  'updateSettings',
  'setSeriesReminders',
  'startReminders',
  'quickAddChoices',
  'quickAdd',
  'listOwnQuestions',
  'addOwnQuestion',
  'removeOwnQuestion',
  'search',
  'exportMarkdown',
  'backupNow',
  'listBackups',
  'restoreBackup',
  'storageCheck',
  'exportCalendar',
  'readCalendarFile',
  'importCalendarCadence',
] as const satisfies readonly OperationName[];

type Missing = Exclude<OperationName, (typeof OPERATION_NAMES)[number]>;
/** Names an operation of the registry that is missing above (never, when the list is complete). */
export const everyOperationListed: [Missing] extends [never] ? true : Missing = true;

/** Contract methods that answer asynchronously: the operations plus sending a document update. */
export const ASYNC_METHODS = [...OPERATION_NAMES, 'sendDocUpdate'] as const;
export type AsyncMethod = (typeof ASYNC_METHODS)[number];

/** The streaming half of the contract, which every transport passes through as it is. */
export const STREAM_METHODS = [
  'sendDocUpdate',
  'onDocUpdate',
  'sendAwareness',
  'onAwareness',
  'onEvent',
] as const satisfies readonly (keyof StreamApi)[];
type MissingStream = Exclude<keyof StreamApi, (typeof STREAM_METHODS)[number]>;
export const everyStreamMethodListed: [MissingStream] extends [never] ? true : MissingStream = true;
