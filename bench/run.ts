/**
 * `npm run bench`: every benchmark, each printing its figures with its method (the header of its
 * file says more). `npm run bench -- --json FILE` also writes every figure by name (bench/figures.ts).
 */
import { jsonFile, writeFigures } from './figures.js';
import { runFoundationBench } from './foundation.js';
import { runInsightsBench } from './insights.js';
import { runMeetingBench } from './meeting.js';
import { formatQuickAdd, measureQuickAdd, quickAddFigures } from './quick-add.js';
import { runPrepareBench } from './prepare.js';
import { formatLatency, measureRelayLatency, relayLatencyFigures } from './relay-latency.js';
import { formatRelayLoad, measureRelayLoad, relayLoadFigures } from './relay-load.js';
import { formatRelayScale, measureRelayScale, relayScaleFigures } from './relay-scale.js';
import { formatSyncLatency, measureSyncLatency, syncLatencyFigures } from './sync-latency.js';
import { formatSyncMerge, measureSyncMerge, syncMergeFigures } from './sync-merge.js';

const json = jsonFile(process.argv.slice(2));
const figures = await runFoundationBench();
console.log('\nKeystroke-to-peer latency through the relay, plain y-websocket clients (bench/relay-latency.ts)');
const relay = await measureRelayLatency();
console.log(formatLatency(relay));
console.log('\nThe relay under load (bench/relay-load.ts)');
const load = await measureRelayLoad();
console.log(formatRelayLoad(load));
console.log('\nRelay instances behind Redis (bench/relay-scale.ts)');
const scale = await measureRelayScale();
console.log(formatRelayScale(scale));
console.log('\nKeystroke-to-peer latency, core to core (bench/sync-latency.ts)');
const latency = await measureSyncLatency();
console.log(formatSyncLatency(latency));
console.log('\nOffline merge, core to core (bench/sync-merge.ts)');
const merge = await measureSyncMerge();
console.log(formatSyncMerge(merge));
console.log('\nQuick add (bench/quick-add.ts)');
const quickAdd = await measureQuickAdd();
console.log(formatQuickAdd(quickAdd));
Object.assign(figures, await runPrepareBench());
Object.assign(
  figures,
  quickAddFigures(quickAdd),
  runMeetingBench(),
  await runInsightsBench(),
  relayLatencyFigures(relay),
  relayLoadFigures(load),
  relayScaleFigures(scale),
  syncLatencyFigures(latency),
  syncMergeFigures(merge),
);
if (json) {
  writeFigures(json, figures);
  console.log(`\nFigures written to ${json}`);
}
