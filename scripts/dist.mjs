#!/usr/bin/env node
/**
 * `npm run dist [-- --linux | --mac | --win]`: packages the desktop app with electron-builder
 * (packaging/electron-builder.config.mjs). It needs the Electron binary (to build better-sqlite3
 * for it, and electron-builder downloads the Electron of each target platform), electron-builder
 * and @electron/fuses; where one is missing it says which, in one line, and stops.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { electronBinary, electronSqliteBinding, root } from './electron-native.mjs';

const require = createRequire(import.meta.url);
const has = (name) => {
  try {
    require.resolve(`${name}/package.json`, { paths: [root] });
    return true;
  } catch {
    return false;
  }
};

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
const missing = ['electron-builder', '@electron/fuses'].filter((name) => !has(name));
if (missing.length > 0) {
  console.error(
    `Packaging needs ${missing.join(' and ')}: npm install --save-dev --save-exact electron-builder@25.1.8 @electron/fuses@1.8.0`,
  );
  process.exit(1);
}
const built = await run('npx', ['electron-vite', 'build']);
if (built !== 0) process.exit(built);
await electronSqliteBinding();
process.exit(await run('npx', ['electron-builder', '--config', 'packaging/electron-builder.config.mjs', ...process.argv.slice(2)]));
