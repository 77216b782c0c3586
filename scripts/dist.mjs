#!/usr/bin/env node
/**
 * `npm run dist [-- --linux | --mac | --win]`: packages the desktop app with electron-builder
 * (packaging/electron-builder.config.mjs). It needs the Electron binary (to build better-sqlite3
 * for it, and electron-builder downloads the Electron of each target platform); without it, it
 * says so in one line and stops.
 */
import { spawn } from 'node:child_process';
import { electronBinary, electronSqliteBinding, root } from './electron-native.mjs';

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

if (!electronBinary()) {
  console.error(
    'Packaging needs the Electron binary, which was not downloaded here (ELECTRON_SKIP_BINARY_DOWNLOAD=1 or no route to its host).',
  );
  process.exit(1);
}
const built = await run('npx', ['electron-vite', 'build']);
if (built !== 0) process.exit(built);
await electronSqliteBinding();
process.exit(await run('npx', ['electron-builder', '--config', 'packaging/electron-builder.config.mjs', ...process.argv.slice(2)]));
