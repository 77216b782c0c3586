/**
 * One agenda item: reorder handle, discussed checkbox, live title, purpose, async/FYI, context,
 * author, menu (aim it at a later meeting, delete). An async item opens a written thread where it
 * can be settled without meeting time; an item of mine without context says so before the meeting.
 */
import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import * as Y from 'yjs';
import {
  changeItemText,
  CONTEXT_MAX,
  editItemText,
  removeAgendaItem,
  setItemAsync,
  setItemPurpose,
  setItemState,
  targetItem,
  TITLE_MAX,
} from '../../shared/domain/commands.js';
import { markDiscussed, readReplies, replyToItem, settleItem } from '../../shared/domain/meetings.js';
import { aimAtLaterMeeting, type LaterMeeting } from '../../shared/domain/series-commands.js';
import { agendaMap, type AgendaItem } from '../../shared/domain/series-doc.js';
import { Button } from '../components/Button.js';
import { IconButton } from '../components/IconButton.js';
import { ChevronIcon, GripIcon, MoreIcon } from '../components/icons.js';
import { Menu, MenuItem, MenuRadioGroup } from '../components/Menu.js';
import { Tag } from '../components/Tag.js';
import { useToasts } from '../components/Toasts.js';
import { initials } from '../lib/initials.js';
import { PURPOSE_CHOICES, purposeLabel } from '../lib/labels.js';
import { meetingDate } from '../lib/meeting-date.js';
import { useTextBinding } from '../lib/use-text-binding.js';
import type { SeriesReplica } from '../replica/series-replica.js';
import { LengthNote, TITLE_WARN } from './LengthNote.js';

export interface AgendaItemRowProps {
  replica: SeriesReplica;
  item: AgendaItem;
  /** The name of who added the item, when they are a participant of this 1:1. */
  authorName: string | undefined;
  /** Alt+ArrowUp / Alt+ArrowDown: move by one without dragging. */
  onMoveBy(item: AgendaItem, delta: -1 | 1): void;
  /** The next meeting, which marking discussed or settling files the item under. */
  meetingId: string | null;
  /** Point out that this item of mine has no context yet. */
  nudge: boolean;
  /** The later meetings it can be aimed at. */
  later: LaterMeeting[];
  /** Participants' names by id, for the written replies. */
  names: Record<string, string>;
}

