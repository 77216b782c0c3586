/**
 * One replica per open 1:1, shared by every component that shows it. Releasing is deferred by a
 * tick so a component that unmounts and mounts again at once (React StrictMode, a re-keyed screen)
 * keeps the same replica instead of closing and reopening the series in the core.
 */
import { type TandemApi } from '../../shared/api.js';
import { TandemError } from '../../shared/errors.js';
import { SeriesReplica, type PresenceUser } from './series-replica.js';

interface Entry {
  replica: SeriesReplica;
  users: number;
  closing?: ReturnType<typeof setTimeout>;
}

export class ReplicaRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly api: TandemApi,
    /** Who acts on the replicas: the author of every command. */
    private readonly userId: string,
    private readonly onCloseError: (error: unknown) => void = () => undefined,
  ) {}

  acquire(seriesId: string, user: PresenceUser): SeriesReplica {
    let entry = this.entries.get(seriesId);
    if (!entry) {
      entry = { replica: new SeriesReplica(this.api, seriesId, user, this.userId), users: 0 };
      this.entries.set(seriesId, entry);
    }
    clearTimeout(entry.closing);
    entry.users++;
    return entry.replica;
  }

  release(replica: SeriesReplica): void {
    const entry = this.entries.get(replica.seriesId);
    if (!entry || entry.replica !== replica) return;
    entry.users--;
    if (entry.users > 0) return;
    entry.closing = setTimeout(() => {
      // Edits the core refused live only in this replica: keep it, so reopening the 1:1 brings
      // them back with Retry instead of losing what was typed.
      if (replica.saveState.error) {
        this.onCloseError(new TandemError('storage', 'Some changes to this 1:1 are not saved yet. Open it again and choose Retry.'));
        return;
      }
      this.entries.delete(replica.seriesId);
      replica.close().catch(this.onCloseError);
    }, 0);
  }
}
