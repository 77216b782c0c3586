/** A labelled text input (or textarea) with an optional hint and an inline error. */
import { forwardRef, useId, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react';

interface FieldChrome {
  label: string;
  hint?: string;
  error?: string | null;
}

interface ControlProps {
  id: string;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}

/** The label, hint and error around one control, wired to it by id. */
function Field({
  label,
  hint,
  error,
  className,
  children,
}: FieldChrome & { className?: string; children: (control: ControlProps) => ReactNode }) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${className ?? ''}`}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {children({ id, ...(error ? { 'aria-invalid': true } : {}), ...(describedBy ? { 'aria-describedby': describedBy } : {}) })}
      {hint && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export const TextField = forwardRef<HTMLInputElement, FieldChrome & InputHTMLAttributes<HTMLInputElement>>(function TextField(
  { label, hint, error, className, ...props },
  ref,
) {
  return (
    <Field label={label} hint={hint} error={error} className={className}>
      {(control) => <input ref={ref} className="input" {...control} {...props} />}
    </Field>
  );
});

export const TextArea = forwardRef<HTMLTextAreaElement, FieldChrome & TextareaHTMLAttributes<HTMLTextAreaElement>>(function TextArea(
  { label, hint, error, className, ...props },
  ref,
) {
  return (
    <Field label={label} hint={hint} error={error} className={className}>
      {(control) => <textarea ref={ref} className="input input--multiline" {...control} {...props} />}
    </Field>
  );
});
