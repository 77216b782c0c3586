/**
 * The log for what clients cause (connections, refusals, closes), rate-limited so a flood of bad
 * clients cannot flood the log or the disk under it: past the budget, lines are dropped, counted
 * in a metric, and summed up in one line once the flood has passed.
 */
import type { Logger } from '../src/node/log.js';
import { TokenBucket } from './rate-limit.js';

type Fields = Record<string, unknown>;

export interface ClientLog {
  info(fields: Fields, message: string): void;
  warn(fields: Fields, message: string): void;
  error(fields: Fields, message: string): void;
}

/** Lines per second, and at once. */
const LINES_PER_SECOND = 50;
const LINES_BURST = 500;
/** How often dropped lines are summed up. */
const SUMMARY_MS = 10_000;

export function limitedLog(logger: Logger, onDrop: () => void): ClientLog & { stop(): void } {
  const bucket = new TokenBucket(LINES_PER_SECOND, LINES_BURST);
  let dropped = 0;
  const timer = setInterval(() => {
    if (dropped === 0) return;
    logger.warn({ dropped }, 'log lines dropped: too many client events');
    dropped = 0;
  }, SUMMARY_MS).unref();
  const write = (level: 'info' | 'warn' | 'error') => (fields: Fields, message: string) => {
    // Errors are the relay's own trouble, never rate-limited.
    if (level !== 'error' && !bucket.take()) {
      dropped++;
      onDrop();
      return;
    }
    logger[level](fields, message);
  };
  return { info: write('info'), warn: write('warn'), error: write('error'), stop: () => clearInterval(timer) };
}
