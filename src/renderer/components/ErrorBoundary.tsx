/**
 * Keeps a failure in one part of a screen inside that part: a peer's crafted document may break
 * the panel that shows it, never the list, the other panels or the other 1:1s.
 */
import { Component, type ReactNode } from 'react';
import { TandemError } from '../../shared/errors.js';

interface Props {
  /** One sentence for people, shown when the part fails with anything but a TandemError (whose own sentence is shown). */
  message: string;
  /** Places the alert in the failed part's stead (a screen puts it in a page with a way back). */
  fallback?: (alert: ReactNode) => ReactNode;
  children: ReactNode;
}

export class ErrorBoundary extends Component<Props, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override render() {
    const { error } = this.state;
    if (error === null) return this.props.children;
    const alert = (
      <p className="inline-alert" role="alert">
        {error instanceof TandemError ? error.message : this.props.message}
      </p>
    );
    return this.props.fallback ? this.props.fallback(alert) : alert;
  }
}
