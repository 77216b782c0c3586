/**
 * Binds a plain <input> or <textarea> to a shared Y.Text, so what is on screen is in the document:
 * every input event is stored at once as the smallest change (through `edit`, a domain command
 * run on the replica, so it is saved, synced and undoable), and a change from elsewhere (the
 * other person, an undo) is shown with the caret kept next to the characters it was next to.
 */
import { useEffect, useRef, type ChangeEvent } from 'react';
import type * as Y from 'yjs';
import { applyChange, cutTo, diffText, isNoChange, shiftOffset, type TextChange } from '../../shared/domain/text-change.js';

type Field = HTMLInputElement | HTMLTextAreaElement;

export interface TextBindingOptions {
  edit(change: TextChange): void;
  /** Characters that would pass this length are left out; `onCut` hears how many (0 when none). */
  maxLength: number;
  onCut?(dropped: number): void;
  /** Line breaks become spaces (titles are one line). */
  singleLine?: boolean;
}

export function useTextBinding<E extends Field>(text: Y.Text, options: TextBindingOptions) {
  const ref = useRef<E>(null);
  const latest = useRef(options);
  latest.current = options;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.value = text.toString();
    // The field always holds the text as it was before this event: its own input events are
    // stored synchronously, so here it differs only by a change from elsewhere.
    const onRemote = (event: Y.YTextEvent) => {
      const value = text.toString();
      if (el.value === value) return;
      const [start, end] = [el.selectionStart ?? 0, el.selectionEnd ?? 0];
      const focused = document.activeElement === el;
      el.value = value;
      if (focused) el.setSelectionRange(shiftOffset(event.delta, start), shiftOffset(event.delta, end));
    };
    text.observe(onRemote);
    return () => text.unobserve(onRemote);
  }, [text]);

  const onChange = (e: ChangeEvent<E>) => {
    const el = e.currentTarget;
    const { edit, maxLength, onCut, singleLine } = latest.current;
    const before = text.toString();
    const change = diffText(before, el.value, el.selectionEnd ?? undefined);
    if (singleLine) change.insert = change.insert.replace(/[\r\n]/g, ' ');
    const room = maxLength - (before.length - change.remove);
    const dropped = Math.max(0, change.insert.length - Math.max(0, room));
    change.insert = cutTo(change.insert, room);
    const stored = applyChange(before, change);
    if (stored !== el.value) {
      el.value = stored;
      const caret = change.index + change.insert.length;
      el.setSelectionRange(caret, caret);
    }
    if (!isNoChange(change)) edit(change);
    onCut?.(dropped);
  };

  return { ref, defaultValue: text.toString(), onChange };
}
