import { forwardRef, type ButtonHTMLAttributes, type ReactNode } from 'react';

export interface IconButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** The accessible name: an icon alone says nothing to a screen reader. */
  label: string;
  children: ReactNode;
}

export const IconButton = forwardRef<HTMLButtonElement, IconButtonProps>(function IconButton(
  { label, className, type = 'button', title, children, ...props },
  ref,
) {
  return (
    <button ref={ref} type={type} aria-label={label} title={title ?? label} className={`icon-btn ${className ?? ''}`} {...props}>
      {children}
    </button>
  );
});
