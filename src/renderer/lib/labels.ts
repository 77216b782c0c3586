/** The words the UI uses for the domain's enums, in one place. */
import type { SyncState } from '../../shared/api.js';
import type { CadencePattern, Purpose, Role, SeriesKind } from '../../shared/schemas.js';

export const PURPOSES: readonly { value: Purpose; label: string }[] = [
  { value: 'career', label: 'Career' },
  { value: 'coaching', label: 'Coaching' },
  { value: 'feedback', label: 'Feedback' },
  { value: 'connection', label: 'Connection' },
  { value: 'clearing-the-air', label: 'Clearing the air' },
  { value: 'status', label: 'Status/FYI' },
];

/** What a person picks for an item: a purpose, or none. */
export type PurposeChoice = Purpose | 'none';

export const PURPOSE_CHOICES: readonly { value: PurposeChoice; label: string }[] = [{ value: 'none', label: 'No purpose' }, ...PURPOSES];

export const purposeLabel = (purpose: Purpose | null): string =>
  purpose === null ? 'No purpose' : (PURPOSES.find((p) => p.value === purpose)?.label ?? purpose);

export const KINDS: readonly { value: SeriesKind; label: string; hint: string }[] = [
  { value: 'manager-report', label: 'Manager – report', hint: 'One of you manages the other' },
  { value: 'peer', label: 'Peers', hint: 'Colleagues at the same level' },
  { value: 'skip-level', label: 'Skip-level', hint: "With your manager's manager, or your report's report" },
];

export const CADENCES: readonly { value: CadencePattern; label: string }[] = [
  { value: 'weekly', label: 'Every week' },
  { value: 'biweekly', label: 'Every two weeks' },
  { value: 'every-4-weeks', label: 'Every four weeks' },
  { value: 'monthly-nth-weekday', label: 'Monthly, on a weekday' },
];

/** "Manager · you report to Dana": what the relationship is, from this user's side. */
export function relationshipLabel(kind: SeriesKind, myRole: Role, partnerName: string): string {
  if (kind === 'peer') return 'Peer';
  if (kind === 'manager-report') {
    return myRole === 'report' ? `Manager · you report to ${partnerName}` : `Direct report · ${partnerName} reports to you`;
  }
  return myRole === 'report'
    ? `Skip-level · ${partnerName} is your manager's manager`
    : `Skip-level · ${partnerName} is two levels below you`;
}

/** Why a shared 1:1 is offline, as a sentence; what to do when the person can do something. */
export function offlineReason(reason: SyncState['reason']): string | null {
  switch (reason) {
    case 'refused':
      return 'The relay refused the connection: it may not be running.';
    case 'not-found':
      return "The relay's address could not be found: check it in Settings, or your network.";
    case 'forbidden':
      return 'The relay does not accept this 1:1’s invite: ask the other person for a new one.';
    case 'key-required':
      return 'The relay needs an access key: set it in Settings.';
    case 'unreachable':
      return 'The relay could not be reached.';
    default:
      return null;
  }
}

export function syncLabel(state: Pick<SyncState, 'status' | 'unsent'>): string {
  switch (state.status) {
    case 'local':
      return 'Only on this device';
    case 'connecting':
      return 'Connecting…';
    case 'synced':
      if (state.unsent === 0) return 'Synced';
      return `Sending ${state.unsent} ${state.unsent === 1 ? 'change' : 'changes'}…`;
    case 'offline':
      if (state.unsent === 0) return 'Offline';
      return `Offline · ${state.unsent} ${state.unsent === 1 ? 'change' : 'changes'} not yet sent`;
  }
}
