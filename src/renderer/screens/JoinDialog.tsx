/** Joining a 1:1 someone shared: paste their code or tandem:// link. */
import { useState, type FormEvent } from 'react';
import { Button } from '../components/Button.js';
import { Dialog, DialogActions } from '../components/Dialog.js';
import { TextArea } from '../components/TextField.js';
import { useApp } from '../lib/app-context.js';
import { navigate } from '../lib/route.js';
import { useFormAction } from '../lib/use-form-action.js';
import { toTandemError } from '../replica/series-replica.js';
import { useToasts } from '../components/Toasts.js';

export function JoinDialog({ open, onOpenChange }: { open: boolean; onOpenChange(open: boolean): void }) {
  const { api } = useApp();
  const { showInfo } = useToasts();
  const [code, setCode] = useState('');
  const { busy, error, setError, run } = useFormAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!code.trim()) {
      setError('Paste the invite code or link you were sent.');
      return;
    }
    await run(async () => {
      const done = () => {
        setCode('');
        onOpenChange(false);
      };
      try {
        const joined = await api.acceptInvite({ code: code.trim() });
        done();
        navigate({ name: 'series', seriesId: joined.id });
      } catch (err) {
        // Joined, but the content has not arrived yet: not a failure, it shows up by itself.
        if (toTandemError(err).code !== 'offline') throw err;
        done();
        showInfo(toTandemError(err).message);
      }
    });
  };

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Join a 1:1"
      description="The other person makes an invite in their 1:1 and sends it to you."
    >
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
