/** The relay address and access key, used by Settings and by the invite flow when none is set. */
import { TextField } from '../components/TextField.js';

export interface RelayDraft {
  url: string;
  key: string;
}

export const relayInput = (draft: RelayDraft) => ({ url: draft.url.trim(), ...(draft.key.trim() ? { key: draft.key.trim() } : {}) });

export function RelayFields({ draft, onChange, autoFocus }: { draft: RelayDraft; onChange(draft: RelayDraft): void; autoFocus?: boolean }) {
  return (
    <>
      <TextField
        label="Relay address"
        hint="A ws:// or wss:// address, from whoever runs your relay."
        placeholder="wss://relay.example.com"
        spellCheck={false}
        autoFocus={autoFocus}
        value={draft.url}
        onChange={(e) => onChange({ ...draft, url: e.target.value })}
      />
      <TextField
        label="Access key (optional)"
        type="password"
        autoComplete="off"
        value={draft.key}
        onChange={(e) => onChange({ ...draft, key: e.target.value })}
      />
    </>
  );
}
