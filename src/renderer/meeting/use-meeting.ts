/**
 * The parts of an open 1:1 that meeting mode shows, each subscribed to separately: the meeting's
 * own fields and check-ins (not its notes, which only the editor follows), the agenda, and the
 * next steps.
 */
import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { currentMeeting, listNextSteps, type MeetingState, type NextStep } from '../../shared/domain/meetings.js';
import { actionsMap, agendaMap, listAgenda, meetingsMap, type AgendaItem } from '../../shared/domain/series-doc.js';
import { useDocPart } from '../replica/use-doc-part.js';

const notNotes = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => events.some((e) => e.path[1] !== 'notes');

/**
 * The meeting being held or next to hold. Every change to meetings but their notes gives a new
 * object, so what the caller reads from the document in render (check-ins) stays current.
 */
export function useCurrentMeeting(doc: Y.Doc): MeetingState | null {
  return useDocPart(meetingsMap(doc) as Y.AbstractType<unknown>, () => currentMeeting(doc), notNotes);
}

export function useAllItems(doc: Y.Doc): AgendaItem[] {
  return useDocPart(agendaMap(doc) as Y.AbstractType<unknown>, () => listAgenda(doc));
}

export function useAllNextSteps(doc: Y.Doc): NextStep[] {
  return useDocPart(actionsMap(doc) as Y.AbstractType<unknown>, () => listNextSteps(doc));
}

/** Re-renders every second while `running`, for timers computed from stored timestamps. */
export function useNow(running: boolean): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return running ? now : new Date();
}

export function formatElapsed(ms: number): string {
  const total = Math.floor(ms / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}
