#!/usr/bin/env node
/**
 * `npm start`: builds and launches the desktop app. Where the Electron binary cannot be had
 * (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or no network to its release host), says so
 * in one line and starts the web shell instead.
 */
import { spawn } from 'node:child_process';
import { electronBinary, electronSqliteBinding, root } from './electron-native.mjs';

const args = process.argv.slice(2);

function run(command, commandArgs, env = process.env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
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
