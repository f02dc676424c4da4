import { mkdtempSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../shared/contract/wire';
import { EngineLink } from '../../../main/engine-link/engine-link';
import { forkEngine } from '../../../main/engine-link/fork';
import { createHostHandlers } from '../../../main/gateway/host-handlers';
import { AllowedRoots } from '../../../main/gateway/roots';
import { Gateway } from '../../../main/gateway/gateway';

const log = new PassThrough().resume();
const engine = new EngineLink(forkEngine({ log }));
const base = mkdtempSync(path.join(os.tmpdir(), 'ts-gateway-'));
mkdirSync(path.join(base, 'allowed', 'cats'), { recursive: true });
mkdirSync(path.join(base, 'private'));
const roots = new AllowedRoots([path.join(base, 'allowed')]);
const gateway = new Gateway(engine, roots, createHostHandlers({ engine, roots }));

afterAll(() => engine.stop());

/** Sends one message on a fresh connection; resolves with every reply once it is answered. */
async function send(raw: unknown): Promise<ServerMessage[]> {
  const replies: ServerMessage[] = [];
  await gateway.connect((m) => replies.push(m)).receive(raw);
  return replies;
}

describe('Gateway', () => {
  it('answers host calls itself and forwards engine calls', async () => {
    const roots = await send({ type: 'call', id: '1', method: 'host.roots', params: {} });
    expect(roots).toEqual([
      {
        type: 'result',
        id: '1',
        ok: true,
        value: { roots: [{ path: expect.stringContaining('allowed'), label: 'allowed' }], nativeDialog: false },
      },
    ]);
    const counted = await send({ type: 'call', id: '2', method: 'system.count', params: { steps: 2, delayMs: 0 } });
    expect(counted.at(-1)).toEqual({ type: 'result', id: '2', ok: true, value: { counted: 2 } });
    expect(counted.some((m) => m.type === 'progress' && m.id === '2')).toBe(true);
  });

  it('refuses paths outside the allowed roots before anything runs', async () => {
    const [reply] = await send({
      type: 'call',
      id: '3',
      method: 'host.listDir',
      params: { path: path.join(base, 'private') },
    });
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'PATH_NOT_ALLOWED', message: expect.stringContaining('private') },
    });
    const [inside] = await send({
      type: 'call',
      id: '4',
      method: 'host.listDir',
      params: { path: path.join(base, 'allowed') },
    });
    expect(inside).toMatchObject({ ok: true, value: { entries: [{ name: 'cats', isDirectory: true }] } });
  });

  it('validates payloads from unknown', async () => {
    expect(await send({ type: 'call', id: '5', method: 'system.count', params: { steps: 'lots' } })).toEqual([
      expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'INVALID_REQUEST' }) }),
    ]);
    expect(await send({ type: 'call', id: '6', method: '__proto__', params: {} })).toEqual([
      expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'UNKNOWN_METHOD' }) }),
    ]);
    expect(await send({ type: 'call', id: 7 })).toEqual([]);
    expect(await send('{"type":"call"}')).toEqual([]);
  });

  it('says native dialogs are desktop-only in browser mode', async () => {
    const [reply] = await send({ type: 'call', id: '8', method: 'host.chooseFolders', params: {} });
    expect(reply).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
  });

  it('cancels a job of one connection in the engine, not the same id on another connection', async () => {
    const tab1: ServerMessage[] = [];
    const tab2: ServerMessage[] = [];
    const one = gateway.connect((m) => tab1.push(m));
    const two = gateway.connect((m) => tab2.push(m));
    const job = { type: 'call', id: '9', method: 'system.count', params: { steps: 40, delayMs: 5 } };
    const done = Promise.all([one.receive(job), two.receive(job)]);
    setTimeout(() => void one.receive({ type: 'cancel', id: '9' }), 100);
    await done;
    expect(tab1.at(-1)).toMatchObject({ id: '9', ok: false, error: { code: 'CANCELLED' } });
    expect(tab2.at(-1)).toEqual({ type: 'result', id: '9', ok: true, value: { counted: 40 } });
  });

  it('cancels every job of a connection that closes', async () => {
    const replies: ServerMessage[] = [];
    const tab = gateway.connect((m) => replies.push(m));
    const done = tab.receive({ type: 'call', id: 'a', method: 'system.count', params: { steps: 5000, delayMs: 5 } });
    setTimeout(() => tab.close(), 100);
    await done;
    expect(replies.at(-1)).toMatchObject({ id: 'a', ok: false, error: { code: 'CANCELLED' } });
    expect(engine.pid).toBeGreaterThan(0);
  });
});
