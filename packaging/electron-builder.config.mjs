/**
 * How `npm run dist` packages Tandem with electron-builder: AppImage and deb for Linux, dmg for
 * macOS, an NSIS installer for Windows; the app in an asar archive with better-sqlite3 unpacked
 * beside it (a .node file cannot load from inside an archive). Its native build for Electron is the
 * copy scripts/electron-native.mjs makes (never a rebuild in node_modules, which the tests and the
 * web shell need built for Node), packed as resources/native/better_sqlite3.node; the `tandem://`
 * scheme registered (Info.plist on macOS, the .desktop file on Linux, the registry on Windows);
 * and Electron's fuses flipped on the packaged binary after packing. A unit test reads this file
 * and checks it against electron-builder's own schema and @electron/fuses' list of fuses
 * (tests/unit/packaging/electron-builder-config.test.ts), so it cannot rot unnoticed.
 */

import { createRequire } from 'node:module';

/**
 * Electron fuses, by their @electron/fuses name: switches compiled into the binary that no
 * command line or environment can turn back. Off: running the app as plain Node, NODE_OPTIONS,
 * --inspect; file:// extra privileges (the renderer is served from app://). On: the app only from
 * its asar archive, checked against the integrity hash packed into the binary; cookies encrypted.
 */
export const FUSES = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  GrantFileProtocolExtraPrivileges: false,
};

/** The fuse settings for @electron/fuses' flipFuses, with the numbers of its `FuseV1Options` enum. */
export function fuseWires(fuseV1Options) {
  return Object.fromEntries(
    Object.entries(FUSES).map(([name, on]) => {
      const wire = fuseV1Options[name];
      if (typeof wire !== 'number') throw new Error(`@electron/fuses has no fuse named ${name}: check its FuseV1Options`);
      return [wire, on];
    }),
  );
}

/** The packed Electron binary that the fuses are flipped in. */
export function packedBinary({ appOutDir, electronPlatformName, packager }) {
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return `${appOutDir}/${name}.app`;
  if (electronPlatformName === 'win32') return `${appOutDir}/${name}.exe`;
  return `${appOutDir}/${packager.executableName}`;
}

const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;

/** better-sqlite3 built for this Electron, where scripts/electron-native.mjs puts it. */
export const NATIVE_SQLITE = `out/native/electron-${electronVersion}/node_modules/better-sqlite3/build/Release/better_sqlite3.node`;

export default {
  appId: 'app.tandem.desktop',
  productName: 'Tandem',
  directories: { output: 'dist', buildResources: 'build' },
  // Main, the core process and the preload are bundles (electron.vite.config.ts): only
  // better-sqlite3, native, is needed from node_modules.
  files: [
    'package.json',
    'out/main/**',
    'out/preload/**',
    'out/renderer/**',
    '!out/native/**',
    '!node_modules/**',
    'node_modules/better-sqlite3/{package.json,lib/**}',
    'node_modules/bindings/**',
    'node_modules/file-uri-to-path/**',
  ],
  asar: true,
  asarUnpack: ['node_modules/better-sqlite3/**'],
  npmRebuild: false,
  extraResources: [
    { from: 'resources', to: '.', filter: ['tray.png', 'trayTemplate.png', 'trayTemplate@2x.png'] },
    { from: NATIVE_SQLITE, to: 'native/better_sqlite3.node' },
  ],
  protocols: [{ name: 'Tandem invite', schemes: ['tandem'] }],
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Office',
    icon: 'build/icons',
    synopsis: 'Offline-first 1:1 meetings',
    mimeTypes: ['x-scheme-handler/tandem'],
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.productivity',
    icon: 'build/icon.png',
    hardenedRuntime: true,
  },
  win: { target: ['nsis'], icon: 'build/icon.png' },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
  async afterPack(context) {
    const { flipFuses, FuseVersion, FuseV1Options } = await import('@electron/fuses');
    await flipFuses(packedBinary(context), {
      version: FuseVersion.V1,
      // Flipping fuses changes the binary: an Apple Silicon build must be signed again (ad hoc until the real signature).
      resetAdHocDarwinSignature: context.electronPlatformName === 'darwin',
      // A fuse a newer Electron adds stops the build until FUSES says what it should be.
      strictlyRequireAllFuses: true,
      ...fuseWires(FuseV1Options),
    });
  },
};