export function AgendaItemRow({ replica, item, authorName, onMoveBy, meetingId, nudge, later, names }: AgendaItemRowProps) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: item.id });
  const discussed = item.state === 'discussed';
  const { showInfo } = useToasts();
  const [contextOpen, setContextOpen] = useState(false);
  const [threadOpen, setThreadOpen] = useState(false);
  const contextId = useId();
  const threadId = useId();
  const name = item.title || 'Untitled item';
  const titleText = useItemText(replica, item.id, 'title');
  const contextText = useItemText(replica, item.id, 'context');

  const onKeyDown = (e: KeyboardEvent<HTMLLIElement>) => {
    if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    onMoveBy(item, e.key === 'ArrowUp' ? -1 : 1);
  };

  const classes = ['agenda-item', discussed ? 'agenda-item--discussed' : '', isDragging ? 'agenda-item--dragging' : '']
    .filter(Boolean)
    .join(' ');

  return (
    <li
      ref={setNodeRef}
      role="listitem"
      className={classes}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      onKeyDown={onKeyDown}
      data-item-id={item.id}
    >
      <div className="agenda-item__row">
        <button
          ref={setActivatorNodeRef}
          type="button"
          className="drag-handle"
          {...attributes}
          {...listeners}
          aria-label={`Reorder ${name}`}
        >
          <GripIcon />
        </button>
        <input
          type="checkbox"
          className="checkbox"
          aria-label={`Mark ${name} discussed`}
          checked={discussed}
          onChange={(e) =>
            meetingId
              ? replica.run(markDiscussed, { meetingId, itemId: item.id, discussed: e.target.checked })
              : replica.run(setItemState, { itemId: item.id, state: e.target.checked ? 'discussed' : 'open' })
          }
        />
        {titleText && <TitleField replica={replica} item={item} text={titleText} />}
        <div className="agenda-item__tools">
          <Author name={authorName} />
          <button
            type="button"
            className="toggle"
            aria-pressed={item.async}
            aria-label={`Async: ${name}`}
            title="Async: to read before the meeting, no meeting time needed"
            onClick={() => replica.run(setItemAsync, { itemId: item.id, async: !item.async })}
          >
            Async
          </button>
          {item.async && (
            <button
              type="button"
              className="toggle"
              aria-expanded={threadOpen}
              aria-controls={threadId}
              aria-label={`Written replies to ${name}`}
              onClick={() => setThreadOpen((o) => !o)}
            >
              <ChevronIcon open={threadOpen} />
              Replies
            </button>
          )}
          {contextText && (
            <button
              type="button"
              className={`toggle toggle--context ${item.context ? 'toggle--has-content' : ''}`}
              aria-expanded={contextOpen}
              aria-controls={contextId}
              aria-label={`${item.context ? 'Context for' : 'Add context to'} ${name}`}
              onClick={() => setContextOpen((o) => !o)}
            >
              <ChevronIcon open={contextOpen} />
              {item.context ? 'Context' : 'Add context'}
            </button>
          )}
          {item.carriedCount > 0 && <span className="carried">carried ×{item.carriedCount}</span>}
          <Menu
            label={`Purpose of ${name}`}
            trigger={
              <Tag purpose={item.purpose} aria-label={`Purpose of ${name}: ${purposeLabel(item.purpose)}`}>
                {purposeLabel(item.purpose)}
              </Tag>
            }
          >
            <MenuRadioGroup
              value={item.purpose ?? 'none'}
              options={PURPOSE_CHOICES}
              onChange={(choice) => replica.run(setItemPurpose, { itemId: item.id, purpose: choice === 'none' ? null : choice })}
            />
          </Menu>
          <Menu
            label={`Actions for ${name}`}
            trigger={
              <IconButton label={`More actions for ${name}`}>
                <MoreIcon />
              </IconButton>
            }
          >
            {item.targetMeetingId && (
              <MenuItem onSelect={() => replica.run(targetItem, { itemId: item.id, meetingId: null })}>Back to the next meeting</MenuItem>
            )}
            {later
              .filter((m) => m.id !== item.targetMeetingId)
              .map((m) => (
                <MenuItem key={m.id} onSelect={() => replica.run(aimAtLaterMeeting, { itemId: item.id, meeting: m })}>
                  For the meeting on {meetingDate(m.scheduledFor)}
                </MenuItem>
              ))}
            <MenuItem danger onSelect={() => deleteItem(replica, item, showInfo)}>
              Delete
            </MenuItem>
          </Menu>
        </div>
      </div>
      {nudge && !contextOpen && (
        <p className="agenda-item__nudge meta" role="note">
          No context yet: a line on what this is about and what you&apos;d like from the conversation lets the meeting be spent discussing.
        </p>
      )}
      {threadOpen && <ReplyThread id={threadId} replica={replica} item={item} meetingId={meetingId} names={names} />}
      {contextOpen && contextText ? (
        <ContextField id={contextId} replica={replica} item={item} text={contextText} />
      ) : (
        item.context && <p className="agenda-item__context-preview meta">{item.context}</p>
      )}
    </li>
  );
}

function Author({ name }: { name: string | undefined }) {
  const who = name ? `Added by ${name}` : 'Added by someone no longer in this 1:1';
  return (
    <span className="author" title={who}>
      <span aria-hidden="true">{name ? initials(name) : '?'}</span>
      <span className="visually-hidden">{who}</span>
    </span>
  );
}

/** Deletes at once (no confirmation to click through) and offers the way back. */
function deleteItem(replica: SeriesReplica, item: AgendaItem, showInfo: ReturnType<typeof useToasts>['showInfo']): void {
  const undo = replica.runUndoable(removeAgendaItem, { itemId: item.id });
  showInfo(`Deleted “${item.title}”`, { label: 'Undo', run: undo });
}

/** Settles at once (it leaves the agenda) and offers the way back, like deleting. */
function settle(
  replica: SeriesReplica,
  item: AgendaItem,
  meetingId: string | null,
  showInfo: ReturnType<typeof useToasts>['showInfo'],
): void {
  const undo = replica.runUndoable(settleItem, { itemId: item.id, meetingId, settled: true });
  showInfo(`Settled “${item.title}” without meeting time`, { label: 'Undo', run: undo });
}

/** The item's live text; a context may be missing from a peer's older copy (nothing to edit then). */
function useItemText(replica: SeriesReplica, itemId: string, field: 'title' | 'context'): Y.Text | null {
  return useMemo(() => {
    const m = agendaMap(replica.doc).get(itemId);
    const text = m instanceof Y.Map ? m.get(field) : undefined;
    return text instanceof Y.Text ? text : null;
  }, [replica, itemId, field]);
}

