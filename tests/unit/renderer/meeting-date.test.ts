import { expect, test } from 'vitest';
import { meetingDate } from '../../../src/renderer/lib/meeting-date.js';

test('a meeting date that is not a date reads "date unknown" instead of throwing', () => {
  for (const bad of ['0000-not-a-date', '', 'zzzz', '2026-13-45T99:99'] as const) expect(meetingDate(bad)).toBe('date unknown');
});

test('a real meeting date is shown with its weekday and time', () => {
  expect(meetingDate('2021-03-04T09:30:00')).toBe('Thu 4 Mar, 09:30');
});
