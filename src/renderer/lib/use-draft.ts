/**
 * Editing a shared text field without fighting the other person: while the field has focus it
 * shows the user's draft; on blur (or Enter) the draft is committed as a minimal diff, so a
 * concurrent edit elsewhere in the text survives. Escape throws the draft away.
 */
import { useRef, useState, type ChangeEvent, type FocusEvent, type KeyboardEvent } from 'react';

type Field = HTMLInputElement | HTMLTextAreaElement;

export function useDraft(value: string, commit: (draft: string) => void, { commitOnEnter = false } = {}) {
  const [draft, setDraft] = useState<string | null>(null);
  const cancelled = useRef(false);

  return {
    value: draft ?? value,
    onFocus: () => {
      cancelled.current = false;
      setDraft(value);
    },
    onChange: (e: ChangeEvent<Field>) => setDraft(e.target.value),
    onBlur: (e: FocusEvent<Field>) => {
      if (!cancelled.current) commit(e.target.value);
      setDraft(null);
    },
    onKeyDown: (e: KeyboardEvent<Field>) => {
      if (e.key === 'Escape') {
        cancelled.current = true;
        e.stopPropagation();
        e.currentTarget.blur();
      } else if (e.key === 'Enter' && commitOnEnter && !e.nativeEvent.isComposing) {
        e.preventDefault();
        e.currentTarget.blur();
      }
    },
  };
}
