import { useState, type FormEvent } from 'react';
import type { Profile } from '../../shared/api.js';
import { Button } from '../components/Button.js';
import { TextField } from '../components/TextField.js';
import { focusNextHeading } from '../lib/landing-focus.js';
import { useFormAction } from '../lib/use-form-action.js';
import { api } from '../tandem.js';

/** Asks for the one thing Tandem needs before anything else: what to call you. */
export function FirstRun({ onDone }: { onDone(profile: Profile): void }) {
  const [name, setName] = useState('');
  const { busy, error, setError, run } = useFormAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setError('Please enter your name so the other person knows who wrote what.');
      return;
    }
    await run(async () => {
      const profile = await api.setProfile({ name: name.trim() });
      focusNextHeading();
      onDone(profile);
    });
  };

  return (
    <main className="first-run">
      <form className="first-run__card" onSubmit={submit} noValidate>
        <p className="brand" aria-hidden="true">
          Tandem
        </p>
        <h1>Welcome to Tandem</h1>
        <p className="muted">
          A shared agenda and notes for your one-on-ones. Everything stays on this device until you choose to share a 1:1.
        </p>
        <TextField
          label="Your name"
          autoComplete="name"
          autoFocus
          value={name}
          maxLength={80}
          error={error}
          onChange={(e) => {
            setName(e.target.value);
            setError(null);
          }}
        />
        <Button type="submit" variant="primary" disabled={busy}>
          Continue
        </Button>
      </form>
    </main>
  );
}
