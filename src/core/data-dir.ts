/**
 * Where Tandem keeps its data: the platform's per-user application data folder, unless
 * overridden by the `--data-dir` flag or the TANDEM_DATA_DIR environment variable (flag wins).
 * The folder is created readable by the user only, and checked for writing up front so that a
 * read-only location fails with one clear sentence instead of a half-started app.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { TandemError } from '../shared/errors.js';

export const APP_FOLDER = 'Tandem';

export function platformDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_FOLDER);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_FOLDER);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_FOLDER);
}

/** The value of `--name value` or `--name=value` in argv, if present. */
export function flagValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === `--${name}`) return argv[i + 1];
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}

export function resolveDataDir(argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flagValue(argv, 'data-dir') ?? env.TANDEM_DATA_DIR;
  return chosen ? resolve(chosen) : platformDataDir(process.platform, env);
}

/** Creates the folder if needed (mode 700) and proves it is writable by writing to it. */
export function prepareDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const probe = join(dir, `.write-test-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new TandemError(
      'storage',
      `Tandem cannot write to its data directory ${dir} (${code}). Fix its permissions, or choose another with --data-dir or TANDEM_DATA_DIR.`,
    );
  }
}
