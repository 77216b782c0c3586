/** A compact select whose name is its aria-label (filters and inline forms, where a visible label would crowd the row). */
export interface Choice<V extends string> {
  value: V;
  label: string;
}

export function Select<V extends string>({
  label,
  value,
  choices,
  onChange,
  className,
}: {
  label: string;
  value: V;
  choices: readonly Choice<V>[];
  onChange(value: V): void;
  className?: string;
}) {
  return (
    <select className={`input ${className ?? ''}`} aria-label={label} value={value} onChange={(e) => onChange(e.target.value as V)}>
      {choices.map((c) => (
        <option key={c.value} value={c.value}>
          {c.label}
        </option>
      ))}
    </select>
  );
}
