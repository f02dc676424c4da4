import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

interface Launch {
  mode: 'electron' | 'browser';
  command: string;
  args: string[];
  notice?: string;
}
interface StartModule {
  electronBinary(resolve?: () => unknown, isExecutable?: (file: string) => boolean): string | undefined;
  decideLaunch(options: {
    electron: string | undefined;
    args: string[];
    cwd: string;
    home: string;
    root?: string;
    node?: string;
  }): Launch;
}

const root = path.resolve(import.meta.dirname, '../../..');
const startScript = path.join(root, 'scripts', 'start.mjs');
const start: StartModule = await import(pathToFileURL(startScript).href);

describe('electronBinary', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ts-start-'));
  const fakeElectron = path.join(dir, 'electron');
  writeFileSync(fakeElectron, '#!/bin/sh\n');
  chmodSync(fakeElectron, 0o755);

  it('is undefined when requiring electron throws (download skipped)', () => {
    const resolve = () => {
      throw new Error(
        'Electron failed to install correctly, please delete node_modules/electron and try installing again',
      );
    };
    expect(start.electronBinary(resolve)).toBeUndefined();
  });

  it('is undefined when the path it names does not exist or is not a string', () => {
    expect(start.electronBinary(() => path.join(dir, 'dist', 'electron'))).toBeUndefined();
    expect(start.electronBinary(() => ({}))).toBeUndefined();
    expect(start.electronBinary(() => '')).toBeUndefined();
    expect(start.electronBinary(() => dir)).toBeUndefined();
  });

  it('is the executable when it is installed', () => {
    expect(start.electronBinary(() => fakeElectron)).toBe(fakeElectron);
  });

  it('matches this machine, where the binary was not downloaded', () => {
    let installed: unknown;
    try {
      installed = createRequire(startScript)('electron');
    } catch {
      installed = undefined;
    }
    expect(start.electronBinary() !== undefined).toBe(typeof installed === 'string');
  });
});

describe('decideLaunch', () => {
  const home = path.join(path.sep, 'home', 'ada');
  const projects = path.join(home, 'projects');

  it('runs Electron on the app folder when the binary is there', () => {
    expect(
      start.decideLaunch({ electron: '/opt/electron', args: ['--inspect'], cwd: projects, home, root: '/app' }),
    ).toEqual({
      mode: 'electron',
      command: '/opt/electron',
      args: ['/app', '--inspect'],
    });
  });

  it('falls back to browser mode, allowing the folder npm ran in, with one line saying why', () => {
    const launch = start.decideLaunch({
      electron: undefined,
      args: ['--port', '0'],
      cwd: projects,
      home,
      root: '/app',
      node: '/usr/bin/node',
    });
    expect(launch.mode).toBe('browser');
    expect(launch.command).toBe('/usr/bin/node');
    expect(launch.args).toEqual([
      path.join('/app', 'bin', 'transfer-studio.js'),
      'serve',
      '--root',
      projects,
      '--port',
      '0',
    ]);
    expect(launch.notice?.split('\n')).toHaveLength(1);
    expect(launch.notice).toMatch(/Electron binary is missing.*browser mode/);
  });

  it('allows the home folder instead of the filesystem root', () => {
    const launch = start.decideLaunch({ electron: undefined, args: [], cwd: path.parse(process.cwd()).root, home });
    expect(launch.args.slice(1)).toEqual(['serve', '--root', home]);
  });

  it('uses the user’s own --root instead of the default', () => {
    for (const args of [['--root', '/data'], ['--root=/data']]) {
      const launch = start.decideLaunch({ electron: undefined, args, cwd: projects, home });
      expect(launch.args.slice(1)).toEqual(['serve', ...args]);
    }
  });
});

// With the binary installed, start.mjs would open the desktop app instead.
describe.runIf(start.electronBinary() === undefined)('npm start without the Electron binary', () => {
  it('serves browser mode (the main job still runs)', async () => {
    const child = spawn(process.execPath, [startScript, '--port', '0'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(stdout);
        if (match) resolve(match[0]);
      });
      child.once('exit', (code) => reject(new Error(`start.mjs exited (${code}): ${stderr}`)));
    });
    try {
      expect(stderr).toMatch(/Electron binary is missing/);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="app">');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
