/**
 * Says so, on every screen, when the core's check of the local database (run once the first list
 * has gone out) found it damaged: the sentence names the file and what to do.
 */
import { useEffect, useState } from 'react';
import type { StorageCheck } from '../../shared/api.js';
import { api } from '../tandem.js';

export function StorageDamaged() {
  const [check, setCheck] = useState<StorageCheck>({ state: 'pending' });
  useEffect(() => {
    const off = api.onEvent((event) => event.type === 'storage-check' && setCheck(event.check));
    // The verdict may have come before this page listened; a page that lost the core says so elsewhere.
    api.storageCheck().then(setCheck, () => undefined);
    return off;
  }, []);
  if (check.state !== 'damaged') return null;
  return (
    <div className="storage-damaged" role="alert">
      {check.message}
    </div>
  );
}
