/**
 * The health of one 1:1: what needs attention (each flag with what it means and one thing to
 * try), the figures behind it, and four small charts. Computed here from the open document;
 * nothing of it is written to the 1:1 or sent to the relay.
 */
import { useMemo, type ReactNode } from 'react';
import type * as Y from 'yjs';
import type { SeriesMeta } from '../../shared/domain/series-doc.js';
import { authorshipByMeeting, followThroughByMonth, meetingsByMonth, purposesByMonth, PURPOSE_KEYS } from '../../shared/insights/charts.js';
import { assessHealth, type Flag, type HealthReport } from '../../shared/insights/flags.js';
import type { HealthHistory } from '../../shared/insights/history.js';
import { healthFigures } from '../../shared/insights/report.js';
import { Dialog } from '../components/Dialog.js';
import { purposeLabel } from '../lib/labels.js';
import type { SeriesReplica } from '../replica/series-replica.js';
import { useMeta } from '../replica/use-doc-part.js';
import { BarChart, type BarGroup } from './BarChart.js';
import { ExportHealth } from './ExportHealth.js';
import { useArchivedHealth, useHealthHistory, useNow } from './use-health.js';

const MONTH = new Intl.DateTimeFormat(undefined, { month: 'short', timeZone: 'UTC' });
const monthLabel = (month: string) => MONTH.format(new Date(`${month}-15T00:00:00Z`));
const DAY_MONTH = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

export function FlagList({ flags, headingLevel = 3 }: { flags: Flag[]; headingLevel?: 3 | 4 }) {
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  if (flags.length === 0) return <p className="muted">Nothing needs attention right now.</p>;
  return (
    <ul className="flags" aria-label="What needs attention">
      {flags.map((f) => (
        <li key={f.id} className="flag">
          <Heading className="flag__headline">{f.headline}</Heading>
          <p className="flag__meaning">{f.meaning}</p>
          <p className="flag__try">
            <strong>Try:</strong> {f.tryThis}
          </p>
        </li>
      ))}
    </ul>
  );
}

export function HealthPanel({ replica, open, onOpenChange }: { replica: SeriesReplica; open: boolean; onOpenChange(open: boolean): void }) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="1:1 health"
      size="wide"
      description="Worked out on this device from this 1:1’s agenda, notes and meetings. Only the two of you can see it."
    >
      {open && (
        <>
          <ArchivedHealthBody replica={replica} />
          <ExportHealth seriesId={replica.seriesId} />
        </>
      )}
    </Dialog>
  );
}

function ArchivedHealthBody({ replica }: { replica: SeriesReplica }) {
  const archived = useArchivedHealth(replica);
  return archived ? <HealthBody doc={replica.doc} archived={archived} /> : <p className="muted">Reading the earlier years…</p>;
}

/** The panel's content for an open 1:1 document and the history of its archived years. */
export function HealthBody({ doc, archived }: { doc: Y.Doc; archived?: HealthHistory[] }) {
  const history = useHealthHistory(doc, archived);
  const meta = useMeta(doc);
  const now = useNow();
  const report = useMemo(() => assessHealth(history, now), [history, now]);
  return (
    <div className="health">
      <section aria-labelledby="health-flags">
        <h3 id="health-flags" className="health__heading">
          Needs attention
        </h3>
        <FlagList flags={report.flags} headingLevel={4} />
      </section>
      <Figures report={report} meta={meta} />
      <Charts history={history} meta={meta} now={now} />
    </div>
  );
}

function nameOf(meta: SeriesMeta, id: string): string {
  return meta.participants[id]?.name ?? 'Someone else';
}

function Figures({ report, meta }: { report: HealthReport; meta: SeriesMeta }) {
  return (
    <section aria-labelledby="health-figures">
      <h3 id="health-figures" className="health__heading">
        The figures
      </h3>
      <dl className="figures">
        {healthFigures(report.signals, (id) => nameOf(meta, id)).map((f) => (
          <Row key={f.term} term={f.term}>
            {f.value}
          </Row>
        ))}
      </dl>
    </section>
  );
}

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="figures__row">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

