import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FuseV1Options } from '@electron/fuses';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import type { Configuration } from 'electron-builder';
import { expect, test } from 'vitest';
import config, { FUSES, fuseWires, NATIVE_SQLITE, packedBinary } from '../../../packaging/electron-builder.config.mjs';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const pngSize = (path: string) => {
  const bytes = readFileSync(join(ROOT, path));
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
};

test('the fuses turn off Node-as-app, NODE_OPTIONS and --inspect, and turn on asar-only with integrity and cookie encryption', () => {
  expect(FUSES).toEqual({
    RunAsNode: false,
    EnableCookieEncryption: true,
    EnableNodeOptionsEnvironmentVariable: false,
    EnableNodeCliInspectArguments: false,
    EnableEmbeddedAsarIntegrityValidation: true,
    OnlyLoadAppFromAsar: true,
    LoadBrowserProcessSpecificV8Snapshot: false,
    GrantFileProtocolExtraPrivileges: false,
  });
});

test('every fuse @electron/fuses knows has a setting, each maps to its wire, and a name it does not know stops the build', () => {
  const known = Object.keys(FuseV1Options).filter((k) => Number.isNaN(Number(k)));
  expect(Object.keys(FUSES).sort()).toEqual(known.sort());
  const wires = fuseWires(FuseV1Options);
  for (const [name, on] of Object.entries(FUSES)) expect(wires[FuseV1Options[name as keyof typeof FuseV1Options]], name).toBe(on);
  const older: Record<string, number | string> = { ...FuseV1Options };
  delete older.GrantFileProtocolExtraPrivileges;
  expect(() => fuseWires(older)).toThrow('@electron/fuses has no fuse named GrantFileProtocolExtraPrivileges');
});

test("electron-builder's own schema accepts the configuration, and refuses a misspelt option", async () => {
  // The declared type of the .mjs is narrower than electron-builder's; its schema is the check here.
  await expect(validateConfiguration(config as Configuration, new DebugLogger(false))).resolves.toBeUndefined();
  const misspelt = { ...config, linux: { ...config.linux, targets: ['deb'] } };
  await expect(validateConfiguration(misspelt as Configuration, new DebugLogger(false))).rejects.toThrow('does not match the API schema');
});

test('the fuses are flipped on the packed binary of each platform, after packing', () => {
  expect(typeof config.afterPack).toBe('function');
  const packager = { appInfo: { productFilename: 'Tandem' }, executableName: 'tandem' };
  expect(packedBinary({ appOutDir: '/o', electronPlatformName: 'darwin', packager })).toBe('/o/Tandem.app');
  expect(packedBinary({ appOutDir: '/o', electronPlatformName: 'win32', packager })).toBe('/o/Tandem.exe');
  expect(packedBinary({ appOutDir: '/o', electronPlatformName: 'linux', packager })).toBe('/o/tandem');
});

test('targets: AppImage and deb, dmg, nsis; the tandem:// scheme registered; an asar with better-sqlite3 unpacked', () => {
  expect(config.linux.target).toEqual(['AppImage', 'deb']);
  expect(config.mac.target).toEqual(['dmg']);
  expect(config.win.target).toEqual(['nsis']);
  expect(config.protocols).toEqual([{ name: 'Tandem invite', schemes: ['tandem'] }]);
  expect(config.linux.mimeTypes).toContain('x-scheme-handler/tandem');
  expect(config.asar).toBe(true);
  expect(config.asarUnpack).toEqual(['node_modules/better-sqlite3/**']);
  // Never a rebuild in node_modules: the tests and the web shell need it built for Node.
  expect(config.npmRebuild).toBe(false);
  expect(config.extraResources).toContainEqual({ from: NATIVE_SQLITE, to: 'native/better_sqlite3.node' });
});

test('the files are the built app and the native module, never the sources, the Electron-native cache or other packages', () => {
  expect(config.files).toEqual(
    expect.arrayContaining(['package.json', 'out/main/**', 'out/preload/**', 'out/renderer/**', '!out/native/**']),
  );
  expect(config.files.indexOf('!node_modules/**')).toBeLessThan(config.files.findIndex((f) => f.startsWith('node_modules/better-sqlite3')));
  expect(config.files.some((f) => f.startsWith('src') || f.startsWith('tests'))).toBe(false);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };
  expect(pkg.main).toBe('out/main/index.js');
  expect(pkg.scripts.dist).toBe('node scripts/dist.mjs');
});

test('the icon set and the tray images are there, at the sizes each platform wants', () => {
  expect(pngSize(config.mac.icon)).toEqual({ width: 1024, height: 1024 });
  expect(config.win.icon).toBe(config.mac.icon);
  for (const size of [16, 32, 48, 64, 128, 256, 512])
    expect(pngSize(`${config.linux.icon}/${size}x${size}.png`)).toEqual({ width: size, height: size });
  const tray = config.extraResources.find((r) => r.from === 'resources')!;
  for (const name of tray.filter!) expect(existsSync(join(ROOT, 'resources', name)), name).toBe(true);
  expect(pngSize('resources/trayTemplate@2x.png')).toEqual({ width: 32, height: 32 });
});
