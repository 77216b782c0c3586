import { TZDate } from '@date-fns/tz';
import { format, getDay, lastDayOfMonth, getDate } from 'date-fns';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { nextOccurrence, occurrences, readCadence } from '../../../../src/shared/domain/cadence.js';
import { Cadence, type CadencePattern } from '../../../../src/shared/schemas.js';

const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'UTC',
];
const PATTERNS: CadencePattern[] = ['weekly', 'biweekly', 'every-4-weeks', 'monthly-nth-weekday'];
const WEEKS = { weekly: 7, biweekly: 14, 'every-4-weeks': 28 } as const;

const local = (d: Date, zone: string) => new TZDate(d.getTime(), zone);

// Hours 04–23: no zone tested skips or repeats those (DST gaps are 00:00–03:45 everywhere here).
const cadenceArb = fc
  .record({
    pattern: fc.constantFrom(...PATTERNS),
    weekday: fc.integer({ min: 0, max: 6 }),
    nth: fc.constantFrom(1, 2, 3, 4, 'last' as const),
    time: fc
      .tuple(fc.integer({ min: 4, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
    lengthMinutes: fc.constant(30),
    timeZone: fc.constantFrom(...ZONES),
    startsOn: fc
      .date({ min: new Date('2024-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
  })
  .map((c): Cadence => Cadence.parse(c.pattern === 'monthly-nth-weekday' ? c : { ...c, nth: undefined }));

describe('cadence occurrences', () => {
  test('every occurrence is on the weekday and at the local time, strictly increasing, none skipped', () => {
    fc.assert(
      fc.property(
        cadenceArb,
        fc.date({ min: new Date('2023-06-01'), max: new Date('2032-01-01'), noInvalidDate: true }),
        (cadence, after) => {
          const dates = occurrences(cadence, after, 20);
          expect(dates[0]!.getTime()).toBeGreaterThan(after.getTime());
          dates.forEach((d, i) => {
            const l = local(d, cadence.timeZone);
            expect(getDay(l)).toBe(cadence.weekday);
            expect(format(l, 'HH:mm')).toBe(cadence.time);
            expect(format(l, 'yyyy-MM-dd') >= cadence.startsOn).toBe(true);
            if (i === 0) return;
            const prev = local(dates[i - 1]!, cadence.timeZone);
            expect(d.getTime()).toBeGreaterThan(prev.getTime());
            // Calendar days apart (DST-proof): whole weeks, and for monthly one per consecutive month.
            const days = Math.round(
              (Date.UTC(l.getFullYear(), l.getMonth(), l.getDate()) - Date.UTC(prev.getFullYear(), prev.getMonth(), prev.getDate())) /
                86_400_000,
            );
            if (cadence.pattern === 'monthly-nth-weekday') {
              expect(l.getFullYear() * 12 + l.getMonth() - (prev.getFullYear() * 12 + prev.getMonth())).toBe(1);
              const n = cadence.nth!;
              if (n === 'last') expect(getDate(lastDayOfMonth(l)) - getDate(l)).toBeLessThan(7);
              else expect(Math.ceil(getDate(l) / 7)).toBe(n);
            } else {
              expect(days).toBe(WEEKS[cadence.pattern]);
            }
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  test('the next occurrence after any moment is the first of the series after it: the phase follows the start date', () => {
    fc.assert(
      fc.property(cadenceArb, fc.integer({ min: -48, max: 24 * 70 }), (cadence, hours) => {
        const all = occurrences(cadence, new Date(0), 12);
        const after = new Date(all[0]!.getTime() + hours * 3_600_000);
        expect(nextOccurrence(cadence, after)).toEqual(all.find((d) => d > after));
      }),
      { numRuns: 150 },
    );
  });

  test('a weekly 10:00 stays 10:00 local across the DST changes of Berlin and New York', () => {
    for (const timeZone of ['Europe/Berlin', 'America/New_York']) {
      const cadence: Cadence = { pattern: 'weekly', weekday: 0, time: '10:00', lengthMinutes: 30, timeZone, startsOn: '2026-03-01' };
      const dates = occurrences(cadence, new Date('2026-03-01T00:00:00Z'), 40);
      expect(dates.map((d) => format(local(d, timeZone), 'EEE HH:mm'))).toEqual(Array(40).fill('Sun 10:00'));
      // Across a change the UTC gap is a week minus or plus the hour that changed.
      const gaps = new Set(dates.slice(1).map((d, i) => (d.getTime() - dates[i]!.getTime()) / 3_600_000));
      expect(gaps).toEqual(new Set([167, 168, 169]));
    }
  });

  test('a time the spring-forward change skips is held an hour later that day', () => {
    const cadence: Cadence = {
      pattern: 'weekly',
      weekday: 0,
      time: '02:30',
      lengthMinutes: 30,
      timeZone: 'Europe/Berlin',
      startsOn: '2026-03-01',
    };
    const [date] = occurrences(cadence, new Date('2026-03-28T12:00:00Z'), 1);
    expect(format(local(date!, 'Europe/Berlin'), 'yyyy-MM-dd HH:mm')).toBe('2026-03-29 03:30');
  });

  test('monthly on the last Friday crosses month ends of 28 to 31 days', () => {
    const cadence: Cadence = {
      pattern: 'monthly-nth-weekday',
      nth: 'last',
      weekday: 5,
      time: '09:00',
      lengthMinutes: 45,
      timeZone: 'Pacific/Kiritimati',
      startsOn: '2027-01-01',
    };
    const dates = occurrences(cadence, new Date('2027-01-01T00:00:00Z'), 6).map((d) => format(local(d, cadence.timeZone), 'yyyy-MM-dd'));
    expect(dates).toEqual(['2027-01-29', '2027-02-26', '2027-03-26', '2027-04-30', '2027-05-28', '2027-06-25']);
  });
});

describe('reading a stored cadence', () => {
  const first = new Date('2030-01-15T09:30:00Z'); // a Tuesday, the 3rd of the month

  test('old strings read as their pattern on the first meeting’s weekday and time', () => {
    expect(readCadence('weekly', () => first, 'UTC')).toEqual({
      pattern: 'weekly',
      weekday: 2,
      time: '09:30',
      lengthMinutes: 30,
      timeZone: 'UTC',
      startsOn: '2030-01-15',
    });
    expect(readCadence('biweekly', () => first, 'Europe/Berlin')).toMatchObject({ pattern: 'biweekly', weekday: 2, time: '10:30' });
    expect(readCadence('monthly', () => first, 'UTC')).toMatchObject({ pattern: 'monthly-nth-weekday', nth: 3, weekday: 2 });
    expect(readCadence('monthly', () => new Date('2030-01-29T09:30:00Z'), 'UTC')).toMatchObject({ nth: 'last' });
  });

  test('anything unreadable reads as weekly; a full cadence reads as itself', () => {
    for (const junk of [
      undefined,
      42,
      'yearly',
      { pattern: 'weekly' },
      { pattern: 'weekly', weekday: 9, time: '10:00', lengthMinutes: 30, timeZone: 'UTC', startsOn: '2030-01-01' },
    ]) {
      expect(readCadence(junk, () => first, 'UTC').pattern).toBe('weekly');
    }
    const full: Cadence = {
      pattern: 'every-4-weeks',
      weekday: 4,
      time: '16:00',
      lengthMinutes: 60,
      timeZone: 'Asia/Kolkata',
      startsOn: '2030-02-07',
    };
    expect(readCadence(full, () => first, 'UTC')).toEqual(full);
  });
});

test('a time just after a DST change that is not on the hour is that time (Chatham moves 02:45 to 03:45)', () => {
  const cadence = {
    pattern: 'weekly',
    weekday: 0,
    time: '03:59',
    lengthMinutes: 30,
    timeZone: 'Pacific/Chatham',
    startsOn: '2020-09-01',
  } as const;
  expect(nextOccurrence(cadence, new Date('2020-09-21T00:00:00Z')).toISOString()).toBe('2020-09-26T14:14:00.000Z');
});
