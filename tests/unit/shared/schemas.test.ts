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
} from '../../../src/shared/schemas.js';

const id = '0f8fad5b-d9cb-469f-a165-70867728950e';

/** The sentence a bad input produces, or a failure when the input was accepted. */
function rejection(schema: z.ZodType, input: unknown): string {
  const result = schema.safeParse(input);
  expect(result.success, `expected ${JSON.stringify(input)} to be rejected`).toBe(false);
  return describeZodError(result.error!);
}

describe('schemas reject bad inputs with a sentence naming the field', () => {
  test.each([
    ['blank partner name', CreateSeriesInput, { partnerName: '   ', kind: 'peer' }, /^partnerName: name must not be empty$/],
    ['unknown kind', CreateSeriesInput, { partnerName: 'Sam', kind: 'boss' }, /^kind: .*manager-report/],
    ['manager-report without myRole', CreateSeriesInput, { partnerName: 'Sam', kind: 'manager-report' }, /^myRole: myRole is required/],
    ['skip-level without myRole', CreateSeriesInput, { partnerName: 'Sam', kind: 'skip-level' }, /^myRole: .*skip-level/],
    ['peer with a role', CreateSeriesInput, { partnerName: 'Sam', kind: 'peer', myRole: 'manager' }, /^myRole: a peer 1:1 has no/],
    ['extra field', CreateSeriesInput, { partnerName: 'Sam', kind: 'peer', admin: true }, /"admin"/],
    ['bad first meeting date', CreateSeriesInput, { partnerName: 'Sam', kind: 'peer', firstMeetingAt: 'tomorrow' }, /^firstMeetingAt: /],
    ['over-long partner name', CreateSeriesInput, { partnerName: 'x'.repeat(81), kind: 'peer' }, /^partnerName: .*80/],
    ['non-uuid series id', SeriesRef, { seriesId: 'abc' }, /^seriesId: must be an id/],
    ['over-long title', AddAgendaItemInput, { seriesId: id, title: 'x'.repeat(501) }, /^title: title must be at most 500/],
    ['blank title', AddAgendaItemInput, { seriesId: id, title: ' ' }, /^title: title must not be empty$/],
    ['unknown purpose', AddAgendaItemInput, { seriesId: id, title: 'x', purpose: 'gossip' }, /^purpose: /],
    ['over-long context', AddAgendaItemInput, { seriesId: id, title: 'x', context: 'c'.repeat(10_001) }, /^context: .*10,000/],
    ['name that is not text', SetProfileInput, { name: 42 }, /^name: name must be text$/],
    ['relay that is not a websocket address', SetRelayInput, { url: 'http://relay' }, /^url: relay must be a ws/],
  ])('%s', (_, schema, input, message) => {
    expect(rejection(schema, input)).toMatch(message);
  });

  test('several bad fields are all named in one sentence', () => {
    const message = rejection(AddAgendaItemInput, { seriesId: 'nope', title: '' });
    expect(message).toContain('seriesId: ');
    expect(message).toContain('title: ');
  });

  test('an invite whose secret is not 256 bits is rejected', () => {
    const invite = { v: 1, relay: 'ws://r', room: id, secret: 'short', title: 't', from: { name: 'D' }, role: 'report' };
    expect(rejection(InvitePayload, invite)).toMatch(/^secret: secret must be 256 bits/);
  });
});

describe('schemas accept good inputs and fill defaults', () => {
  test('a peer 1:1 defaults to weekly and trims the name', () => {
    expect(CreateSeriesInput.parse({ partnerName: '  Sam ', kind: 'peer' })).toEqual({
      partnerName: 'Sam',
      kind: 'peer',
      cadence: 'weekly',
    });
  });

  test('an agenda item defaults to an empty context, status purpose and not async', () => {
    expect(AddAgendaItemInput.parse({ seriesId: id, title: 'Growth' })).toEqual({
      seriesId: id,
      title: 'Growth',
      context: '',
      purpose: 'status',
      async: false,
    });
  });
});
