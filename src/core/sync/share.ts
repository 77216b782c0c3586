/** A 1:1 shared through a relay: where, with which access key, and the room's secret. */
export interface Share {
  seriesId: string;
  relayUrl: string;
  key: string | null;
  secret: string;
}
