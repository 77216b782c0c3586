import type { Cadence } from '../../../src/shared/schemas.js';

/** Mondays at 10:00 UTC, 30 minutes, from 2030-01-07 (a Monday): the cadence of the fixtures' 1:1s. */
export const WEEKLY: Cadence = { pattern: 'weekly', weekday: 1, time: '10:00', lengthMinutes: 30, timeZone: 'UTC', startsOn: '2030-01-07' };

/** Mondays at 09:00 in Berlin, 30 minutes, from 2026-01-05: a cadence that crosses both daylight-saving changes. */
export const BERLIN_WEEKLY: Cadence = {
  pattern: 'weekly',
  weekday: 1,
  time: '09:00',
  lengthMinutes: 30,
  timeZone: 'Europe/Berlin',
  startsOn: '2026-01-05',
};
