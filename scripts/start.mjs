#!/usr/bin/env node
// `npm start`: runs the desktop app with the Electron binary when it is installed; otherwise
// (download skipped or failed, e.g. offline) says so in one line and starts browser mode instead,
// so the app always runs. `npm start -- <args>` passes the args on.
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const appRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Path of the Electron executable from the `electron` package, or undefined when it is missing.
 * Requiring `electron` from Node returns the executable's path, and throws when its download
 * was skipped (no path.txt).
 * @param {() => unknown} resolveElectron returns what `require('electron')` returns. Default: that.
 * @param {(file: string) => boolean} isExecutable Default: an existing file we may execute.
 * @returns {string | undefined}
 */
export function electronBinary(resolveElectron = defaultResolveElectron, isExecutable = defaultIsExecutable) {
  let resolved;
  try {
    resolved = resolveElectron();
  } catch {
    return undefined;
  }
  return typeof resolved === 'string' && resolved !== '' && isExecutable(resolved) ? resolved : undefined;
}

/**
 * What `npm start` runs.
 * @param {object} options
 * @param {string | undefined} options.electron the Electron executable, if installed.
 * @param {string[]} options.args extra arguments after `npm start --`.
 * @param {string} options.cwd where the user ran npm (INIT_CWD). Browser mode may read it.
 * @param {string} options.home the user's home folder: the readable folder when cwd is the filesystem root.
 * @param {string} [options.root] the app folder. Default: this repository.
 * @param {string} [options.node] the Node executable. Default: process.execPath.
 * @returns {{mode: 'electron' | 'browser', command: string, args: string[], notice?: string}}
 */
export function decideLaunch({ electron, args, cwd, home, root = appRoot, node = process.execPath }) {
  if (electron) return { mode: 'electron', command: electron, args: [root, ...args] };
  const readable = path.parse(cwd).root === cwd ? home : cwd;
  const hasRoot = args.some((arg) => arg === '--root' || arg.startsWith('--root='));
  return {
    mode: 'browser',
    command: node,
    args: [path.join(root, 'bin', 'transfer-studio.js'), 'serve', ...(hasRoot ? [] : ['--root', readable]), ...args],
    notice:
      'transfer-studio: the Electron binary is missing (its download was skipped or failed; `npx electron` would need internet), so starting browser mode instead.',
  };
}

function defaultResolveElectron() {
  return createRequire(import.meta.url)('electron');
}

function defaultIsExecutable(file) {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function main() {
  const launch = decideLaunch({
    electron: electronBinary(),
    args: process.argv.slice(2),
    cwd: process.env.INIT_CWD || process.cwd(),
    home: os.homedir(),
  });
  if (launch.notice) console.error(launch.notice);
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(launch.command, launch.args, { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error(`transfer-studio: could not start ${launch.command}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
