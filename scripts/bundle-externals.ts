/**
 * What a Node-side bundle of Tandem (the desktop core process, the benchmark probes) leaves
 * outside: Electron itself, the native better-sqlite3 (built per ABI, see electron-native.mjs),
 * ws's optional native helpers, and Node's built-ins. Everything else is bundled, because
 * resolving and parsing hundreds of package files at start-up costs over a second of cold open.
 */
export const NODE_BUNDLE_EXTERNAL: (string | RegExp)[] = ['electron', 'better-sqlite3', 'bufferutil', 'utf-8-validate', /^node:/];
