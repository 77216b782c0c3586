/**
 * The one logger of every Node process: pino, one JSON object per line. The relay writes to stdout
 * for its operator's collector; the desktop app and the web shell write to a rotating file in the
 * data dir, readable by the user only.
 *
 * Callers log ids, counts and outcomes, never document content (titles, agenda text, notes, names):
 * a log is handed around in bug reports. Secrets are redacted here as a second line of defence: a
 * field named like a secret is replaced, a URL field keeps its address but loses its query
 * string (where invite and relay secrets travel), and a `secret=`, `key=` or `token=` parameter
 * anywhere else in a line, such as an error message quoting a URL, loses its value.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

const SECRET_FIELDS = ['secret', 'key', 'relayKey', 'token', 'password'];
const URL_FIELDS = ['url', 'relayUrl'];
const REDACTED = '[redacted]';

/** `ws://host:1234/room?secret=…` → `ws://host:1234/room?[redacted]`. */
export function withoutQuery(url: string): string {
  const at = url.search(/[?#]/);
  return at < 0 ? url : `${url.slice(0, at)}?${REDACTED}`;
}

function censor(value: unknown, path: string[]): unknown {
  return URL_FIELDS.includes(path.at(-1) ?? '') && typeof value === 'string' ? withoutQuery(value) : REDACTED;
}

const fields = [...SECRET_FIELDS, ...URL_FIELDS];

/** A secret in a query string anywhere in the line, e.g. inside an error message quoting a URL. */
const SECRET_PARAM = /([?&](?:secret|key|token)=)[^&\s"\\]+/g;

/** A logger writing JSON lines to `destination`, with the redaction above. */
export function createLogger(destination: DestinationStream, level = 'info'): Logger {
  return pino(
    {
      level,
      // pid and hostname say nothing in a per-user file or a one-process relay.
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...fields, ...fields.map((f) => `*.${f}`)], censor },
      hooks: { streamWrite: (line) => line.replace(SECRET_PARAM, `$1${REDACTED}`) },
    },
    destination,
  );
}

/** JSON lines on stdout (the relay). */
export function stdoutLogger(level = 'info'): Logger {
  return createLogger(pino.destination({ dest: 1, sync: true }), level);
}

/** A logger that drops everything (tests, benchmarks, and the core when nobody injects one). */
export const silentLogger: Logger = pino({ enabled: false });

export const LOG_FOLDER = 'logs';

export interface FileLogOptions {
  /** Bytes per file before it rotates (default 5 MB). */
  maxBytes?: number;
  /** Files kept, the current one included (default 4). */
  files?: number;
  level?: string;
}

export interface FileLogger {
  log: Logger;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

/**
 * Logs to `DATA_DIR/logs/tandem.N.log`, starting a new file past `maxBytes` and deleting the
 * oldest beyond `files`. pino-roll runs as a plain stream in this thread, not as a worker
 * transport: the core is bundled, and a worker would need its own file on disk. Writes are
 * synchronous so the last line before a crash is on disk; the app logs rarely. pino-roll is loaded
 * here, not with this module: it brings all of date-fns (CommonJS, about 0.7 MB), which a process
 * that logs to no file (a benchmark, a test) would otherwise parse at every start.
 */
export async function fileLogger(dataDir: string, opts: FileLogOptions = {}): Promise<FileLogger> {
  const { default: pinoRoll } = await import('pino-roll');
  const dir = join(dataDir, LOG_FOLDER);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stream = await pinoRoll({
    file: join(dir, 'tandem.log'),
    size: `${Math.max(1, Math.round((opts.maxBytes ?? 5 * 1024 * 1024) / 1024))}k`,
    // Also removes files left by earlier runs, so the folder never grows past `files`.
    limit: { count: opts.files ?? 4, removeOtherLogFiles: true },
    sync: true,
    mode: 0o600,
  });
  const log = createLogger(stream, opts.level);
  const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
  let ended = false;
  return {
    log,
    close: () => {
      if (!ended) stream.end();
      ended = true;
      return closed;
    },
  };
}
