/**
 * What the health signals read: a 1:1's history as plain data, taken from the validated reads of
 * its documents. The signals never see a Y.Doc, so the same history can be built from the series
 * document alone or from it and its archives (`combineHistories`), and tests can write one by hand.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { AgendaState, Purpose, Role, SeriesKind } from '../schemas.js';
import { listNextSteps, readItemTiming, readMeetingState } from '../domain/meetings.js';
import {
  MeetingStatus,
  meetingsMap,
  notesAuthorsMap,
  readAgenda,
  readMeetingChanges,
  readMeta,
  type AgendaItem,
} from '../domain/series-doc.js';

export interface MeetingRecord {
  id: string;
  scheduledFor: string;
  status: MeetingStatus;
  startedAt: string | null;
  endedAt: string | null;
  /** Characters of the shared notes by who wrote them (user id); text nobody can be named for is left out. */
  notesBy: Record<string, number>;
  /** Whether the shared notes hold any text at all, attributed or not. */
  hasNotes: boolean;
}

export interface ItemRecord {
  id: string;
  meetingId: string | null;
  purpose: Purpose | null;
  state: AgendaItem['state'];
  authorId: string;
  createdAt: string;
  discussedAt: string | null;
  /** The meeting that last carried it on (its agenda had it, though it left). */
  carriedFrom: string | null;
  carriedCount: number;
  hasContext: boolean;
  /** When and by whom its context was begun; null for items written before that was recorded. */
  contextAt: string | null;
  contextBy: string | null;
  async: boolean;
}

export interface StepRecord {
  id: string;
  ownerId: string | null;
  /** YYYY-MM-DD. */
  due: string | null;
  done: boolean;
  doneAt: string | null;
  meetingId: string | null;
}

export interface ChangeRecord {
  id: string;
  meetingId: string;
  kind: 'moved' | 'canceled';
  at: string;
  from?: string;
  to?: string;
}

export interface HealthHistory {
  kind: SeriesKind;
  createdAt: string;
  /** IANA zone the 1:1 meets in: months are counted there. */
  timeZone: string;
  /** The people in the 1:1 and their roles. */
  people: Record<string, Role>;
  meetings: MeetingRecord[];
  items: ItemRecord[];
  steps: StepRecord[];
  changes: ChangeRecord[];
}

/**
 * What a history takes from its series document besides meetings, items, next steps and changes:
 * the same for the series document and each of its archives, so an archive can be read without
 * its series document loaded. Keys are sorted, so the same facts always serialise the same.
 */
export interface SeriesFacts {
  kind: SeriesKind;
  createdAt: string;
  timeZone: string;
  people: Record<string, Role>;
  /** Who wrote notes from which Yjs client: clientID (as text) → user id. */
  authors: Record<string, string>;
}

const sortedRecord = <T>(entries: [string, T][]): Record<string, T> =>
  Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

export function readSeriesFacts(series: Y.Doc): SeriesFacts {
  const meta = readMeta(series);
  const authors: [string, string][] = [];
  notesAuthorsMap(series).forEach((userId, client) => {
    if (typeof userId === 'string' && userId.length <= 200 && Number.isSafeInteger(Number(client)))
      authors.push([String(Number(client)), userId]);
  });
  return {
    kind: meta.kind,
    createdAt: meta.createdAt,
    timeZone: meta.cadence.timeZone,
    people: sortedRecord(Object.entries(meta.participants).map(([id, p]) => [id, p.role])),
    authors: sortedRecord(authors),
  };
}

/** Characters of live text in `fragment`, by author; `any` counts every character. */
function countNotes(fragment: Y.XmlFragment, authors: Map<number, string>): { by: Record<string, number>; any: number } {
  const by: Record<string, number> = {};
  let any = 0;
  const walk = (node: Y.XmlFragment | Y.XmlElement | Y.XmlText) => {
    if (node instanceof Y.XmlText) {
      for (let item = node._start; item; item = item.right) {
        if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
        any += item.length;
        const author = authors.get(item.id.client);
        if (author !== undefined) by[author] = (by[author] ?? 0) + item.length;
      }
      return;
    }
    // The children's items directly: toArray() would copy every list of every meeting's notes.
    for (let item = node._start; item; item = item.right) {
      if (item.deleted || !(item.content instanceof Y.ContentType)) continue;
      const child = item.content.type;
      if (child instanceof Y.XmlElement || child instanceof Y.XmlText) walk(child);
    }
  };
  walk(fragment);
  return { by, any };
}

/**
 * The version of what readHealthHistory and readSeriesFacts make of a document: raise it whenever
 * they read a document differently, so that parts kept from an earlier reading are read again.
 */
export const HEALTH_READ_VERSION = 1;

/**
 * The history of one series document, or of one of its archive documents with `facts` those of
 * its series document: an archive holds meetings, items, next steps and changes only, so kind,
 * people, time zone and who wrote the notes come from the series. What does not fit the layout is
 * left out, as every read does.
 */
