/**
 * Quick-add: one line to an agenda, from anywhere. In the desktop app it is the small window the
 * global shortcut opens (Enter saves and closes, Esc closes); in a browser it is the page at
 * #/quick-add, which stays open for the next line. The line is parsed as it is typed to show where
 * it will go; the core parses it again and stores the item before answering.
 */
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { TandemApi } from '../../shared/api.js';
import { completeLine, matchTargets, parseQuickAdd, type QuickAddChoice } from '../../shared/quick-add.js';
import {
  adoptEarlyQuickAdd,
  earlyQuickAddText,
  QUICK_ADD_LABEL,
  QUICK_ADD_MAX_LENGTH,
  QUICK_ADD_PLACEHOLDER,
} from '../lib/early-quick-add.js';
import { purposeLabel } from '../lib/labels.js';

/** The desktop window closes itself; a browser tab is the user's to close. */
const inOwnWindow = () => window.tandem !== undefined;
const closeWindow = () => {
  if (inOwnWindow()) window.close();
};

/** The core answers with TandemErrors, whose message is written for people. */
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

const nameOf = (c: QuickAddChoice) => (c.title ? `${c.partnerName} · ${c.title}` : c.partnerName);

export function QuickAdd({ api }: { api: TandemApi }) {
  const [choices, setChoices] = useState<QuickAddChoice[] | null>(null);
  const [line, setLine] = useState(earlyQuickAddText);
  const [picked, setPicked] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();

  // Enter pressed before the 1:1s have arrived: the line is kept as it is and saved once they have.
  const [saveWhenLoaded, setSaveWhenLoaded] = useState(false);

  // Before the browser paints this input in place of the early one, so the caret never blinks elsewhere.
  useLayoutEffect(() => {
    const early = adoptEarlyQuickAdd(input.current!);
    if (early && early.text !== input.current!.value) setLine(early.text);
    if (early?.enterPressed) setSaveWhenLoaded(true);
  }, []);

  useEffect(() => {
    // The desktop window is kept and shown again: each time, the caret is back and the 1:1s are fresh.
    const ready = () => {
      input.current?.focus();
      api.quickAddChoices().then(setChoices, (e: unknown) => {
        setSaveWhenLoaded(false);
        setError(messageOf(e));
      });
    };
    // It is put away whenever it loses focus, and cleared then rather than when shown again, so
    // the first keys typed after the shortcut are never wiped.
    const putAway = () => {
      setLine('');
      setPicked(null);
      setError(null);
      setStatus('');
    };
    ready();
    window.addEventListener('focus', ready);
    if (inOwnWindow()) window.addEventListener('blur', putAway);
    return () => {
      window.removeEventListener('focus', ready);
      window.removeEventListener('blur', putAway);
    };
  }, [api]);

  const parsed = useMemo(() => parseQuickAdd(line), [line]);
  const who = parsed.ok ? parsed.line.who : (/^\s*@(\S+)/.exec(line)?.[1] ?? null);
  // `@name` narrows the list; without it the list is every 1:1, most recent first.
  const offered = useMemo(() => (choices ? (who === null ? choices : matchTargets(who, choices)) : []), [choices, who]);
  const target = offered.find((c) => c.id === picked) ?? offered[0] ?? null;

  const save = async () => {
    if (busy) return;
    if (!parsed.ok) return setError(parsed.message);
    if (choices === null) return setSaveWhenLoaded(true);
    if (!target) return setError(who === null ? 'Create a 1:1 first: there is nowhere to add this yet.' : `No 1:1 matches @${who}.`);
    setBusy(true);
    try {
      const result = await api.quickAdd({ line, seriesId: target.id });
      setStatus(`Added to your 1:1 with ${result.partnerName}.`);
      setLine('');
      setPicked(null);
      setError(null);
      closeWindow();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
      input.current?.focus();
    }
  };

  useEffect(() => {
    if (!saveWhenLoaded || choices === null) return;
    setSaveWhenLoaded(false);
    void save();
  }, [saveWhenLoaded, choices]);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void save();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      closeWindow();
    } else if (e.key === 'Tab' && !e.shiftKey) {
      const completed = completeLine(line, offered);
      if (completed !== line) {
        e.preventDefault();
        setLine(completed);
      }
    } else if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && offered.length > 0) {
      e.preventDefault();
      const at = Math.max(
        0,
        offered.findIndex((c) => c.id === target?.id),
      );
      setPicked(offered[(at + (e.key === 'ArrowDown' ? 1 : offered.length - 1)) % offered.length]!.id);
    }
  };

  return (
    <main className="quick-add" aria-busy={choices === null}>
      <h1 className="visually-hidden">Quick add</h1>
      <input
        ref={input}
        className="quick-add__input"
        aria-label={QUICK_ADD_LABEL}
        role="combobox"
        aria-expanded={offered.length > 0}
        aria-controls={listId}
        aria-activedescendant={target ? `${listId}-${target.id}` : undefined}
        aria-invalid={error ? true : undefined}
        placeholder={QUICK_ADD_PLACEHOLDER}
        value={line}
        maxLength={QUICK_ADD_MAX_LENGTH}
        disabled={busy}
        readOnly={saveWhenLoaded}
        onChange={(e) => {
          setLine(e.target.value);
          setError(null);
          setStatus('');
        }}
        onKeyDown={onKeyDown}
      />
      {parsed.ok && (
        <p className="quick-add__preview meta" data-testid="quick-add-preview">
          {[
            target ? `To ${target.partnerName}` : null,
            parsed.line.afterNext ? 'the meeting after next' : 'the next meeting',
            parsed.line.purpose ? purposeLabel(parsed.line.purpose) : null,
            parsed.line.async ? 'async' : null,
          ]
            .filter(Boolean)
            .join(' · ')}
        </p>
      )}
      <ul id={listId} role="listbox" aria-label="1:1" className="quick-add__choices">
        {offered.map((c) => (
          <li
            key={c.id}
            id={`${listId}-${c.id}`}
            role="option"
            aria-selected={c.id === target?.id}
            className="quick-add__choice"
            onMouseDown={(e) => {
              e.preventDefault();
              setPicked(c.id);
            }}
          >
            {nameOf(c)}
          </li>
        ))}
      </ul>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      <p className="meta muted" role="status">
        {saveWhenLoaded ? 'Adding once your 1:1s have loaded…' : status}
      </p>
    </main>
  );
}
