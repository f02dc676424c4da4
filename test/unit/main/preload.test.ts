import { mkdtempSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { methods } from '../../../shared/contract';
import { EngineLink } from '../../../main/engine-link/engine-link';
import { createHostHandlers } from '../../../main/gateway/host-handlers';
import { AllowedRoots } from '../../../main/gateway/roots';
import { Gateway } from '../../../main/gateway/gateway';
import { registerIpc } from '../../../main/ipc';
import { IPC } from '../../../main/ipc-channels';
import { buildBridge } from '../../../main/preload-bridge';
import { pageUrlOf } from '../../../main/window';
import { FakeIpcMain, FakeIpcRenderer, FakeSender, fakeWindow, inProcessEngine } from './fake-electron';

const exposed = vi.hoisted(() => ({ calls: [] as [string, unknown][] }));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.calls.push([key, api]) },
  ipcRenderer: { invoke: vi.fn(), send: vi.fn(), on: vi.fn() },
  webUtils: { getPathForFile: vi.fn() },
}));

const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'ts-preload-')));
const pageUrl = pageUrlOf(path.join(base, 'out', 'renderer', 'index.html'));
const engine = new EngineLink(inProcessEngine());
afterAll(() => engine.stop());

/** A bridge wired through fake IPC to the real registerIpc, Gateway and (in-process) engine. */
function connected(getPathForFile: (file: File) => string = () => '') {
  const ipcMain = new FakeIpcMain();
  const roots = new AllowedRoots();
  const router = new Gateway(engine, roots, createHostHandlers({ engine, roots }));
  const sender = new FakeSender(3, pageUrl);
  const win = fakeWindow(sender);
  registerIpc(ipcMain, router, () => win, { roots, pageUrl });
  const ipcRenderer = new FakeIpcRenderer(ipcMain, sender);
  const bridge = buildBridge(ipcRenderer, { getPathForFile });
  return { bridge, ipcRenderer, sender, roots, win };
}

describe('preload.ts', () => {
  it('exposes window.studio, a bridge with named methods and no ipcRenderer', async () => {
    await import('../../../main/preload');
    expect(exposed.calls).toHaveLength(1);
    const [key, api] = exposed.calls[0]!;
    expect(key).toBe('studio');
    const names = Object.keys(api as object);
    expect(names).toEqual(expect.arrayContaining([...methods, 'cancel', 'on', 'allowDroppedFiles']));
    expect(names).toHaveLength(methods.length + 3);
    const { ipcRenderer } = await import('electron');
    for (const value of Object.values(api as object)) {
      expect(typeof value).toBe('function');
      expect(value).not.toBe(ipcRenderer);
    }
    for (const leaked of ['ipcRenderer', 'invoke', 'send', 'sendSync']) expect(names).not.toContain(leaked);
  });
});

describe('buildBridge', () => {
  it('has one function per contract method, plus cancel, on and allowDroppedFiles', () => {
    const { bridge } = connected();
    expect(methods.length).toBeGreaterThan(5);
    for (const method of methods) expect(typeof bridge[method], method).toBe('function');
    expect(typeof bridge.cancel).toBe('function');
    expect(typeof bridge.on).toBe('function');
    expect(typeof bridge.allowDroppedFiles).toBe('function');
  });

  it('passes results and errors through as {ok, value | error}', async () => {
    const { bridge } = connected();
    expect(await bridge['host.roots']({})).toEqual({ ok: true, value: { roots: [], nativeDialog: false } });
    expect(await bridge['system.count']({ steps: 0, delayMs: 0 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: expect.stringContaining('steps') },
    });
    expect(await bridge['host.listDir']({ path: base })).toMatchObject({
      ok: false,
      error: { code: 'PATH_NOT_ALLOWED' },
    });
  });

  it('routes progress to the onProgress of the matching job only', async () => {
    const { bridge } = connected();
    const a: unknown[] = [];
    const b: unknown[] = [];
    const [ra, rb] = await Promise.all([
      bridge['system.count']({ steps: 2, delayMs: 1 }, { jobId: 'a', onProgress: (p) => a.push(p) }),
      bridge['system.count']({ steps: 3, delayMs: 1 }, { jobId: 'b', onProgress: (p) => b.push(p) }),
    ]);
    expect(ra).toEqual({ ok: true, value: { counted: 2 } });
    expect(rb).toEqual({ ok: true, value: { counted: 3 } });
    expect(a).toEqual([
      { step: 1, steps: 2 },
      { step: 2, steps: 2 },
    ]);
    expect(b).toEqual([
      { step: 1, steps: 3 },
      { step: 2, steps: 3 },
      { step: 3, steps: 3 },
    ]);
  });

  it('cancels a job by its id', async () => {
    const { bridge, ipcRenderer } = connected();
    let seen = 0;
    const result = bridge['system.count']({ steps: 10_000, delayMs: 5 }, { jobId: 'long', onProgress: () => seen++ });
    await vi.waitFor(() => expect(seen).toBeGreaterThan(0));
    bridge.cancel('long');
    expect(await result).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(ipcRenderer.sent).toEqual([{ channel: IPC.cancel, args: ['long'] }]);
  });

  it('delivers events to subscribers until they unsubscribe', () => {
    const { bridge, win } = connected();
    const statuses: unknown[] = [];
    const off = bridge.on('engine.status', (status) => statuses.push(status));
    const progress = vi.fn();
    bridge.on('job.progress', progress);
    const send = (state: 'ready' | 'stopped') =>
      win.webContents.send(IPC.message, { type: 'event', name: 'engine.status', payload: { state } });
    send('ready');
    off();
    send('stopped');
    expect(statuses).toEqual([{ state: 'ready' }]);
    expect(progress).not.toHaveBeenCalled();
  });

  it('ignores malformed messages from main', () => {
    const { bridge, win } = connected();
    const listener = vi.fn();
    bridge.on('engine.status', listener);
    win.webContents.send(IPC.message, { type: 'event' });
    win.webContents.send(IPC.message, 'engine.status');
    expect(listener).not.toHaveBeenCalled();
  });

  it('listens on one channel only, however many calls are made', async () => {
    const { bridge, ipcRenderer } = connected();
    await bridge['host.roots']({});
    await bridge['host.roots']({});
    expect(ipcRenderer.listenerCount(IPC.message)).toBe(1);
  });

  it('turns a rejected invoke into an error result', async () => {
    const invoke = vi.fn(async () => {
      throw new Error("Error invoking remote method 'studio:call': boom");
    });
    const bridge = buildBridge({ invoke, send: vi.fn(), on: vi.fn() }, { getPathForFile: () => '' });
    expect(await bridge['host.roots']({})).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: "Error invoking remote method 'studio:call': boom" },
    });
    expect(invoke).toHaveBeenCalledWith(IPC.call, {
      type: 'call',
      id: expect.any(String),
      method: 'host.roots',
      params: {},
    });
  });

  it('allows dropped files by their OS paths, leaving out files without one', async () => {
    const onDisk = { name: 'photos' };
    const madeInJs = { name: 'blob' };
    const { bridge, roots } = connected((file) => (file === (onDisk as unknown as File) ? base : ''));
    expect(await bridge.allowDroppedFiles([onDisk, madeInJs])).toEqual([base]);
    expect(roots.list().map((r) => r.path)).toEqual([base]);
    expect(await bridge.allowDroppedFiles([madeInJs])).toEqual([]);
  });
});
