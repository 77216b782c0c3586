/** Your name, the relay your 1:1s sync through, reminders, the quick-add shortcut, launch at login, backups and the theme. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { DEFAULT_SETTINGS, type AppSettings } from '../../shared/app-settings.js';
import { Dialog, FormFooter } from '../components/Dialog.js';
import { TextField } from '../components/TextField.js';
import { useToasts } from '../components/Toasts.js';
import { useApp } from '../lib/app-context.js';
import { applyTheme, type ThemeChoice } from '../lib/theme.js';
import { useFormAction } from '../lib/use-form-action.js';
import { toTandemError } from '../replica/series-replica.js';
import { BackupSection } from './BackupSection.js';
import { RelayFields, relayInput, type RelayDraft } from './RelayFields.js';

const THEMES: readonly { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'Match system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function SettingsDialog({ open, onOpenChange }: { open: boolean; onOpenChange(open: boolean): void }) {
  const { api, profile, setProfile } = useApp();
  const { showInfo } = useToasts();
  const [saved, setSaved] = useState<AppSettings>(DEFAULT_SETTINGS);
  const [draft, setDraft] = useState<AppSettings>(DEFAULT_SETTINGS);
  // Typed as text, so a half-typed number is the user's to finish; the core judges it on Save.
  const [lead, setLead] = useState(String(DEFAULT_SETTINGS.reminderLeadMinutes));
  const change = (patch: Partial<AppSettings>) => setDraft((d) => ({ ...d, ...patch }));
  // The theme shows as soon as it is chosen; only Save keeps it, any other way out puts the saved one back.
  const previewTheme = (choice: ThemeChoice) => {
    change({ theme: choice });
    applyTheme(choice);
  };
  const close = (next: boolean) => {
    if (!next) applyTheme(saved.theme);
    onOpenChange(next);
  };
  const [name, setName] = useState(profile.name);
  const [relay, setRelay] = useState<RelayDraft>({ url: '', key: '' });
  const [savedRelay, setSavedRelay] = useState<RelayDraft>({ url: '', key: '' });
  const { busy, error, setError, run } = useFormAction();

  // The fields load once per opening: a rename saved by this very form must not reset them.
  const profileNow = useRef(profile);
  profileNow.current = profile;
  useEffect(() => {
    if (!open) return;
    setName(profileNow.current.name);
    setError(null);
    api.getSettings().then(
      (settings) => {
        setSaved(settings);
        setDraft(settings);
        setLead(String(settings.reminderLeadMinutes));
      },
      (err: unknown) => setError(toTandemError(err).message),
    );
    api.getRelay().then(
      (config) => {
        const draft = { url: config?.url ?? '', key: config?.key ?? '' };
        setRelay(draft);
        setSavedRelay(draft);
      },
      (err: unknown) => setError(toTandemError(err).message),
    );
  }, [open, api, setError]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      const leadMinutes = lead.trim() === '' ? NaN : Number(lead);
      await api.updateSettings({ ...draft, reminderLeadMinutes: leadMinutes, shortcut: draft.shortcut.trim() });
      if (name.trim() !== profile.name) setProfile(await api.setProfile({ name: name.trim() }));
      const relayChanged = relay.url.trim() !== savedRelay.url || relay.key.trim() !== savedRelay.key;
      let saved = 'Settings saved';
      if (relayChanged && relay.url.trim()) {
        await api.setRelay(relayInput(relay));
      } else if (relayChanged) {
        const { stillShared } = await api.clearRelay();
        saved = `Settings saved. New 1:1s now stay on this device${
          stillShared
            ? `; the ${stillShared === 1 ? '1:1' : `${stillShared} 1:1s`} you already shared keep syncing through their relay`
            : ''
        }.`;
      }
      onOpenChange(false);
      showInfo(saved);
    });
  };

  return (
    <Dialog open={open} onOpenChange={close} title="Settings">
      <form className="form" onSubmit={submit} noValidate>
        <TextField label="Your name" maxLength={80} value={name} onChange={(e) => setName(e.target.value)} />
        <section className="form__section" aria-labelledby="settings-relay">
          <h3 id="settings-relay" className="form__section-title">
            Sharing
          </h3>
          <p className="meta muted">Shared 1:1s sync through a relay. Without one, everything stays on this device.</p>
          <RelayFields draft={relay} onChange={setRelay} />
        </section>
        <section className="form__section" aria-labelledby="settings-reminders">
          <h3 id="settings-reminders" className="form__section-title">
            Reminders
          </h3>
          <label className="choice">
            <input type="checkbox" checked={draft.reminders} onChange={(e) => change({ reminders: e.target.checked })} />
            <span className="choice__label">Notify me before each 1:1</span>
          </label>
          <TextField
            label="Minutes before"
            inputMode="numeric"
            value={lead}
            disabled={!draft.reminders}
            onChange={(e) => setLead(e.target.value)}
          />
          <p className="meta muted">A 1:1's own settings can turn its reminders off.</p>
        </section>
        <section className="form__section" aria-labelledby="settings-desktop">
          <h3 id="settings-desktop" className="form__section-title">
            Desktop app
          </h3>
          <TextField
            label="Quick-add shortcut"
            hint="Opens quick add from any app, e.g. CommandOrControl+Shift+Space."
            maxLength={60}
            value={draft.shortcut}
            onChange={(e) => change({ shortcut: e.target.value })}
          />
          <label className="choice">
            <input type="checkbox" checked={draft.launchAtLogin} onChange={(e) => change({ launchAtLogin: e.target.checked })} />
            <span className="choice__label">Start Tandem when I log in</span>
          </label>
        </section>
        <BackupSection />
        <fieldset className="choice-group choice-group--inline">
          <legend className="field__label">Theme</legend>
          {THEMES.map((t) => (
            <label key={t.value} className="choice">
              <input type="radio" name="theme" checked={draft.theme === t.value} onChange={() => previewTheme(t.value)} />
              <span className="choice__label">{t.label}</span>
            </label>
          ))}
        </fieldset>
        <FormFooter error={error} submitLabel="Save" disabled={busy} onCancel={() => close(false)} />
      </form>
    </Dialog>
  );
}
