/**
 * A small stacked bar chart in SVG. Colours come from theme variables, so both themes draw it;
 * screen readers get the chart's summary as its name and every figure in a table.
 */
export interface BarSeries {
  key: string;
  label: string;
  /** A CSS colour, normally a theme variable. */
  color: string;
}

export interface BarGroup {
  label: string;
  values: Record<string, number>;
}

const WIDTH = 320;
const HEIGHT = 120;
const AXIS = 16;

export function BarChart({ title, summary, series, groups }: { title: string; summary: string; series: BarSeries[]; groups: BarGroup[] }) {
  const totals = groups.map((g) => series.reduce((sum, s) => sum + (g.values[s.key] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const slot = WIDTH / Math.max(1, groups.length);
  const bar = Math.max(2, slot * 0.64);
  const scale = (HEIGHT - AXIS) / max;
  const id = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="chart__title">
        {title}
      </figcaption>
      <svg className="chart__svg" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${title}: ${summary}`}>
        <line x1={0} x2={WIDTH} y1={HEIGHT - AXIS} y2={HEIGHT - AXIS} className="chart__axis" />
        {groups.map((g, k) => {
          let y = HEIGHT - AXIS;
          const x = k * slot + (slot - bar) / 2;
          return (
            <g key={k}>
              {series.map((s) => {
                const h = (g.values[s.key] ?? 0) * scale;
                if (h <= 0) return null;
                y -= h;
                return <rect key={s.key} x={x} y={y} width={bar} height={h} fill={s.color} />;
              })}
              {(groups.length <= 12 || k % 2 === 0) && (
                <text x={k * slot + slot / 2} y={HEIGHT - 3} textAnchor="middle" className="chart__label">
                  {g.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <ul className="chart__legend" aria-hidden="true">
        {series.map((s) => (
          <li key={s.key}>
            <span className="chart__swatch" style={{ background: s.color }} />
            {s.label}
          </li>
        ))}
      </ul>
      <table className="visually-hidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            {series.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {groups.map((g, k) => (
            <tr key={k}>
              <th scope="row">{g.label}</th>
              {series.map((s) => (
                <td key={s.key}>{g.values[s.key] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
