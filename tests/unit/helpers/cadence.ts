import type { Cadence } from '../../../src/shared/schemas.js';

/** Mondays at 10:00 UTC, 30 minutes, from 2030-01-07 (a Monday): the cadence of the fixtures' 1:1s. */
export const WEEKLY: Cadence = { pattern: 'weekly', weekday: 1, time: '10:00', lengthMinutes: 30, timeZone: 'UTC', startsOn: '2030-01-07' };
