import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { TandemError } from '../../../src/shared/errors.js';
import { flagValue, platformDataDir, prepareDataDir, resolveDataDir } from '../../../src/core/data-dir.js';
import { tempDir } from '../helpers/core.js';

describe('platform data directory', () => {
  test('linux uses XDG_CONFIG_HOME when set', () => {
    expect(platformDataDir('linux', { XDG_CONFIG_HOME: '/x/cfg' }, '/home/u')).toBe('/x/cfg/Tandem');
  });

  test('linux falls back to ~/.config when XDG_CONFIG_HOME is unset or empty', () => {
    expect(platformDataDir('linux', {}, '/home/u')).toBe('/home/u/.config/Tandem');
    expect(platformDataDir('linux', { XDG_CONFIG_HOME: '' }, '/home/u')).toBe('/home/u/.config/Tandem');
  });

  test('macOS uses ~/Library/Application Support', () => {
    expect(platformDataDir('darwin', { XDG_CONFIG_HOME: '/ignored' }, '/Users/u')).toBe('/Users/u/Library/Application Support/Tandem');
  });

  test('Windows uses APPDATA, or the roaming profile folder without it', () => {
    expect(platformDataDir('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u')).toBe(
      join('C:\\Users\\u\\AppData\\Roaming', 'Tandem'),
    );
    expect(platformDataDir('win32', {}, 'C:\\Users\\u')).toBe(join('C:\\Users\\u', 'AppData', 'Roaming', 'Tandem'));
  });
});

describe('choosing the data directory', () => {
  test('the --data-dir flag beats TANDEM_DATA_DIR', () => {
    expect(resolveDataDir(['node', 'app', '--data-dir', '/from/flag'], { TANDEM_DATA_DIR: '/from/env' })).toBe('/from/flag');
    expect(resolveDataDir(['node', 'app', '--data-dir=/from/flag'], { TANDEM_DATA_DIR: '/from/env' })).toBe('/from/flag');
  });

  test('TANDEM_DATA_DIR beats the platform default', () => {
    expect(resolveDataDir(['node', 'app'], { TANDEM_DATA_DIR: '/from/env', XDG_CONFIG_HOME: '/cfg' })).toBe('/from/env');
  });

  test('without flag or env the platform default is used', () => {
    expect(resolveDataDir(['node', 'app'], { XDG_CONFIG_HOME: '/cfg' })).toBe(
      platformDataDir(process.platform, { XDG_CONFIG_HOME: '/cfg' }),
    );
  });

  test('a relative override is resolved against the working directory', () => {
    expect(resolveDataDir(['node', 'app', '--data-dir', 'rel/dir'], {})).toBe(resolve('rel/dir'));
  });

  test('flagValue reads both --name value and --name=value and ignores other flags', () => {
    expect(flagValue(['--relay', 'ws://x', '--data-dir', 'a'], 'data-dir')).toBe('a');
    expect(flagValue(['--data-dir=b'], 'data-dir')).toBe('b');
    expect(flagValue(['--data-directory=c'], 'data-dir')).toBeUndefined();
  });
});

describe('preparing the data directory', () => {
  test('creates missing folders readable only by the user (mode 0700) and leaves no probe file', () => {
    const dir = join(tempDir(), 'a', 'Tandem');
    prepareDataDir(dir);
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('a path below a regular file fails with a TandemError naming the directory', () => {
    const file = join(tempDir(), 'file');
    writeFileSync(file, '');
    const dir = join(file, 'sub');
    expect(() => prepareDataDir(dir)).toThrow(TandemError);
    expect(() => prepareDataDir(dir)).toThrow(dir);
  });
});
