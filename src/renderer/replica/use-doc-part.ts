/**
 * Subscriptions to one part of an open 1:1 document, so a component re-renders only when its part
 * changes: typing in the notes re-renders the editor, not the agenda or the header.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import * as Y from 'yjs';
import { archivedMap, readArchived, type ArchivedMeeting } from '../../shared/domain/archive.js';
import {
  agendaMap,
  liveAgenda,
  listMeetings,
  meetingChangesMap,
  meetingsMap,
  metaMap,
  nextMeeting,
  readMeetingChanges,
  readMeta,
  type AgendaItem,
  type Meeting,
  type MeetingChange,
  type SeriesMeta,
  waitingItems,
} from '../../shared/domain/series-doc.js';

/** The value `read()` returns, read again whenever `type` changes in a way `relevant` accepts. */
export function useDocPart<T>(
  type: Y.AbstractType<unknown>,
  read: () => T,
  relevant: (events: Y.YEvent<Y.AbstractType<unknown>>[]) => boolean = () => true,
): T {
  const [value, setValue] = useState(read);
  const latest = useRef({ read, relevant });
  latest.current = { read, relevant };
  useEffect(() => {
    const onChange = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      if (latest.current.relevant(events)) setValue(latest.current.read());
    };
    setValue(latest.current.read());
    type.observeDeep(onChange);
    return () => type.unobserveDeep(onChange);
  }, [type]);
  return value;
}

export function useMeta(doc: Y.Doc): SeriesMeta {
  return useDocPart(metaMap(doc) as Y.AbstractType<unknown>, () => readMeta(doc));
}

/** Meetings' own fields (date, status), not their notes or check-ins: those are deeper down. */
const meetingFieldsChanged = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => events.some((e) => e.path.length <= 1);

export function useNextMeeting(doc: Y.Doc): Meeting | null {
  return useDocPart(meetingsMap(doc) as Y.AbstractType<unknown>, () => nextMeeting(doc), meetingFieldsChanged);
}

export function useMeetings(doc: Y.Doc): Meeting[] {
  return useDocPart(meetingsMap(doc) as Y.AbstractType<unknown>, () => listMeetings(doc), meetingFieldsChanged);
}

export function useMeetingChanges(doc: Y.Doc): MeetingChange[] {
  return useDocPart(meetingChangesMap(doc) as Y.AbstractType<unknown>, () => readMeetingChanges(doc));
}

/**
 * The live agenda and the items waiting for later meetings. Both depend on the meetings too (which
 * one is next), so a change to either part reads them again.
 */
export function useLiveAgenda(doc: Y.Doc): { live: AgendaItem[]; waiting: AgendaItem[] } {
  // A new token on every agenda change; the meetings' own fields as they are.
  const itemsChanged = useDocPart(agendaMap(doc) as Y.AbstractType<unknown>, () => ({}));
  const meetings = useMeetings(doc);
  return useMemo(() => ({ live: liveAgenda(doc), waiting: waitingItems(doc) }), [doc, itemsChanged, meetings]);
}

/** The meetings that moved to archive documents, from the series document's index. */
export function useArchived(doc: Y.Doc): ArchivedMeeting[] {
  return useDocPart(archivedMap(doc) as Y.AbstractType<unknown>, () => readArchived(doc));
}
