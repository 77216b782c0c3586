/**
 * The agenda of the next meeting, in shared order, and below it the items waiting for a later
 * meeting. Reordering (drag, keyboard drag, Alt+Arrow) changes only the moved item's fractional
 * key, so the other person's concurrent moves merge.
 */
import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  closestCenter,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { useMemo, useState } from 'react';
import { moveAgendaItem, targetItem } from '../../shared/domain/commands.js';
import { laterMeetings } from '../../shared/domain/series-commands.js';
import { listMeetings, needsContext, type AgendaItem } from '../../shared/domain/series-doc.js';
import { Button } from '../components/Button.js';
import { meetingDate } from '../lib/meeting-date.js';
import type { SeriesReplica } from '../replica/series-replica.js';
import { useMeta } from '../replica/use-doc-part.js';
import { AgendaItemRow } from './AgendaItemRow.js';

export interface AgendaProps {
  replica: SeriesReplica;
  /** The live agenda (see liveAgenda). */
  items: AgendaItem[];
  /** Items waiting for a later meeting. */
  waiting: AgendaItem[];
  /** The next meeting, null when none is planned. */
  meetingId: string | null;
  /** Whether the next meeting has not started yet: the time to point out items without context. */
  beforeMeeting: boolean;
  userId: string;
}

export function Agenda(props: AgendaProps) {
  const { replica, waiting } = props;
  const later = useMemo(() => laterMeetings(replica.doc, 3, new Date()), [replica.doc, props.meetingId, waiting]);
  return (
    <>
      <AgendaList {...props} later={later} />
      {waiting.length > 0 && (
        <div className="agenda-later">
          <h3 id="later-heading">For later meetings</h3>
          <ul className="agenda-later__list" aria-labelledby="later-heading">
            {waiting.map((item) => (
              <li key={item.id}>
                <span>{item.title}</span>
                <span className="meta muted">{waitingDate(replica, item)}</span>
                <Button size="small" variant="ghost" onClick={() => replica.run(targetItem, { itemId: item.id, meetingId: null })}>
                  Bring {item.title} to the next meeting
                </Button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

function waitingDate(replica: SeriesReplica, item: AgendaItem): string {
  const meeting = listMeetings(replica.doc).find((m) => m.id === item.targetMeetingId);
  return meeting ? meetingDate(meeting.scheduledFor) : '';
}

function AgendaList({
  replica,
  items,
  meetingId,
  beforeMeeting,
  userId,
  later,
}: AgendaProps & { later: ReturnType<typeof laterMeetings> }) {
  const [announcement, setAnnouncement] = useState('');
  const { participants } = useMeta(replica.doc);
  const names = useMemo(() => Object.fromEntries(Object.entries(participants).map(([id, p]) => [id, p.name])), [participants]);
  const sensors = useSensors(
    // A few pixels of slack so a click on the handle is not a drag.
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const titleOf = (id: UniqueIdentifier) => items.find((i) => i.id === id)?.title ?? 'item';
  const positionOf = (id: UniqueIdentifier) => items.findIndex((i) => i.id === id) + 1;

  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${titleOf(active.id)}, position ${positionOf(active.id)} of ${items.length}.`,
    onDragOver: ({ active, over }) =>
      over ? `${titleOf(active.id)} is over position ${positionOf(over.id)} of ${items.length}.` : undefined,
    onDragEnd: ({ active, over }) =>
      over ? `Moved ${titleOf(active.id)} to position ${positionOf(over.id)} of ${items.length}.` : `Dropped ${titleOf(active.id)}.`,
    onDragCancel: ({ active }) => `Reordering cancelled. ${titleOf(active.id)} stays at position ${positionOf(active.id)}.`,
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    replica.run(moveAgendaItem, { itemId: String(active.id), toIndex: items.findIndex((i) => i.id === over.id) });
  };

  const moveBy = (item: AgendaItem, delta: -1 | 1) => {
    const from = items.findIndex((i) => i.id === item.id);
    const to = from + delta;
    if (to < 0 || to >= items.length) return;
    const focused = document.activeElement;
    replica.run(moveAgendaItem, { itemId: item.id, toIndex: to });
    setAnnouncement(`Moved ${item.title} to position ${to + 1} of ${items.length}.`);
    // React may move the row's DOM node, which drops focus; put it back where the user was.
    requestAnimationFrame(() => {
      if (focused instanceof HTMLElement && focused.isConnected && document.activeElement !== focused) focused.focus();
    });
  };

  if (items.length === 0) {
    return (
      <p className="agenda-empty muted">
        Nothing on the agenda yet. Add what you want to talk about; the other person sees it as soon as you share this 1:1.
      </p>
    );
  }

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{
        announcements,
        screenReaderInstructions: {
          draggable:
            'To reorder, press Space or Enter, move with the arrow keys, and press Space or Enter again to drop. Escape cancels. Alt+Up and Alt+Down also move an item.',
        },
      }}
    >
      <SortableContext items={items.map((i) => i.id)} strategy={verticalListSortingStrategy}>
        <ul className="agenda" role="list" aria-label="Agenda">
          {items.map((item) => (
            <AgendaItemRow
              key={item.id}
              replica={replica}
              item={item}
              authorName={participants[item.authorId]?.name}
              onMoveBy={moveBy}
              meetingId={meetingId}
              nudge={beforeMeeting && needsContext(item, userId)}
              later={later}
              names={names}
            />
          ))}
        </ul>
      </SortableContext>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
    </DndContext>
  );
}
