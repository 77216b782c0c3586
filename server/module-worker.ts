/**
 * Worker threads that run one of the relay's own modules: once built, the relay bundle itself (its
 * modules are all in the one file, and each serves only the worker role it is given) or a bundle
 * of the worker's own beside it; from source, the TypeScript file through tsx. Each such module
 * checks `workerData.role` at its top level to know whether it is that worker.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** `moduleUrl`: the calling module's import.meta.url; `bundle`: the file name of the worker's own bundle, if it has one. */
export function moduleWorker(moduleUrl: string, options: WorkerOptions, bundle?: string): Worker {
  if (!moduleUrl.endsWith('.ts')) return new Worker(new URL(bundle ?? moduleUrl, moduleUrl), options);
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(moduleUrl)}); });`, {
    ...options,
    eval: true,
  });
}