/**
 * The title, one line until focused; focused, it wraps and grows to show all of it. Every
 * keystroke is stored; an emptied title is a slip, not an intent (deleting is in the menu), so
 * leaving it empty puts back the last title it had.
 */
function TitleField({ replica, item, text }: { replica: SeriesReplica; item: AgendaItem; text: Y.Text }) {
  const noteId = useId();
  const [focused, setFocused] = useState(false);
  const [dropped, setDropped] = useState(0);
  const lastTitle = useRef('');
  const binding = useTextBinding<HTMLTextAreaElement>(text, {
    edit: (change) => {
      replica.run(changeItemText, { itemId: item.id, field: 'title', ...change });
      if (text.toString().trim()) lastTitle.current = text.toString();
    },
    maxLength: TITLE_MAX,
    onCut: setDropped,
    singleLine: true,
  });
  const note = focused && (dropped > 0 || item.title.length >= TITLE_WARN);
  return (
    <div className="agenda-item__title-field">
      <textarea
        {...binding}
        className="agenda-item__title"
        aria-label="Item title"
        aria-describedby={note ? noteId : undefined}
        title={item.title}
        rows={1}
        onFocus={() => {
          lastTitle.current = text.toString();
          setFocused(true);
        }}
        onBlur={() => {
          setFocused(false);
          setDropped(0);
          if (!text.toString().trim() && lastTitle.current.trim()) {
            replica.run(editItemText, { itemId: item.id, field: 'title', value: lastTitle.current });
          }
        }}
        onKeyDown={(e) => e.key === 'Enter' && e.preventDefault()}
      />
      {note && <LengthNote id={noteId} what="Titles" length={item.title.length} max={TITLE_MAX} warnFrom={TITLE_WARN} dropped={dropped} />}
    </div>
  );
}

function ContextField({ id, replica, item, text }: { id: string; replica: SeriesReplica; item: AgendaItem; text: Y.Text }) {
  const noteId = useId();
  const [dropped, setDropped] = useState(0);
  const binding = useTextBinding<HTMLTextAreaElement>(text, {
    edit: (change) => replica.run(changeItemText, { itemId: item.id, field: 'context', ...change }),
    maxLength: CONTEXT_MAX,
    onCut: setDropped,
  });
  return (
    <div className="agenda-item__context-field">
      <textarea
        {...binding}
        id={id}
        className="input input--multiline agenda-item__context"
        aria-label={`Context for ${item.title || 'Untitled item'}`}
        aria-describedby={dropped > 0 ? noteId : undefined}
        placeholder="Background, links, what you'd like from the conversation…"
        rows={3}
        autoFocus
      />
      <LengthNote
        id={noteId}
        what="Context"
        length={item.context.length}
        max={CONTEXT_MAX}
        warnFrom={CONTEXT_MAX - 500}
        dropped={dropped}
      />
    </div>
  );
}

/** The written answers to an async item, a reply box, and settling it without meeting time. */
function ReplyThread({
  id,
  replica,
  item,
  meetingId,
  names,
}: {
  id: string;
  replica: SeriesReplica;
  item: AgendaItem;
  meetingId: string | null;
  names: Record<string, string>;
}) {
  const [draft, setDraft] = useState('');
  const { showInfo } = useToasts();
  const name = item.title || 'Untitled item';
  // Replies live on the item's map, which the agenda subscription already follows.
  const replies = readReplies(replica.doc, item.id);
  const send = (e: FormEvent) => {
    e.preventDefault();
    if (!draft.trim()) return;
    replica.run(replyToItem, { itemId: item.id, text: draft });
    setDraft('');
  };
  return (
    <div id={id} className="agenda-item__thread">
      {replies.length > 0 && (
        <ul className="thread" aria-label={`Replies to ${name}`}>
          {replies.map((r) => (
            <li key={r.id}>
              <span className="meta">{names[r.by] ?? 'Someone no longer in this 1:1'}: </span>
              {r.text}
            </li>
          ))}
        </ul>
      )}
      <form className="thread__form" onSubmit={send}>
        <input
          className="input"
          aria-label={`Reply to ${name}`}
          placeholder="Answer in writing…"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <Button type="submit" size="small" disabled={!draft.trim()}>
          Reply
        </Button>
        <Button size="small" variant="primary" onClick={() => settle(replica, item, meetingId, showInfo)}>
          Settle {name}
        </Button>
      </form>
    </div>
  );
}
