/**
 * Search across every 1:1 (Ctrl/Cmd+K): ranked results as you type, with the matched words
 * marked, filtered by 1:1, purpose and date; a result opens its meeting at the place it was found.
 */
import { useEffect, useState } from 'react';
import type { SearchResult, SeriesSummary, TextPart } from '../../shared/api.js';
import type { Purpose } from '../../shared/schemas.js';
import { Dialog } from '../components/Dialog.js';
import { useToasts } from '../components/Toasts.js';
import { useApp } from '../lib/app-context.js';
import { PURPOSES } from '../lib/labels.js';
import { meetingDate } from '../lib/meeting-date.js';
import { hrefFor } from '../lib/route.js';

const KIND_LABEL: Record<SearchResult['kind'], string> = {
  item: 'Agenda item',
  notes: 'Shared notes',
  'check-in': 'Check-in',
  step: 'Next step',
  private: 'Private notes',
};

function Marked({ parts }: { parts: TextPart[] }) {
  return <>{parts.map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}</>;
}

export function resultHref(r: SearchResult): string {
  const at = r.kind === 'item' || r.kind === 'step' ? `${r.kind}:${r.entryId}` : r.kind;
  return hrefFor({ name: 'series', seriesId: r.seriesId, meetingId: r.meetingId ?? 'next', at });
}

export function SearchDialog({ open, onOpenChange }: { open: boolean; onOpenChange(open: boolean): void }) {
  const { api } = useApp();
  const { showError } = useToasts();
  const [query, setQuery] = useState('');
  const [seriesId, setSeriesId] = useState('');
  const [purpose, setPurpose] = useState<Purpose | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [series, setSeries] = useState<SeriesSummary[]>([]);
  const [results, setResults] = useState<SearchResult[] | null>(null);

  useEffect(() => {
    if (open) api.listSeries().then(setSeries, showError);
  }, [api, open, showError]);

  useEffect(() => {
    if (!open || !query.trim()) return setResults(null);
    let current = true;
    api
      .search({
        query,
        ...(seriesId ? { seriesId } : {}),
        ...(purpose ? { purpose } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      })
      .then((found) => current && setResults(found), showError);
    return () => {
      current = false;
    };
  }, [api, open, query, seriesId, purpose, from, to, showError]);

  const go = (r: SearchResult) => {
    onOpenChange(false);
    window.location.hash = resultHref(r);
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Search all 1:1s">
      <div className="search">
        <input
          className="input"
          type="search"
          aria-label="Search"
          placeholder="Words from items, notes, check-ins, next steps…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && results?.[0]) go(results[0]);
          }}
        />
        <div className="search__filters">
          <select className="input" aria-label="1:1" value={seriesId} onChange={(e) => setSeriesId(e.target.value)}>
            <option value="">All 1:1s</option>
            {series.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title || s.partnerName}
              </option>
            ))}
          </select>
          <select className="input" aria-label="Purpose" value={purpose} onChange={(e) => setPurpose(e.target.value as Purpose | '')}>
            <option value="">Any purpose</option>
            {PURPOSES.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
          <input className="input" type="date" aria-label="From" value={from} onChange={(e) => setFrom(e.target.value)} />
          <input className="input" type="date" aria-label="To" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
        {results && (
          <p className="meta muted" aria-live="polite">
            {results.length === 0 ? 'Nothing found.' : `${results.length} result${results.length === 1 ? '' : 's'}`}
          </p>
        )}
        {results && results.length > 0 && (
          <ol className="search__results" aria-label="Results">
            {results.map((r) => (
              <li key={`${r.seriesId}:${r.kind}:${r.entryId ?? r.meetingId}`}>
                <a
                  className="search__result"
                  href={resultHref(r)}
                  onClick={(e) => {
                    e.preventDefault();
                    go(r);
                  }}
                >
                  <span className="meta muted">
                    {r.seriesName} · {KIND_LABEL[r.kind]} · {meetingDate(r.at)}
                  </span>
                  {r.title.length > 0 && (
                    <span className="search__title">
                      <Marked parts={r.title} />
                    </span>
                  )}
                  {r.snippet.length > 0 && (
                    <span className="search__snippet">
                      <Marked parts={r.snippet} />
                    </span>
                  )}
                </a>
              </li>
            ))}
          </ol>
        )}
      </div>
    </Dialog>
  );
}
