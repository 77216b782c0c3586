/**
 * `npm run bench`: every benchmark, each printing its figures with its method (the header of its
 * file says more).
 */
import { runFoundationBench } from './foundation.js';
import { formatLatency, measureRelayLatency } from './relay-latency.js';
import { formatSyncLatency, measureSyncLatency } from './sync-latency.js';
import { formatSyncMerge, measureSyncMerge } from './sync-merge.js';

await runFoundationBench();
console.log('\nKeystroke-to-peer latency through the relay, plain y-websocket clients (bench/relay-latency.ts)');
console.log(formatLatency(await measureRelayLatency()));
console.log('\nKeystroke-to-peer latency, core to core (bench/sync-latency.ts)');
console.log(formatSyncLatency(await measureSyncLatency()));
console.log('\nOffline merge, core to core (bench/sync-merge.ts)');
console.log(formatSyncMerge(await measureSyncMerge()));
