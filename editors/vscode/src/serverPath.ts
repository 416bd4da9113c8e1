// Which `dockside` binary the extension starts. Kept free of the `vscode` module so that it
// is unit-tested with plain Node (src/test/serverPath.test.ts).
import * as fs from 'fs';
import * as path from 'path';

export interface ServerLocation {
  command: string;
  /** Where the command came from, for the output channel. */
  origin: 'setting' | 'bundled' | 'path';
}

/** The binary's file name on `platform` (a `process.platform` value). */
export function binaryName(platform: string): string {
  return platform === 'win32' ? 'dockside.exe' : 'dockside';
}

/**
 * Release builds of the .vsix carry the server for their platform in
 * `bin/<platform>-<arch>/`; development builds carry none.
 */
export function bundledBinary(extensionDir: string, platform: string, arch: string): string {
  return path.join(extensionDir, 'bin', `${platform}-${arch}`, binaryName(platform));
}

/**
 * The `dockside.server.path` setting (with `~` and `${workspaceFolder}` expanded), else the
 * bundled binary when it exists, else `dockside` looked up on PATH by the OS.
 */
export function resolveServer(options: {
  configuredPath: string | undefined;
  extensionDir: string;
  platform: string;
  arch: string;
  homeDir: string;
  workspaceFolder: string | undefined;
  exists?: (file: string) => boolean;
}): ServerLocation {
  const exists = options.exists ?? ((file: string) => fs.existsSync(file));
  const configured = options.configuredPath?.trim();
  if (configured) {
    let command = configured;
    if (command === '~' || command.startsWith('~/') || command.startsWith('~\\')) {
      command = path.join(options.homeDir, command.slice(1));
    }
    if (options.workspaceFolder !== undefined) {
      command = command.split('${workspaceFolder}').join(options.workspaceFolder);
    }
    return { command, origin: 'setting' };
  }
  const bundled = bundledBinary(options.extensionDir, options.platform, options.arch);
  if (exists(bundled)) {
    return { command: bundled, origin: 'bundled' };
  }
  return { command: binaryName(options.platform), origin: 'path' };
}
