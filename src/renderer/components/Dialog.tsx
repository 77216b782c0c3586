/** A modal with a title, optional description and a body: Radix handles focus, Escape and the overlay. */
import * as RadixDialog from '@radix-ui/react-dialog';
import { useRef, type ReactNode } from 'react';
import { Button } from './Button.js';
import { IconButton } from './IconButton.js';
import { CloseIcon } from './icons.js';

export interface DialogProps {
  open: boolean;
  onOpenChange(open: boolean): void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  /** Wide: for content that needs room side by side (charts). */
  size?: 'normal' | 'wide';
}

export function Dialog({ open, onOpenChange, title, description, children, size = 'normal' }: DialogProps) {
  // Radix returns focus only to its own Trigger, which these dialogs (opened by state) have none of:
  // the opener is what had focus when the dialog was asked to open, before a field's autoFocus moves it.
  const opener = useRef<HTMLElement | null>(null);
  const wasOpen = useRef(false);
  if (open && !wasOpen.current) opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  wasOpen.current = open;
  const returnFocus = (event: Event) => {
    event.preventDefault();
    if (opener.current?.isConnected) opener.current.focus();
  };

  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="dialog-overlay" />
        <RadixDialog.Content
          className={size === 'wide' ? 'dialog dialog--wide' : 'dialog'}
          onOpenAutoFocus={focusFirstField}
          onCloseAutoFocus={returnFocus}
          {...(description ? {} : { 'aria-describedby': undefined })}
        >
          <div className="dialog__header">
            <RadixDialog.Title className="dialog__title">{title}</RadixDialog.Title>
            <RadixDialog.Close asChild>
              <IconButton label="Close">
                <CloseIcon />
              </IconButton>
            </RadixDialog.Close>
          </div>
          {description && <RadixDialog.Description className="dialog__description">{description}</RadixDialog.Description>}
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/**
 * A dialog opens on the element marked `data-autofocus` (where it wants the person to look), else
 * on its first field, where the person starts typing, rather than on the close button that comes
 * first in the header; without either Radix focuses the first control.
 */
function focusFirstField(event: Event) {
  const content = event.currentTarget as HTMLElement;
  const field =
    content.querySelector<HTMLElement>('[data-autofocus]') ??
    content.querySelector<HTMLElement>('input:not([type=hidden]), textarea, select');
  if (!field) return;
  event.preventDefault();
  field.focus();
}

/** The row of buttons at the foot of a dialog; the primary action goes last. */
export function DialogActions({ children }: { children: ReactNode }) {
  return <div className="dialog__actions">{children}</div>;
}

/** The foot of a dialog's form: its error line, if any, then Cancel and the submit button. */
export function FormFooter({
  error,
  submitLabel,
  disabled,
  onCancel,
}: {
  error: string | null;
  submitLabel: string;
  disabled: boolean;
  onCancel(): void;
}) {
  return (
    <>
      {error && (
        <p className="inline-alert" role="alert">
          {error}
        </p>
      )}
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={disabled}>
          {submitLabel}
        </Button>
      </DialogActions>
    </>
  );
}
