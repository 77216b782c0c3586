/** Joining a 1:1 someone shared: paste their code or tandem:// link. */
import { useState, type FormEvent } from 'react';
import { Button } from '../components/Button.js';
import { Dialog, DialogActions } from '../components/Dialog.js';
import { TextArea } from '../components/TextField.js';
import { useApp } from '../lib/app-context.js';
import { navigate } from '../lib/route.js';
import { useFormAction } from '../lib/use-form-action.js';

export function JoinDialog({ open, onOpenChange }: { open: boolean; onOpenChange(open: boolean): void }) {
  const { api } = useApp();
  const [code, setCode] = useState('');
  const { busy, error, setError, run } = useFormAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!code.trim()) {
      setError('Paste the invite code or link you were sent.');
      return;
    }
    await run(async () => {
      const joined = await api.acceptInvite({ code: code.trim() });
      setCode('');
      onOpenChange(false);
      navigate({ name: 'series', seriesId: joined.id });
    });
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Join a 1:1" description="The other person makes an invite in their 1:1 and sends it to you.">
      <form className="form" onSubmit={submit} noValidate>
        <TextArea
          label="Invite code or link"
          autoFocus
          rows={4}
          spellCheck={false}
          placeholder="tandem://join/…"
          value={code}
          error={error}
          onChange={(e) => {
            setCode(e.target.value);
            setError(null);
          }}
        />
        <DialogActions>
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy}>
            Join
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
