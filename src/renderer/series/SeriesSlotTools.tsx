/** The 1:1 header's tools for its meetings: move or cancel the next one, add one, the history, its health, export, the settings. */
import { useState } from 'react';
import type { Meeting } from '../../shared/domain/series-doc.js';
import { Button } from '../components/Button.js';
import { HealthPanel } from '../insights/HealthPanel.js';
import type { SeriesReplica } from '../replica/series-replica.js';
import { useMeta } from '../replica/use-doc-part.js';
import { AdHocMeetingDialog } from './AdHocMeetingDialog.js';
import { CancelMeetingDialog } from './CancelMeetingDialog.js';
import { ExportDialog } from './ExportDialog.js';
import { HistoryDialog } from './HistoryDialog.js';
import { SeriesSettingsDialog } from './SeriesSettingsDialog.js';

export function SeriesSlotTools({
  replica,
  meeting,
  partnerName,
}: {
  replica: SeriesReplica;
  meeting: Meeting | null;
  partnerName: string;
}) {
  const [open, setOpen] = useState<'cancel' | 'ad-hoc' | 'history' | 'health' | 'export' | 'settings' | null>(null);
  const ended = useMeta(replica.doc).state === 'ended';
  const toggle = (which: NonNullable<typeof open>) => (value: boolean) => setOpen(value ? which : null);
  return (
    <>
      {meeting && !ended && <Button onClick={() => setOpen('cancel')}>Move or cancel</Button>}
      {!ended && <Button onClick={() => setOpen('ad-hoc')}>Add a meeting</Button>}
      <Button onClick={() => setOpen('history')}>History</Button>
      <Button onClick={() => setOpen('health')}>Health</Button>
      <Button onClick={() => setOpen('export')}>Export</Button>
      <Button onClick={() => setOpen('settings')}>1:1 settings</Button>
      {meeting && open === 'cancel' && (
        <CancelMeetingDialog key={meeting.id} replica={replica} meeting={meeting} open onOpenChange={toggle('cancel')} />
      )}
      {open === 'ad-hoc' && <AdHocMeetingDialog replica={replica} partnerName={partnerName} open onOpenChange={toggle('ad-hoc')} />}
      <HistoryDialog replica={replica} open={open === 'history'} onOpenChange={toggle('history')} />
      <HealthPanel replica={replica} open={open === 'health'} onOpenChange={toggle('health')} />
      {open === 'export' && <ExportDialog seriesId={replica.seriesId} open onOpenChange={toggle('export')} />}
      {open === 'settings' && <SeriesSettingsDialog replica={replica} partnerName={partnerName} open onOpenChange={toggle('settings')} />}
    </>
  );
}
