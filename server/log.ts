/**
 * Structured logs: one JSON object per line on stdout, so an operator's collector can parse them.
 * Callers pass room ids and outcomes only; secrets, keys and request URLs never reach a log.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;
type Level = 'info' | 'warn' | 'error';

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export function jsonLogger(write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  const emit = (level: Level, msg: string, fields?: LogFields) =>
    write(`${JSON.stringify({ level, msg, ...fields, time: new Date().toISOString() })}\n`);
  return {
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
