import { forwardRef, type ButtonHTMLAttributes, type ReactNode } from 'react';
import type { Purpose } from '../../shared/schemas.js';

/** A purpose chip; a button when it opens something, static text otherwise. */
export const Tag = forwardRef<
  HTMLButtonElement,
  { purpose: Purpose | null; children: ReactNode } & ButtonHTMLAttributes<HTMLButtonElement>
>(function Tag({ purpose, children, className, type = 'button', ...props }, ref) {
  return (
    <button ref={ref} type={type} className={`tag tag--${purpose ?? 'none'} ${className ?? ''}`} {...props}>
      {children}
    </button>
  );
});
