import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import type { EngineStatusEvent } from '../../../shared/contract/events';
import { StudioError } from '../../../shared/errors';
import { EngineLink } from '../../../main/engine-link/engine-link';
import { forkEngine } from '../../../main/engine-link/fork';

const statuses: EngineStatusEvent[] = [];
const engineLog = new PassThrough();
let host: EngineLink;

beforeAll(() => {
  engineLog.resume();
  host = new EngineLink(forkEngine({ log: engineLog }), (status) => statuses.push(status));
});
afterAll(async () => {
  await host.stop();
});

describe('engine process (real child_process.fork of the built engine)', () => {
  it('answers info with version, backend and the backends it tried', async () => {
    const info = await host.call('info', {});
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(['tensorflow', 'wasm', 'cpu']).toContain(info.backend.name);
    expect(info.backend.tried.at(-1)).toMatchObject({ ok: true });
    for (const attempt of info.backend.tried.slice(0, -1)) expect(attempt.reason).toBeTruthy();
    expect(info.onnxruntime.available).toBe(true);
    expect(info.cpus).toBeGreaterThan(0);
    expect(info.pid).toBe(host.pid);
    expect(statuses.map((s) => s.state)).toEqual(['starting', 'ready']);
  });

  it('streams throttled progress from a job and returns its result', async () => {
    const progress: { step: number; steps: number }[] = [];
    const result = await host.call('system.count', { steps: 40, delayMs: 5 }, { onProgress: (p) => progress.push(p) });
    expect(result).toEqual({ counted: 40 });
    // 40 steps in ~200+ ms at ≤ 8 messages/s: far fewer messages than steps, the last one complete.
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.length).toBeLessThan(40);
    expect(progress.at(-1)).toEqual({ step: 40, steps: 40 });
  });

  it('cancels a job through an AbortSignal', async () => {
    const controller = new AbortController();
    const progress: unknown[] = [];
    const running = host.call(
      'system.count',
      { steps: 10_000, delayMs: 10 },
      {
        signal: controller.signal,
        onProgress: (p) => {
          progress.push(p);
          controller.abort();
        },
      },
    );
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(progress.length).toBeGreaterThan(0);
    // The engine is still healthy.
    await expect(host.call('system.count', { steps: 1, delayMs: 0 })).resolves.toEqual({ counted: 1 });
  });

  it('rejects the engine’s own schema errors (an unchecked forward) as INVALID_REQUEST', async () => {
    await expect(host.forward('system.count', { steps: 'x', delayMs: 0 })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('steps'),
    });
  });

  it('rejects pending calls with ENGINE_CRASHED when the engine is killed mid-job, then restarts on the next call', async () => {
    const before = host.pid;
    const running = host.call(
      'system.count',
      { steps: 10_000, delayMs: 10 },
      {
        onProgress: () => process.kill(before!, 'SIGKILL'),
      },
    );
    const error = (await running.catch((e: unknown) => e)) as StudioError;
    expect(error).toBeInstanceOf(StudioError);
    expect(error.code).toBe('ENGINE_CRASHED');
    expect(error.message).toMatch(/stopped unexpectedly \(signal SIGKILL\)/);
    expect(statuses.at(-1)).toMatchObject({ state: 'crashed' });

    const info = await host.call('info', {});
    expect(info.pid).not.toBe(before);
    expect(statuses.at(-1)).toMatchObject({ state: 'ready', pid: info.pid });
  });

  it('survives a deliberate crash call and an explicit restart', async () => {
    await host.call('info', {});
    const crashed = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (statuses.at(-1)?.state === 'crashed') {
          clearInterval(check);
          resolve();
        }
      }, 10);
    });
    await host.call('system.crash', { exitCode: 3 });
    await crashed;
    expect(statuses.at(-1)?.message).toMatch(/exit code 3/);
    const pid = await host.restart();
    expect(pid).toBeGreaterThan(0);
    await expect(host.call('system.count', { steps: 2, delayMs: 0 })).resolves.toEqual({ counted: 2 });
  });
});
