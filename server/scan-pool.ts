/**
 * Large updates are counted, decoded and measured for nesting on worker threads, so that one
 * client's heavy update does not hold every other room's messages behind it: for the largest
 * update the budgets admit (50,000 structs) those steps took 130 ms to a second of the event loop
 * (bench/relay-update-cost.ts). What needs the room's document (charging the sender, nesting
 * against the document, integrating) stays on the main thread. A worker sees only bytes and sends
 * back numbers: a malformed update is refused as it would be on the main thread, and a worker that
 * dies fails only the jobs it held, their connections closed; the next job starts a new worker.
 * Jobs beyond `maxJobs` are refused rather than queued without end.
 *
 * The worker runs this same module (built, its own bundle scan-thread.js beside the relay's; from
 * source, this file through tsx): its top level serves jobs when loaded as a scan worker.
 */
import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import { moduleWorker } from './module-worker.js';
import { Close, ProtocolViolation, scanUpdate, type MessageLimits, type ScannedUpdate } from './protocol.js';

const ROLE = 'tandem-relay-update-scan';

interface Job {
  id: number;
  payload: Uint8Array;
  held: Uint8Array | null;
  limits: MessageLimits;
}

type Answer = { id: number; scan: ScannedUpdate } | { id: number; refused: { code: number; message: string } };

if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE) {
  parentPort!.on('message', ({ id, payload, held, limits }: Job) => {
    let answer: Answer;
    try {
      answer = { id, scan: scanUpdate(payload, held, limits) };
    } catch (error) {
      const refused =
        error instanceof ProtocolViolation
          ? error
          : new ProtocolViolation(Close.invalidPayload, `malformed update: ${(error as Error).message}`, true);
      answer = { id, refused: { code: refused.code, message: refused.message } };
    }
    parentPort!.postMessage(answer);
  });
}

/** The pool has as many jobs as it takes, or is closed. */
export class ScanPoolBusy extends Error {
  override name = 'ScanPoolBusy';
}

/** The worker holding the job died before answering. */
export class ScanWorkerFailed extends Error {
  override name = 'ScanWorkerFailed';
}

interface Slot {
  worker: Worker;
  jobs: Map<number, { resolve(scan: ScannedUpdate): void; reject(error: Error): void }>;
}

export interface ScanPoolOptions {
  workers: number;
  maxJobs: number;
  /**
   * Heap of each worker, so that a decode needing more ends that worker rather than growing the
   * relay. Node contains a worker's out-of-memory only at its best: some allocations abort the
   * whole process instead. The budgets, checked before any decoding, bound what a decode can
   * need (the heaviest update they admit is scanned well within 512 MB); this bound is the second line.
   */
  maxHeapMb: number;
}

export class ScanPool {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private jobs = 0;
  private closed = false;

  constructor(private readonly options: ScanPoolOptions) {}

  /**
   * Scans `payload` with `held` (the room's pending structs as Yjs encodes them). Rejects with a
   * ProtocolViolation for an update the relay refuses, ScanPoolBusy or ScanWorkerFailed.
   */
  scan(payload: Uint8Array, held: Uint8Array | null, limits: MessageLimits): Promise<ScannedUpdate> {
    if (this.closed || this.jobs >= this.options.maxJobs) return Promise.reject(new ScanPoolBusy('too many updates waiting to be checked'));
    const slot = this.pick();
    const id = ++this.nextId;
    // Copies: the payload may be a view into a larger receive buffer, and `held` is Yjs's own.
    const job: Job = { id, payload: new Uint8Array(payload), held: held && new Uint8Array(held), limits };
    this.jobs++;
    return new Promise<ScannedUpdate>((resolve, reject) => {
      slot.jobs.set(id, { resolve, reject });
      const buffers = (job.held ? [job.payload.buffer, job.held.buffer] : [job.payload.buffer]) as ArrayBuffer[];
      slot.worker.postMessage(job, buffers);
    }).finally(() => this.jobs--);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private pick(): Slot {
    if (this.slots.length < this.options.workers) return this.start();
    return this.slots.reduce((least, slot) => (slot.jobs.size < least.jobs.size ? slot : least));
  }

  /** A new worker thread, its heap bounded. */
  protected spawn(): Worker {
    return moduleWorker(
      import.meta.url,
      {
        workerData: { role: ROLE },
        resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb },
      },
      'scan-thread.js',
    );
  }

  private start(): Slot {
    const worker = this.spawn();
    // An idle worker must not keep a stopping relay alive.
    worker.unref();
    const slot: Slot = { worker, jobs: new Map() };
    worker.on('message', (answer: Answer) => {
      const job = slot.jobs.get(answer.id);
      if (!job) return;
      slot.jobs.delete(answer.id);
      if ('scan' in answer) job.resolve(answer.scan);
      else job.reject(new ProtocolViolation(answer.refused.code, answer.refused.message, true));
    });
    const failed = (why: string) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      for (const job of slot.jobs.values()) job.reject(new ScanWorkerFailed(`the update checker stopped: ${why}`));
      slot.jobs.clear();
    };
    worker.on('error', (error) => failed(error.message));
    worker.on('exit', (code) => failed(`exit code ${code}`));
    this.slots.push(slot);
    return slot;
  }
}
