/**
 * The one way a form runs its action: a busy flag while it runs, and the TandemError's sentence
 * as the form's error line when it fails, so nothing the user typed is lost.
 */
import { useCallback, useState } from 'react';
import { toTandemError } from '../replica/series-replica.js';

export function useFormAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(toTandemError(err).message);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
