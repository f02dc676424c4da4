import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { IPC } from '../../../main/ipc-channels';
import { pageUrlOf } from '../../../main/window';
import type { FakeIpcMain } from './fake-electron';

/**
 * main/app.ts run under Node with a recording stand-in for the electron module: checks the
 * lifecycle wiring (lock, ready → menu + IPC + window + engine, status events, quit rules).
 * The engine is a stand-in script forked like utilityProcess would, so no tfjs is loaded.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'ts-app-'));
const engineScript = path.join(dir, 'engine.mjs');
writeFileSync(
  engineScript,
  `process.on('message', (m) => process.send({ type: 'result', id: m.id, ok: true, value: { echo: m.method } }));
process.send({ type: 'event', name: 'engine.ready', payload: { pid: process.pid } });
`,
);

const electron = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown;
  const appListeners = new Map<string, Listener[]>();
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const windows: FakeWindow[] = [];

  class FakeWindow {
    readonly listeners = new Map<string, Listener[]>();
    readonly contentsListeners = new Map<string, Listener[]>();
    readonly sent: unknown[] = [];
    loaded?: string;
    focused = 0;
    restored = 0;
    minimized = true;
    destroyed = false;
    webContents: Record<string, unknown>;
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      const mainFrame = { url: '', processId: 1, routingId: 1 };
      this.webContents = {
        id: 1,
        mainFrame,
        send: (_channel: string, message: unknown) => this.sent.push(structuredClone(message)),
        isDestroyed: () => this.destroyed,
        on: (event: string, listener: Listener) =>
          this.contentsListeners.set(event, [...(this.contentsListeners.get(event) ?? []), listener]),
        setWindowOpenHandler: () => undefined,
        session: {
          setPermissionRequestHandler: () => undefined,
          setPermissionCheckHandler: () => undefined,
          webRequest: { onHeadersReceived: () => undefined },
        },
      };
      windows.push(this);
    }
    static getAllWindows() {
      return windows.filter((w) => !w.destroyed);
    }
    on(event: string, listener: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    }
    once(event: string, listener: Listener) {
      this.on(event, listener);
    }
    loadFile(file: string) {
      this.loaded = file;
      return Promise.resolve();
    }
    isDestroyed() {
      return this.destroyed;
    }
    isMinimized() {
      return this.minimized;
    }
    restore() {
      this.restored++;
    }
    show() {}
    focus() {
      this.focused++;
    }
  }

  return {
    appListeners,
    windows,
    forks: [] as string[],
    quit: { count: 0 },
    menus: [] as unknown[],
    ipcMain: undefined as unknown,
    ready: () => resolveReady(),
    app: {
      name: '',
      isPackaged: false,
      setName(name: string) {
        this.name = name;
      },
      paths: new Map<string, string>([['appData', '/home/ada/.config']]),
      getPath(name: string) {
        return this.paths.get(name) ?? '';
      },
      setPath(name: string, value: string) {
        this.paths.set(name, value);
      },
      requestSingleInstanceLock: () => true,
      quit() {},
      on(event: string, listener: Listener) {
        appListeners.set(event, [...(appListeners.get(event) ?? []), listener]);
      },
      whenReady: () => ready,
      isReady: () => true,
      setAboutPanelOptions: () => undefined,
      showAboutPanel: () => undefined,
    },
    FakeWindow,
  };
});

vi.mock('electron', async () => {
  const { FakeIpcMain: IpcMain, utilityProcessOf } = await import('./fake-electron');
  electron.ipcMain = new IpcMain();
  electron.app.quit = () => {
    electron.quit.count++;
  };
  return {
    app: electron.app,
    BrowserWindow: electron.FakeWindow,
    Menu: {
      buildFromTemplate: (template: unknown) => ({ template }),
      setApplicationMenu: (menu: unknown) => electron.menus.push(menu),
    },
    dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showErrorBox: () => undefined },
    ipcMain: electron.ipcMain,
    shell: { openExternal: async () => undefined },
    utilityProcess: {
      fork: (modulePath: string, args: string[]) => {
        electron.forks.push(modulePath);
        return utilityProcessOf(fork(engineScript, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] }));
      },
    },
  };
});

const fire = (event: string, ...args: unknown[]) => {
  for (const listener of electron.appListeners.get(event) ?? []) listener(...args);
};

afterAll(async () => {
  // Quit as Electron would: will-quit stops the engine, then quits.
  const preventDefault = vi.fn();
  fire('will-quit', { preventDefault });
  await vi.waitFor(() => expect(electron.quit.count).toBeGreaterThan(0));
});

describe('main/app.ts', () => {
  it('names the app and takes the single-instance lock before ready', async () => {
    await import('../../../main/app');
    expect(electron.app.name).toBe('Transfer Studio');
    expect(electron.app.getPath('userData')).toBe(path.join('/home/ada/.config', 'Transfer Studio'));
    expect(electron.windows).toHaveLength(0);
    expect([...electron.appListeners.keys()]).toEqual(
      expect.arrayContaining(['second-instance', 'window-all-closed', 'activate', 'will-quit', 'web-contents-created']),
    );
  });

  it('on ready: sets the menu, registers IPC, opens the secure window and starts the engine', async () => {
    electron.ready();
    await vi.waitFor(() => expect(electron.windows).toHaveLength(1));
    const win = electron.windows[0]!;
    expect(electron.menus).toHaveLength(1);
    expect([...(electron.ipcMain as FakeIpcMain).handlers.keys()]).toEqual([IPC.call, IPC.allowDropped]);
    expect(win.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      devTools: true,
      preload: path.join(root, 'out', 'preload', 'preload.cjs'),
    });
    expect(win.loaded).toBe(path.join(root, 'out', 'renderer', 'index.html'));
    expect(electron.forks).toEqual([path.join(root, 'out', 'engine', 'entry.js')]);
    await vi.waitFor(() =>
      expect(win.sent).toEqual([
        { type: 'event', name: 'engine.status', payload: { state: 'starting' } },
        { type: 'event', name: 'engine.status', payload: { state: 'ready', pid: expect.any(Number) } },
      ]),
    );
  });

  it('tells a freshly loaded page where the engine stands', () => {
    const win = electron.windows[0]!;
    const before = win.sent.length;
    for (const listener of win.contentsListeners.get('did-finish-load') ?? []) listener();
    expect(win.sent.slice(before)).toEqual([
      { type: 'event', name: 'engine.status', payload: { state: 'ready', pid: expect.any(Number) } },
    ]);
  });

  it('answers calls from its window’s page through the engine', async () => {
    const win = electron.windows[0]!;
    const contents = win.webContents as { mainFrame: { url: string } };
    contents.mainFrame.url = pageUrlOf(path.join(root, 'out', 'renderer', 'index.html'));
    const event = { sender: win.webContents, senderFrame: contents.mainFrame };
    const ipcMain = electron.ipcMain as FakeIpcMain;
    expect(
      await ipcMain.invoke(IPC.call, event as never, { type: 'call', id: '1', method: 'host.roots', params: {} }),
    ).toEqual({
      ok: true,
      value: { roots: [], nativeDialog: true },
    });
    expect(
      await ipcMain.invoke(IPC.call, event as never, { type: 'call', id: '2', method: 'info', params: {} }),
    ).toEqual({
      ok: true,
      value: { echo: 'info' },
    });
  });

  it('focuses the existing window when a second instance starts', () => {
    const win = electron.windows[0]!;
    fire('second-instance');
    expect(win.restored).toBe(1);
    expect(win.focused).toBe(1);
    expect(electron.windows).toHaveLength(1);
  });

  it('quits when the last window closes, except on macOS', () => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    try {
      Object.defineProperty(process, 'platform', { value: 'darwin' });
      fire('window-all-closed');
      expect(electron.quit.count).toBe(0);
      Object.defineProperty(process, 'platform', { value: 'linux' });
      fire('window-all-closed');
      expect(electron.quit.count).toBe(1);
      electron.quit.count = 0;
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
  });
});
