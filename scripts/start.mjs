#!/usr/bin/env node
/**
 * `npm start`: builds and launches the desktop app. Where the Electron binary cannot be had
 * (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or no network to its release host), says so
 * in one line and starts the web shell instead.
 *
 * better-sqlite3 is a native module and Electron's Node ABI differs from the system Node's. The
 * tests, the web shell and the benchmarks use node_modules/better-sqlite3 as npm built it; for
 * Electron a separate copy is rebuilt once into out/native/<electron version>/ and handed to the
 * core through TANDEM_SQLITE_BINDING, so neither build ever overwrites the other.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function run(command, commandArgs, env = process.env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function electronSqliteBinding() {
  const version = require('electron/package.json').version;
  const dir = join(root, 'out', 'native', `electron-${version}`);
  const binding = join(dir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) return binding;
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'tandem-native', private: true }));
  cpSync(join(root, 'node_modules', 'better-sqlite3'), join(dir, 'node_modules', 'better-sqlite3'), {
    recursive: true,
    filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`),
  });
  const { rebuild } = require('@electron/rebuild');
  console.log(`Building better-sqlite3 for Electron ${version} (once)…`);
  await rebuild({ buildPath: dir, electronVersion: version, onlyModules: ['better-sqlite3'], force: true });
  return binding;
}

const electron = electronBinary();
if (!electron) {
  console.log('Electron is not available on this machine (its binary was not downloaded); starting the web shell instead.');
  process.exit(await run('npm', ['run', 'web', '--', ...args]));
}

const built = await run('npx', ['electron-vite', 'build']);
if (built !== 0) process.exit(built);
const binding = await electronSqliteBinding();
process.exit(await run(electron, ['.', ...args], { ...process.env, TANDEM_SQLITE_BINDING: binding }));
