/// <reference types="svelte" />
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../../../shared/errors';
import { EngineState } from '../../../../../renderer/src/lib/state/engine.svelte';
import { FakeClient, infoFor, settle } from '../../fake-client';

describe('EngineState', () => {
  it('loads info on start and reports the backend once ready', async () => {
    const client = new FakeClient().handle('info', () => infoFor(41));
    const engine = new EngineState(client);
    expect(engine.backendName).toBeUndefined();
    const off = engine.start();
    expect(client.listenerCount('engine.status')).toBe(1);
    await settle();
    expect(engine.ready).toBe(true);
    expect(engine.backendName).toBe('wasm');
    expect(engine.status).toEqual({ state: 'ready', pid: 41 });
    expect(engine.skipped.map((attempt) => attempt.name)).toEqual(['tensorflow']);
    off();
    expect(client.listenerCount('engine.status')).toBe(0);
  });

  it('shows a crash from the status event and restarts into a fresh engine', async () => {
    let pid = 41;
    const client = new FakeClient()
      .handle('info', () => infoFor(pid))
      .handle('host.restartEngine', () => ({ pid: ++pid }));
    const engine = new EngineState(client);
    engine.start();
    await settle();

    client.emit('engine.status', {
      state: 'crashed',
      message: 'The engine stopped unexpectedly (exit code 3).',
      pid: 41,
    });
    expect(engine.crashed).toBe(true);
    expect(engine.ready).toBe(false);
    expect(engine.backendName).toBeUndefined();
    expect(engine.status.message).toContain('exit code 3');

    const restarting = engine.restart();
    expect(engine.restarting).toBe(true);
    await restarting;
    expect(engine.restarting).toBe(false);
    expect(client.count('host.restartEngine')).toBe(1);
    expect(engine.crashed).toBe(false);
    expect(engine.info?.pid).toBe(42);
    expect(engine.backendName).toBe('wasm');
  });

  it('treats an ENGINE_CRASHED answer to info as a crash, other failures as an error', async () => {
    const crashed = new FakeClient().handle('info', () => {
      throw new StudioError('ENGINE_CRASHED', 'The engine stopped unexpectedly (signal SIGKILL).');
    });
    const a = new EngineState(crashed);
    a.start();
    await settle();
    expect(a.crashed).toBe(true);
    expect(a.status.message).toContain('SIGKILL');
    expect(a.error).toBeUndefined();

    const broken = new FakeClient().handle('info', () => {
      throw new StudioError('ENGINE_UNAVAILABLE', 'Lost the connection to Transfer Studio.');
    });
    const b = new EngineState(broken);
    b.start();
    await settle();
    expect(b.crashed).toBe(false);
    expect(b.error).toBe('Lost the connection to Transfer Studio.');
  });

  it('reloads info when a ready event names a new engine process', async () => {
    let pid = 7;
    const client = new FakeClient().handle('info', () => infoFor(pid));
    const engine = new EngineState(client);
    engine.start();
    await settle();
    expect(client.count('info')).toBe(1);

    client.emit('engine.status', { state: 'ready', pid: 7 });
    await settle();
    expect(client.count('info')).toBe(1);

    pid = 8;
    client.emit('engine.status', { state: 'starting' });
    expect(engine.ready).toBe(false);
    client.emit('engine.status', { state: 'ready', pid: 8 });
    await settle();
    expect(client.count('info')).toBe(2);
    expect(engine.info?.pid).toBe(8);
    expect(engine.ready).toBe(true);
  });

  it('keeps the newest info when two loads overlap', async () => {
    const answers: ((value: ReturnType<typeof infoFor>) => void)[] = [];
    const client = new FakeClient().handle('info', () => new Promise((resolve) => answers.push(resolve)));
    const engine = new EngineState(client);
    const first = engine.refresh();
    const second = engine.refresh();
    answers[1]!(infoFor(2, 'cpu'));
    answers[0]!(infoFor(1, 'tensorflow'));
    await Promise.all([first, second]);
    expect(engine.info?.pid).toBe(2);
    expect(engine.backendName).toBe('cpu');
  });
});