const PURPOSE_COLOR = (key: string) => (key === 'none' ? 'var(--border-strong)' : `var(--purpose-${key}-fg)`);

function Charts({ history, meta, now }: { history: HealthHistory; meta: SeriesMeta; now: Date }) {
  const charts = useMemo(() => {
    const purposes = purposesByMonth(history, now);
    const meetings = meetingsByMonth(history, now);
    const authorship = authorshipByMeeting(history, now);
    const follow = followThroughByMonth(history, now);
    return { purposes, meetings, authorship, follow };
  }, [history, now]);
  // Map order differs between devices: by name, so both people see the same chart.
  const people = Object.keys(history.people).sort((x, y) => nameOf(meta, x).localeCompare(nameOf(meta, y)));
  const count = (groups: BarGroup[], key: string) => groups.reduce((n, g) => n + (g.values[key] ?? 0), 0);

  const purposeGroups = charts.purposes.map((m) => ({ label: monthLabel(m.month), values: m.counts }));
  const meetingGroups = charts.meetings.map((m) => ({
    label: monthLabel(m.month),
    values: { held: m.held, moved: m.moved, canceled: m.canceled },
  }));
  const authorGroups = charts.authorship.map((m) => ({ label: DAY_MONTH.format(new Date(m.scheduledFor)), values: m.items }));
  const followGroups = charts.follow.map((m) => ({
    label: monthLabel(m.month),
    values: { onTime: m.onTime, late: m.late, overdue: m.overdue },
  }));
  const purposeSummary = PURPOSE_KEYS.map((k) => `${count(purposeGroups, k)} ${purposeLabel(k === 'none' ? null : k).toLowerCase()}`).join(
    ', ',
  );

  return (
    <section aria-labelledby="health-charts" className="health__charts">
      <h3 id="health-charts" className="health__heading">
        Over time
      </h3>
      <BarChart
        title="Purposes discussed per month"
        summary={`items discussed in the last 12 months: ${purposeSummary}`}
        series={PURPOSE_KEYS.map((k) => ({ key: k, label: purposeLabel(k === 'none' ? null : k), color: PURPOSE_COLOR(k) }))}
        groups={purposeGroups}
      />
      <BarChart
        title="Who wrote the agenda"
        summary={
          authorGroups.length === 0
            ? 'no meeting held yet'
            : `items in the last ${authorGroups.length} held meetings: ${people.map((id) => `${nameOf(meta, id)} ${count(authorGroups, id)}`).join(', ')}`
        }
        series={people.map((id, k) => ({
          key: id,
          label: nameOf(meta, id),
          color: k === 0 ? 'var(--accent)' : 'var(--purpose-connection-fg)',
        }))}
        groups={authorGroups}
      />
      <BarChart
        title="Meetings per month"
        summary={`last 12 months: ${count(meetingGroups, 'held')} held, ${count(meetingGroups, 'moved')} moved, ${count(meetingGroups, 'canceled')} cancelled`}
        series={[
          { key: 'held', label: 'Held', color: 'var(--success)' },
          { key: 'moved', label: 'Moved', color: 'var(--warning)' },
          { key: 'canceled', label: 'Cancelled', color: 'var(--danger)' },
        ]}
        groups={meetingGroups}
      />
      <BarChart
        title="Next steps by due month"
        summary={`last 6 months: ${count(followGroups, 'onTime')} done on time, ${count(followGroups, 'late')} done late, ${count(followGroups, 'overdue')} overdue`}
        series={[
          { key: 'onTime', label: 'Done on time', color: 'var(--success)' },
          { key: 'late', label: 'Done late', color: 'var(--warning)' },
          { key: 'overdue', label: 'Overdue', color: 'var(--danger)' },
        ]}
        groups={followGroups}
      />
    </section>
  );
}
