import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineLink } from '../../../main/engine-link/engine-link';
import { createHostHandlers } from '../../../main/gateway/host-handlers';
import { AllowedRoots } from '../../../main/gateway/roots';
import { Gateway } from '../../../main/gateway/gateway';
import { registerIpc, senderRejection, sendEvent } from '../../../main/ipc';
import { IPC } from '../../../main/ipc-channels';
import { pageUrlOf } from '../../../main/window';
import { FakeIpcMain, FakeSender, fakeFrame, fakeWindow, inProcessEngine } from './fake-electron';

const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'ts-ipc-')));
const pagePath = path.join(base, 'app', 'out', 'renderer', 'index.html');
const pageUrl = pageUrlOf(pagePath);
mkdirSync(path.join(base, 'photos', 'cats'), { recursive: true });
writeFileSync(path.join(base, 'photos', 'cats', 'a.png'), 'not really a png');
mkdirSync(path.join(base, 'private'));

const spawn = inProcessEngine();
const engine = new EngineLink(spawn);
afterAll(() => engine.stop());

function setup() {
  const ipcMain = new FakeIpcMain();
  const roots = new AllowedRoots();
  const gateway = new Gateway(engine, roots, createHostHandlers({ engine, roots, chooseFolders: async () => [] }));
  const serve = vi.spyOn(gateway, 'serve');
  const sender = new FakeSender(7, pageUrl);
  const win = fakeWindow(sender);
  const registration = registerIpc(ipcMain, gateway, () => win, { roots, pageUrl });
  const call = (params: unknown, event = sender.event()) => ipcMain.invoke(IPC.call, event, params);
  return { ipcMain, roots, gateway, serve, sender, win, registration, call };
}

let t: ReturnType<typeof setup>;
beforeEach(() => {
  t = setup();
});

