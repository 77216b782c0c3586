/**
 * Non-blocking messages. Errors use role="alert" so they are announced, stay until dismissed or
 * replaced after a while, and never take what the user typed with them.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { toTandemError } from '../replica/series-replica.js';
import { Button } from './Button.js';
import { IconButton } from './IconButton.js';
import { CloseIcon } from './icons.js';

export interface ToastAction {
  label: string;
  run(): void;
}

interface Toast {
  id: number;
  kind: 'error' | 'info';
  text: string;
  action?: ToastAction;
}

interface ToastApi {
  showError(error: unknown): void;
  showInfo(text: string, action?: ToastAction): void;
}

const ToastContext = createContext<ToastApi | null>(null);
const LIFETIME_MS = 10_000;

export function useToasts(): ToastApi {
  const value = useContext(ToastContext);
  if (!value) throw new Error('useToasts outside <ToastProvider>');
  return value;
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const push = useCallback(
    (kind: Toast['kind'], text: string, action?: ToastAction) => {
      const id = nextId.current++;
      // The same message twice in a row is one toast, not a stack of them.
      setToasts((all) => [...all.filter((t) => t.text !== text), { id, kind, text, ...(action ? { action } : {}) }].slice(-4));
      setTimeout(() => dismiss(id), LIFETIME_MS);
    },
    [dismiss],
  );
  const api = useMemo<ToastApi>(
    () => ({ showError: (error) => push('error', toTandemError(error).message), showInfo: (text, action) => push('info', text, action) }),
    [push],
  );

  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast--${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
            <span className="toast__text">{t.text}</span>
            {t.action && (
              <Button
                size="small"
                onClick={() => {
                  t.action!.run();
                  dismiss(t.id);
                }}
              >
                {t.action.label}
              </Button>
            )}
            <IconButton label="Dismiss" onClick={() => dismiss(t.id)}>
              <CloseIcon />
            </IconButton>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