export function readHealthHistory(doc: Y.Doc, facts: SeriesFacts = readSeriesFacts(doc)): HealthHistory {
  const authors = new Map(Object.entries(facts.authors).map(([client, userId]) => [Number(client), userId]));
  const meetings: MeetingRecord[] = [];
  meetingsMap(doc).forEach((raw, id) => {
    const state = readMeetingState(doc, id);
    if (!state || !(raw instanceof Y.Map)) return;
    const notes = raw.get('notes');
    const counted = notes instanceof Y.XmlFragment ? countNotes(notes, authors) : { by: {}, any: 0 };
    meetings.push({
      id,
      scheduledFor: state.scheduledFor,
      status: state.status,
      startedAt: state.startedAt,
      endedAt: state.endedAt,
      notesBy: counted.by,
      hasNotes: counted.any > 0,
    });
  });
  meetings.sort((a, b) => a.scheduledFor.localeCompare(b.scheduledFor) || a.id.localeCompare(b.id));
  const items = readAgenda(doc).items.map((i): ItemRecord => {
    const timing = readItemTiming(doc, i.id);
    return {
      id: i.id,
      meetingId: i.meetingId,
      purpose: i.purpose,
      state: i.state,
      authorId: i.authorId,
      createdAt: i.createdAt,
      discussedAt: timing.discussedAt,
      carriedFrom: timing.carriedFrom,
      carriedCount: i.carriedCount,
      hasContext: i.context.trim().length > 0,
      contextAt: timing.contextAt,
      contextBy: timing.contextBy,
      async: i.async,
    };
  });
  const steps = listNextSteps(doc).map(({ id, ownerId, due, done, doneAt, meetingId }) => ({ id, ownerId, due, done, doneAt, meetingId }));
  const changes = readMeetingChanges(doc).map(({ id, meetingId, kind, at, from, to }) => ({
    id,
    meetingId,
    kind,
    at,
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  }));
  return {
    kind: facts.kind,
    createdAt: facts.createdAt,
    timeZone: facts.timeZone,
    people: facts.people,
    meetings,
    items,
    steps,
    changes,
  };
}

const byId = <T extends { id: string }>(lists: T[][]): T[] => [...new Map(lists.flat().map((x) => [x.id, x])).values()];

/**
 * One history from the series document's and its archives' (any order): entries are joined by id,
 * the later part winning, so an entry both hold is counted once. The first part gives kind, people
 * and time zone.
 */
export function combineHistories(first: HealthHistory, ...rest: HealthHistory[]): HealthHistory {
  const all = [first, ...rest];
  return {
    ...first,
    meetings: byId(all.map((h) => h.meetings)).sort((a, b) => a.scheduledFor.localeCompare(b.scheduledFor) || a.id.localeCompare(b.id)),
    items: byId(all.map((h) => h.items)),
    steps: byId(all.map((h) => h.steps)),
    changes: byId(all.map((h) => h.changes)).sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id)),
  };
}

/*
 * Histories and facts kept outside a document (the core keeps each document's part on the device)
 * are checked against these when read back: whatever does not fit is read from the document again.
 * They ask no more than the reads above guarantee, so a part read from a document always fits.
 */
/** A count per person. Not z.record, which costs ten times as much on the thousands of meetings a long 1:1 has (measured). */
const Counts = z.custom<Record<string, number>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((n) => typeof n === 'number'),
);

export const SeriesFactsSchema: z.ZodType<SeriesFacts> = z.object({
  kind: SeriesKind,
  createdAt: z.string(),
  timeZone: z.string(),
  people: z.record(z.string(), Role),
  authors: z.record(z.string(), z.string()),
});

export const HealthHistorySchema: z.ZodType<HealthHistory> = z.object({
  kind: SeriesKind,
  createdAt: z.string(),
  timeZone: z.string(),
  people: z.record(z.string(), Role),
  meetings: z.array(
    z.object({
      id: z.string(),
      scheduledFor: z.string(),
      status: MeetingStatus,
      startedAt: z.string().nullable(),
      endedAt: z.string().nullable(),
      notesBy: Counts,
      hasNotes: z.boolean(),
    }),
  ),
  items: z.array(
    z.object({
      id: z.string(),
      meetingId: z.string().nullable(),
      purpose: Purpose.nullable(),
      state: AgendaState,
      authorId: z.string(),
      createdAt: z.string(),
      discussedAt: z.string().nullable(),
      carriedFrom: z.string().nullable(),
      carriedCount: z.number(),
      hasContext: z.boolean(),
      contextAt: z.string().nullable(),
      contextBy: z.string().nullable(),
      async: z.boolean(),
    }),
  ),
  steps: z.array(
    z.object({
      id: z.string(),
      ownerId: z.string().nullable(),
      due: z.string().nullable(),
      done: z.boolean(),
      doneAt: z.string().nullable(),
      meetingId: z.string().nullable(),
    }),
  ),
  changes: z.array(
    z.object({
      id: z.string(),
      meetingId: z.string(),
      kind: z.enum(['moved', 'canceled']),
      at: z.string(),
      from: z.string().optional(),
      to: z.string().optional(),
    }),
  ),
});
