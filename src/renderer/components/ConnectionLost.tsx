/** Says so, on every screen, when the core this page talks to has gone away (its shell stopped). */
import { useConnection } from '../lib/connection.js';

export function ConnectionLost() {
  const { lost } = useConnection();
  if (!lost) return null;
  return (
    <div className="connection-lost" role="alert">
      Tandem is not running any more, so this page is read-only. Everything marked “Saved” is on disk: start Tandem again, then reload this
      page.
    </div>
  );
}
