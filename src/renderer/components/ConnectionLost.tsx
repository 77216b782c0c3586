/** Says so, on every screen, when the core this page talks to has gone away (its shell stopped). */
import { useEffect, useState } from 'react';
import { api } from '../tandem.js';

export function ConnectionLost() {
  const [lost, setLost] = useState(false);
  useEffect(() => api.onEvent((event) => event.type === 'connection-lost' && setLost(true)), []);
  if (!lost) return null;
  return (
    <div className="connection-lost" role="alert">
      Tandem is not running any more. Everything marked “Saved” is on disk: start Tandem again, then reload this page.
    </div>
  );
}
