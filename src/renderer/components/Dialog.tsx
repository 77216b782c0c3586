/** A modal with a title, optional description and a body: Radix handles focus, Escape and the overlay. */
import * as RadixDialog from '@radix-ui/react-dialog';
import type { ReactNode } from 'react';
import { Button } from './Button.js';
import { IconButton } from './IconButton.js';
import { CloseIcon } from './icons.js';

export interface DialogProps {
  open: boolean;
  onOpenChange(open: boolean): void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
}

export function Dialog({ open, onOpenChange, title, description, children }: DialogProps) {
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="dialog-overlay" />
        <RadixDialog.Content className="dialog" {...(description ? {} : { 'aria-describedby': undefined })}>
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
