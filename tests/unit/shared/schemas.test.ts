import { describe, expect, test } from 'vitest';
import type { z } from 'zod';
import {
  AddAgendaItemInput,
  CreateSeriesInput,
  InvitePayload,
  SeriesRef,
  SetProfileInput,
  SetRelayInput,
  describeZodError,
  explainZodError,
} from '../../../src/shared/schemas.js';

const id = '0f8fad5b-d9cb-469f-a165-70867728950e';

/** The sentence a bad input produces, or a failure when the input was accepted. */
function rejection(schema: z.ZodType, input: unknown): string {
  const result = schema.safeParse(input);
  expect(result.success, `expected ${JSON.stringify(input)} to be rejected`).toBe(false);
  return explainZodError(result.error!);
}

describe("schemas reject bad inputs with a sentence about the person's action, verbatim", () => {
  test.each([
    ['blank partner name', CreateSeriesInput, { partnerName: '   ', kind: 'peer' }, /^Please enter a name\.$/],
    [
      'unknown kind',
      CreateSeriesInput,
      { partnerName: 'Sam', kind: 'boss' },
      /^Something in that request is not valid \(kind: .*manager-report.*\)\.$/,
    ],
    [
      'manager-report without myRole',
      CreateSeriesInput,
      { partnerName: 'Sam', kind: 'manager-report' },
      /^Choose whether you are the manager or the report in this 1:1\.$/,
    ],
    [
      'skip-level without myRole',
      CreateSeriesInput,
      { partnerName: 'Sam', kind: 'skip-level' },
      /^Choose whether you are the manager or the report in this 1:1\.$/,
    ],
    [
      'peer with a role',
      CreateSeriesInput,
      { partnerName: 'Sam', kind: 'peer', myRole: 'manager' },
      /^A peer 1:1 has no manager or report\.$/,
    ],
    ['extra field', CreateSeriesInput, { partnerName: 'Sam', kind: 'peer', admin: true }, /"admin"/],
    [
      'bad first meeting date',
      CreateSeriesInput,
      { partnerName: 'Sam', kind: 'peer', firstMeetingAt: 'tomorrow' },
      /^The first meeting needs a date and a time\.$/,
    ],
    ['over-long partner name', CreateSeriesInput, { partnerName: 'x'.repeat(81), kind: 'peer' }, /^A name can be at most 80 characters\.$/],
    ['non-uuid series id', SeriesRef, { seriesId: 'abc' }, /^That 1:1 or item could not be found \(its id is not valid\)\.$/],
    ['over-long title', AddAgendaItemInput, { seriesId: id, title: 'x'.repeat(501) }, /^An item title can be at most 500 characters\.$/],
    ['blank title', AddAgendaItemInput, { seriesId: id, title: ' ' }, /^Please enter a title for the item\.$/],
    [
      'unknown purpose',
      AddAgendaItemInput,
      { seriesId: id, title: 'x', purpose: 'gossip' },
      /^Something in that request is not valid \(purpose: /,
    ],
    [
      'over-long context',
      AddAgendaItemInput,
      { seriesId: id, title: 'x', context: 'c'.repeat(10_001) },
      /^The context of an item can be at most 10,000 characters\.$/,
    ],
    ['name that is not text', SetProfileInput, { name: 42 }, /^A name must be text\.$/],
    [
      'relay that is not a websocket address',
      SetRelayInput,
      { url: 'http://relay' },
      /^That doesn't look like a relay address: it should start with ws:\/\/ or wss:\/\/\.$/,
    ],
  ])('%s', (_, schema, input, message) => {
    expect(rejection(schema, input)).toMatch(message);
  });

  test('several bad fields give one sentence each', () => {
    expect(rejection(AddAgendaItemInput, { seriesId: 'nope', title: '' })).toBe(
      'That 1:1 or item could not be found (its id is not valid). Please enter a title for the item.',
    );
  });

  test('for logs, the technical form names each bad field', () => {
    const result = AddAgendaItemInput.safeParse({ seriesId: 'nope', title: '' });
    expect(describeZodError(result.error!)).toBe(
      'seriesId: That 1:1 or item could not be found (its id is not valid).; title: Please enter a title for the item.',
    );
  });

  test('an invite whose secret is not 256 bits is rejected', () => {
    const invite = { v: 1, relay: 'ws://r', room: id, secret: 'short', title: 't', from: { name: 'D' }, role: 'report' };
    expect(rejection(InvitePayload, invite)).toMatch(/^Something in that request is not valid \(secret: secret must be 256 bits/);
  });
});

describe('schemas accept good inputs and fill defaults', () => {
  test('a peer 1:1 trims the name and leaves the cadence to the core (weekly from the first meeting)', () => {
    expect(CreateSeriesInput.parse({ partnerName: '  Sam ', kind: 'peer' })).toEqual({ partnerName: 'Sam', kind: 'peer' });
  });

  test('a cadence with an unknown time zone or a monthly pattern without its week is refused', () => {
    const cadence = { pattern: 'weekly', weekday: 1, time: '10:00', lengthMinutes: 30, timeZone: 'Europe/Berlin', startsOn: '2030-01-07' };
    expect(CreateSeriesInput.safeParse({ partnerName: 'Sam', kind: 'peer', cadence }).success).toBe(true);
    expect(
      CreateSeriesInput.safeParse({ partnerName: 'Sam', kind: 'peer', cadence: { ...cadence, timeZone: 'Mars/Olympus' } }).success,
    ).toBe(false);
    expect(
      CreateSeriesInput.safeParse({ partnerName: 'Sam', kind: 'peer', cadence: { ...cadence, pattern: 'monthly-nth-weekday' } }).success,
    ).toBe(false);
    expect(CreateSeriesInput.safeParse({ partnerName: 'Sam', kind: 'peer', cadence: { ...cadence, time: '25:00' } }).success).toBe(false);
  });

  test('an agenda item defaults to an empty context, no purpose and not async', () => {
    expect(AddAgendaItemInput.parse({ seriesId: id, title: 'Growth' })).toEqual({
      seriesId: id,
      title: 'Growth',
      context: '',
      async: false,
    });
  });
});
