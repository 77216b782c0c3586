/** One agenda item: reorder handle, discussed checkbox, editable title, purpose, async/FYI, context, menu. */
import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useId, useState, type KeyboardEvent } from 'react';
import { editItemText, removeAgendaItem, setItemAsync, setItemPurpose, setItemState } from '../../shared/domain/commands.js';
import type { AgendaItem } from '../../shared/domain/series-doc.js';
import { IconButton } from '../components/IconButton.js';
import { ChevronIcon, GripIcon, MoreIcon } from '../components/icons.js';
import { Menu, MenuItem, MenuRadioGroup } from '../components/Menu.js';
import { Tag } from '../components/Tag.js';
import { useToasts } from '../components/Toasts.js';
import { PURPOSES, purposeLabel } from '../lib/labels.js';
import { useDraft } from '../lib/use-draft.js';
import type { SeriesReplica } from '../replica/series-replica.js';

export interface AgendaItemRowProps {
  replica: SeriesReplica;
  item: AgendaItem;
  /** Alt+ArrowUp / Alt+ArrowDown: move by one without dragging. */
  onMoveBy(item: AgendaItem, delta: -1 | 1): void;
}

export function AgendaItemRow({ replica, item, onMoveBy }: AgendaItemRowProps) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: item.id });
  const discussed = item.state === 'discussed';
  const { showInfo } = useToasts();
  const [contextOpen, setContextOpen] = useState(false);
  const contextId = useId();
  const title = useDraft(
    item.title,
    (draft) => {
      // An emptied title is a slip, not an intent: deleting is in the menu.
      if (draft.trim()) replica.run(editItemText, { itemId: item.id, field: 'title', value: draft.trim() });
    },
    { commitOnEnter: true },
  );

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
          aria-label={`Reorder ${item.title}`}
        >
          <GripIcon />
        </button>
        <input
          type="checkbox"
          className="checkbox"
          aria-label={`Mark ${item.title} discussed`}
          checked={discussed}
          onChange={(e) => replica.run(setItemState, { itemId: item.id, state: e.target.checked ? 'discussed' : 'open' })}
        />
        <input className="agenda-item__title" aria-label="Item title" maxLength={500} {...title} />
        <div className="agenda-item__tools">
          <button
            type="button"
            className="toggle"
            aria-pressed={item.async}
            aria-label={`Async: ${item.title}`}
            title="Async: to read before the meeting, no meeting time needed"
            onClick={() => replica.run(setItemAsync, { itemId: item.id, async: !item.async })}
          >
            Async
          </button>
          <button
            type="button"
            className={`toggle toggle--context ${item.context ? 'toggle--has-content' : ''}`}
            aria-expanded={contextOpen}
            aria-controls={contextId}
            aria-label={`${item.context ? 'Context for' : 'Add context to'} ${item.title}`}
            title={item.context ? 'Show context' : 'Add context'}
            onClick={() => setContextOpen((o) => !o)}
          >
            <ChevronIcon open={contextOpen} />
            {item.context && 'Context'}
          </button>
          <Menu
            label={`Purpose of ${item.title}`}
            trigger={
              <Tag purpose={item.purpose} aria-label={`Purpose of ${item.title}: ${purposeLabel(item.purpose)}`}>
                {purposeLabel(item.purpose)}
              </Tag>
            }
          >
            <MenuRadioGroup
              value={item.purpose}
              options={PURPOSES}
              onChange={(purpose) => replica.run(setItemPurpose, { itemId: item.id, purpose })}
            />
          </Menu>
          <Menu
            label={`Actions for ${item.title}`}
            trigger={
              <IconButton label={`More actions for ${item.title}`}>
                <MoreIcon />
              </IconButton>
            }
          >
            <MenuItem danger onSelect={() => deleteItem(replica, item, showInfo)}>
              Delete
            </MenuItem>
          </Menu>
        </div>
      </div>
      {contextOpen ? (
        <ContextField id={contextId} replica={replica} item={item} />
      ) : (
        item.context && <p className="agenda-item__context-preview meta">{item.context}</p>
      )}
    </li>
  );
}

/** Deletes at once (no confirmation to click through) and offers the way back. */
function deleteItem(replica: SeriesReplica, item: AgendaItem, showInfo: ReturnType<typeof useToasts>['showInfo']): void {
  const undo = replica.runUndoable(removeAgendaItem, { itemId: item.id });
  showInfo(`Deleted “${item.title}”`, { label: 'Undo', run: undo });
}

function ContextField({ id, replica, item }: { id: string; replica: SeriesReplica; item: AgendaItem }) {
  const context = useDraft(item.context, (draft) => replica.run(editItemText, { itemId: item.id, field: 'context', value: draft }));
  return (
    <textarea
      id={id}
      className="input input--multiline agenda-item__context"
      aria-label={`Context for ${item.title}`}
      placeholder="Background, links, what you'd like from the conversation…"
      rows={3}
      maxLength={10_000}
      autoFocus
      {...context}
    />
  );
}