describe('registerIpc sender check', () => {
  it('registers exactly the three studio channels', () => {
    expect([...t.ipcMain.handlers.keys()].sort()).toEqual([IPC.allowDropped, IPC.call].sort());
    expect([...t.ipcMain.listeners.keys()]).toEqual([IPC.cancel]);
  });

  const forged: [string, () => ReturnType<FakeSender['event']>, RegExp][] = [
    ['another webContents', () => new FakeSender(8, pageUrl).event(), /window only/],
    ['a subframe of our window', () => t.sender.event(fakeFrame(pageUrl, 2)), /main frame/],
    ['a frame in another renderer process', () => t.sender.event(fakeFrame(pageUrl, 1, 99)), /main frame/],
    ['a destroyed frame (senderFrame null)', () => t.sender.event(null), /main frame/],
    [
      'our main frame after it navigated to a foreign page',
      () => {
        t.sender.mainFrame = fakeFrame('https://evil.example/');
        return t.sender.event();
      },
      /not accepted from "https:\/\/evil\.example\/"/,
    ],
    [
      'our window showing another local file',
      () => {
        t.sender.mainFrame = fakeFrame(pageUrlOf(path.join(base, 'private', 'index.html')));
        return t.sender.event();
      },
      /not accepted from "file:/,
    ],
  ];

  for (const [who, makeEvent, why] of forged) {
    it(`rejects calls from ${who} without reaching the gateway`, async () => {
      const result = await t.call({ type: 'call', id: '1', method: 'host.roots', params: {} }, makeEvent());
      expect(result).toEqual({ ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringMatching(why) } });
      expect(t.serve).not.toHaveBeenCalled();
    });
  }

  it('accepts only the main frame of our window showing our page', () => {
    expect(senderRejection(t.sender.event(), t.win, pageUrl)).toBeUndefined();
    expect(senderRejection(t.sender.event(fakeFrame(`${pageUrl}#/train`)), t.win, pageUrl)).toBeUndefined();
    expect(senderRejection(t.sender.event(), undefined, pageUrl)).toMatch(/no window/);
  });

  it('rejects everything once the window is gone', async () => {
    t.win.destroyed = true;
    const result = await t.call({ type: 'call', id: '1', method: 'host.roots', params: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(t.serve).not.toHaveBeenCalled();
  });

  it('ignores cancel and drops from foreign senders', async () => {
    const stranger = new FakeSender(9, pageUrl);
    t.ipcMain.emit(IPC.cancel, stranger.event(), 'j1');
    await expect(t.ipcMain.invoke(IPC.allowDropped, stranger.event(), [base])).rejects.toThrow(/window only/);
    expect(t.serve).not.toHaveBeenCalled();
    expect(t.roots.list()).toEqual([]);
  });
});

describe('registerIpc calls', () => {
  it('answers INVALID_REQUEST naming the field when the message is malformed', async () => {
    const result = await t.call({ type: 'call', id: '1', params: {} });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: expect.stringContaining('method:') },
    });
    expect(await t.call('not an object')).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(t.serve).not.toHaveBeenCalled();
  });

  it('answers INVALID_REQUEST naming the field when the request breaks the schema', async () => {
    const result = await t.call({ type: 'call', id: '1', method: 'system.count', params: { steps: 0, delayMs: 0 } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: expect.stringContaining('steps') },
    });
  });

  it('runs a job in the engine, streams its progress to the sender and resolves with the result', async () => {
    const result = await t.call({
      type: 'call',
      id: 'job-1',
      method: 'system.count',
      params: { steps: 3, delayMs: 1 },
    });
    expect(result).toEqual({ ok: true, value: { counted: 3 } });
    const progress = t.sender.sent.filter((m) => m.channel === IPC.message).map((m) => m.args[0]);
    expect(progress).toEqual([
      { type: 'progress', id: 'job-1', progress: { step: 1, steps: 3 } },
      { type: 'progress', id: 'job-1', progress: { step: 2, steps: 3 } },
      { type: 'progress', id: 'job-1', progress: { step: 3, steps: 3 } },
    ]);
    const context = expect.objectContaining({ signal: expect.anything() });
    expect(t.serve).toHaveBeenCalledWith('system.count', { steps: 3, delayMs: 1 }, context);
  });

  it('answers host calls and checks user paths against the roots', async () => {
    expect(await t.call({ type: 'call', id: '1', method: 'host.roots', params: {} })).toEqual({
      ok: true,
      value: { roots: [], nativeDialog: true },
    });
    const denied = await t.call({
      type: 'call',
      id: '2',
      method: 'host.listDir',
      params: { path: path.join(base, 'private') },
    });
    expect(denied).toMatchObject({
      ok: false,
      error: { code: 'PATH_NOT_ALLOWED', message: expect.stringContaining('private') },
    });
  });

  it('cancels a running job of that window', async () => {
    const running = t.call({ type: 'call', id: 'long', method: 'system.count', params: { steps: 10_000, delayMs: 5 } });
    await vi.waitFor(() => expect(t.sender.sent.length).toBeGreaterThan(0));
    t.ipcMain.emit(IPC.cancel, t.sender.event(), 'long');
    expect(await running).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
  });

  it('cancels the jobs of a closed window', async () => {
    const running = t.call({
      type: 'call',
      id: 'orphan',
      method: 'system.count',
      params: { steps: 10_000, delayMs: 5 },
    });
    await vi.waitFor(() => expect(t.sender.sent.length).toBeGreaterThan(0));
    t.registration.cancelClient(t.sender.id);
    expect(await running).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
  });

  it('sends host events to the window, and not to a destroyed one', () => {
    sendEvent(t.win, 'engine.status', { state: 'ready', pid: 12 });
    expect(t.sender.sent).toEqual([
      { channel: IPC.message, args: [{ type: 'event', name: 'engine.status', payload: { state: 'ready', pid: 12 } }] },
    ]);
    t.sender.destroyed = true;
    sendEvent(t.win, 'engine.status', { state: 'stopped' });
    expect(t.sender.sent).toHaveLength(1);
  });
});

describe('registerIpc dropped paths', () => {
  it('allows existing dropped folders and files, and nothing else', async () => {
    const folder = path.join(base, 'photos');
    const file = path.join(base, 'photos', 'cats', 'a.png');
    const allowed = await t.ipcMain.invoke(IPC.allowDropped, t.sender.event(), [
      folder,
      file,
      path.join(base, 'missing'),
      'relative/path',
    ]);
    expect(allowed).toEqual([folder, file]);
    expect(t.roots.list().map((r) => r.path)).toEqual([folder, file]);
    expect(t.roots.rootOf(path.join(base, 'private'))).toBeUndefined();
  });

  it('lets the renderer list a dropped folder afterwards', async () => {
    const folder = path.join(base, 'photos');
    await t.ipcMain.invoke(IPC.allowDropped, t.sender.event(), [folder]);
    const listed = await t.call({ type: 'call', id: '1', method: 'host.listDir', params: { path: folder } });
    expect(listed).toMatchObject({ ok: true, value: { entries: [{ name: 'cats', isDirectory: true }] } });
  });

  it('refuses a payload that is not a list of strings, naming the problem', async () => {
    await expect(t.ipcMain.invoke(IPC.allowDropped, t.sender.event(), [42])).rejects.toThrow(/Dropped paths.*0:/);
    await expect(t.ipcMain.invoke(IPC.allowDropped, t.sender.event(), base)).rejects.toThrow(/Dropped paths/);
    expect(t.roots.list()).toEqual([]);
  });
});
