import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { resolveServer } from '../serverPath';

const base = {
  extensionDir: '/ext',
  platform: 'linux',
  arch: 'x64',
  homeDir: '/home/dev',
  workspaceFolder: '/work/app',
};

test('the setting wins, with ~ and ${workspaceFolder} expanded', () => {
  assert.deepEqual(
    resolveServer({ ...base, configuredPath: '~/bin/dockside', exists: () => true }),
    { command: path.join('/home/dev', 'bin/dockside'), origin: 'setting' },
  );
  assert.deepEqual(
    resolveServer({ ...base, configuredPath: '${workspaceFolder}/tools/dockside', exists: () => true }),
    { command: '/work/app/tools/dockside', origin: 'setting' },
  );
});

test('without a setting, the bundled binary for this platform', () => {
  const seen: string[] = [];
  const location = resolveServer({
    ...base,
    configuredPath: '  ',
    exists: (file) => {
      seen.push(file);
      return true;
    },
  });
  assert.deepEqual(location, { command: path.join('/ext', 'bin', 'linux-x64', 'dockside'), origin: 'bundled' });
  assert.deepEqual(seen, [path.join('/ext', 'bin', 'linux-x64', 'dockside')]);
});

test('without either, dockside on PATH (dockside.exe on Windows)', () => {
  assert.deepEqual(resolveServer({ ...base, configuredPath: undefined, exists: () => false }), {
    command: 'dockside',
    origin: 'path',
  });
  assert.deepEqual(
    resolveServer({ ...base, platform: 'win32', configuredPath: '', exists: () => false }),
    { command: 'dockside.exe', origin: 'path' },
  );
});
