/**
 * Finding the Electron binary and a better-sqlite3 built for its ABI, for `npm start` and the
 * desktop end-to-end test.
 *
 * better-sqlite3 is a native module and Electron's Node ABI differs from the system Node's. The
 * tests, the web shell and the benchmarks use node_modules/better-sqlite3 as npm built it; for
 * Electron a separate copy is rebuilt once into out/native/electron-<version>/ and handed to the
 * core through TANDEM_SQLITE_BINDING, so neither build ever overwrites the other.
 */
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';

export const root = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

/** The Electron executable, or null where it was never downloaded (ELECTRON_OVERRIDE_DIST_PATH is honoured). */
export function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** The path of a better-sqlite3 binary for this Electron, building it on first use. */
export async function electronSqliteBinding() {
  const version = require('electron/package.json').version;
  const dir = join(root, 'out', 'native', `electron-${version}`);
  const binding = join(dir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) return binding;
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'tandem-native', private: true }));
  cpSync(join(root, 'node_modules', 'better-sqlite3'), join(dir, 'node_modules', 'better-sqlite3'), {
    recursive: true,
    filter: (src) => !src.includes(`better-sqlite3${sep}build`),
  });
  const { rebuild } = require('@electron/rebuild');
  console.log(`Building better-sqlite3 for Electron ${version} (once)…`);
  await rebuild({ buildPath: dir, electronVersion: version, onlyModules: ['better-sqlite3'], force: true });
  return binding;
}
