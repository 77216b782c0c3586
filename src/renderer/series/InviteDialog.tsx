/**
 * Sharing a 1:1: make an invite (code and tandem:// link) for the other person. Sharing needs a
 * relay, so when none is set the dialog asks for it first.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { Invite } from '../../shared/api.js';
import { Button } from '../components/Button.js';
import { Dialog, DialogActions, FormFooter } from '../components/Dialog.js';
import { useApp } from '../lib/app-context.js';
import { toTandemError } from '../replica/series-replica.js';
import { RelayFields, relayInput, type RelayDraft } from '../screens/RelayFields.js';

type Step = { name: 'working' } | { name: 'needs-relay' } | { name: 'ready'; invite: Invite } | { name: 'failed'; message: string };

export function InviteDialog({
  seriesId,
  partnerName,
  open,
  onOpenChange,
}: {
  seriesId: string;
  partnerName: string;
  open: boolean;
  onOpenChange(open: boolean): void;
}) {
  const { api } = useApp();
  const [step, setStep] = useState<Step>({ name: 'working' });
  const [relay, setRelay] = useState<RelayDraft>({ url: '', key: '' });
  const [relayError, setRelayError] = useState<string | null>(null);

  const makeInvite = useCallback(async () => {
    setStep({ name: 'working' });
    try {
      setStep({ name: 'ready', invite: await api.createInvite({ seriesId }) });
    } catch (err) {
      setStep({ name: 'failed', message: toTandemError(err).message });
    }
  }, [api, seriesId]);

  useEffect(() => {
    if (!open) return;
    setStep({ name: 'working' });
    api.getRelay().then(
      (config) => (config ? makeInvite() : setStep({ name: 'needs-relay' })),
      (err: unknown) => setStep({ name: 'failed', message: toTandemError(err).message }),
    );
  }, [open, api, makeInvite]);

  const saveRelay = async (e: FormEvent) => {
    e.preventDefault();
    setRelayError(null);
    try {
      await api.setRelay(relayInput(relay));
      await makeInvite();
    } catch (err) {
      setRelayError(toTandemError(err).message);
    }
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={`Invite ${partnerName}`}>
      {step.name === 'working' && (
        <p className="muted" role="status">
          Preparing the invite…
        </p>
      )}
      {step.name === 'needs-relay' && (
        <form className="form" onSubmit={saveRelay} noValidate>
          <p className="muted">
            To share a 1:1, Tandem syncs it through a relay. Enter the relay's address once; every shared 1:1 uses it.
          </p>
          <RelayFields draft={relay} onChange={setRelay} autoFocus />
          <FormFooter error={relayError} submitLabel="Continue" disabled={!relay.url.trim()} onCancel={() => onOpenChange(false)} />
        </form>
      )}
      {step.name === 'failed' && (
        <>
          <p className="inline-alert" role="alert">
            {step.message}
          </p>
          <DialogActions>
            <Button onClick={() => onOpenChange(false)}>Close</Button>
            <Button variant="primary" onClick={() => void makeInvite()}>
              Try again
            </Button>
          </DialogActions>
        </>
      )}
      {step.name === 'ready' && <InviteReady invite={step.invite} partnerName={partnerName} onDone={() => onOpenChange(false)} />}
    </Dialog>
  );
}

function InviteReady({ invite, partnerName, onDone }: { invite: Invite; partnerName: string; onDone(): void }) {
  return (
    <div className="form">
      <p className="muted">
        Send this to {partnerName}. In Tandem they choose “Join a 1:1” and paste it, or open the link. Anyone with it can join this 1:1, so
        share it only with them.
      </p>
      {/* The invite arrives after the dialog opened: focus moves to it, selected, ready to copy. */}
      <CopyField label="Invite code" value={invite.code} multiline autoFocus />
      <CopyField label="Invite link" value={invite.link} />
      <DialogActions>
        <Button variant="primary" onClick={onDone}>
          Done
        </Button>
      </DialogActions>
    </div>
  );
}

function CopyField({ label, value, multiline, autoFocus }: { label: string; value: string; multiline?: boolean; autoFocus?: boolean }) {
  const [copied, setCopied] = useState(false);
  const id = `copy-${label.replace(/\s+/g, '-').toLowerCase()}`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // Clipboard permission can be refused (e.g. a non-secure origin): fall back to selection.
      const field = document.getElementById(id) as HTMLInputElement | HTMLTextAreaElement | null;
      field?.select();
      document.execCommand('copy');
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  const common = {
    id,
    className: 'input input--mono',
    readOnly: true,
    autoFocus,
    value,
    onFocus: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => e.currentTarget.select(),
  };
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="copy-field">
        {multiline ? <textarea rows={3} spellCheck={false} {...common} /> : <input {...common} />}
        <Button onClick={() => void copy()} aria-label={`${copied ? 'Copied' : 'Copy'} ${label.toLowerCase()}`}>
          {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
    </div>
  );
}
