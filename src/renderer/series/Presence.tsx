/** Who has this 1:1 open right now, from the awareness states (the same ones that draw carets). */
import { useCallback, useSyncExternalStore } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { initials } from '../lib/initials.js';
import type { PresenceUser } from '../replica/series-replica.js';

interface Present extends PresenceUser {
  clientId: number;
  me: boolean;
}

function isUser(value: unknown): value is PresenceUser {
  const v = value as Partial<PresenceUser> | null;
  return typeof v?.name === 'string' && typeof v.color === 'string';
}

function usePresent(awareness: Awareness): Present[] {
  const subscribe = useCallback(
    (onChange: () => void) => {
      awareness.on('change', onChange);
      return () => awareness.off('change', onChange);
    },
    [awareness],
  );
  // The snapshot must be stable between changes, so it is a string key, parsed below.
  const key = useSyncExternalStore(subscribe, () => {
    const people: Present[] = [];
    awareness.getStates().forEach((state, clientId) => {
      const user = (state as { user?: unknown }).user;
      if (isUser(user)) people.push({ ...user, clientId, me: clientId === awareness.clientID });
    });
    return JSON.stringify(people);
  });
  const people = JSON.parse(key) as Present[];
  // Several windows of one person are one face; the local user goes last.
  const unique = new Map<string, Present>();
  for (const p of people.sort((a, b) => Number(a.me) - Number(b.me)))
    if (!unique.has(`${p.name}|${p.color}`) || p.me) unique.set(`${p.name}|${p.color}`, p);
  return [...unique.values()];
}

export function Presence({ awareness }: { awareness: Awareness }) {
  const people = usePresent(awareness);
  return (
    <ul className="presence" aria-label="Here now">
      {people.map((p) => (
        <li key={p.clientId} className="presence__person" title={p.me ? `${p.name} (you)` : p.name}>
          <span className="avatar" style={{ backgroundColor: p.color }} aria-hidden="true">
            {initials(p.name)}
          </span>
          <span className="visually-hidden">{p.me ? `${p.name} (you)` : p.name}</span>
        </li>
      ))}
    </ul>
  );
}
