/**
 * Worker threads that run one of the relay's own modules: the relay bundle itself once built (its
 * modules are all in the one file, and each serves only the worker role it is given), or the
 * TypeScript file through tsx when run from source. Each such module checks `workerData.role` at
 * its top level to know whether it is that worker.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function moduleWorker(moduleUrl: string, options: WorkerOptions): Worker {
  if (!moduleUrl.endsWith('.ts')) return new Worker(new URL(moduleUrl), options);
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(moduleUrl)}); });`, {
    ...options,
    eval: true,
  });
}
