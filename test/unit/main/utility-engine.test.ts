import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { ForkOptions, UtilityProcess } from 'electron';
import { describe, expect, it } from 'vitest';
import { EngineLink } from '../../../main/engine-link/engine-link';
import { utilityProcessEngine } from '../../../main/utility-engine';
import { utilityProcessOf } from './fake-electron';

/**
 * A stand-in engine script: says ready like main/engine/entry.ts, echoes calls' params, writes to
 * stderr, and exits with a code on `system.crash`.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'ts-utility-'));
const script = path.join(dir, 'engine.mjs');
writeFileSync(
  script,
  `process.on('message', (m) => {
  if (m.method === 'system.crash') { console.error('engine: giving up'); process.exit(m.params.exitCode); }
  process.send({ type: 'progress', id: m.id, progress: { step: 1 } });
  process.send({ type: 'result', id: m.id, ok: true, value: { echo: m.params } });
});
process.send({ type: 'event', name: 'engine.ready', payload: { pid: process.pid } });
`,
);

/** Electron's utilityProcess module, recording its fork options, over real child processes. */
function fakeUtilityProcess() {
  const forks: { modulePath: string; args: string[] | undefined; options: ForkOptions | undefined }[] = [];
  return {
    forks,
    fork(modulePath: string, args?: string[], options?: ForkOptions): UtilityProcess {
      forks.push({ modulePath, args, options });
      return utilityProcessOf(
        fork(modulePath, args ?? [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced' }),
      );
    },
  };
}

describe('utilityProcessEngine', () => {
  it('forks the entry as the named, piped Transfer Studio Engine service', async () => {
    const utility = fakeUtilityProcess();
    const host = new EngineLink(utilityProcessEngine(utility, script, { log: new PassThrough().resume() }));
    try {
      const progress: unknown[] = [];
      expect(
        await host.call('system.count', { steps: 1, delayMs: 0 }, { onProgress: (p) => progress.push(p) }),
      ).toEqual({
        echo: { steps: 1, delayMs: 0 },
      });
      expect(progress).toEqual([{ step: 1 }]);
      expect(utility.forks).toEqual([
        { modulePath: script, args: [], options: { serviceName: 'Transfer Studio Engine', stdio: 'pipe' } },
      ]);
      expect(host.pid).toBeGreaterThan(0);
    } finally {
      await host.stop();
    }
  });

  it('reports an exit as ENGINE_CRASHED with the exit code and the last stderr lines, then restarts', async () => {
    const utility = fakeUtilityProcess();
    const statuses: string[] = [];
    const host = new EngineLink(utilityProcessEngine(utility, script, { log: new PassThrough().resume() }), (s) =>
      statuses.push(s.state),
    );
    try {
      await expect(host.call('system.crash', { exitCode: 3 })).rejects.toMatchObject({
        code: 'ENGINE_CRASHED',
        message: expect.stringContaining('exit code 3'),
        details: { code: 3, stderr: 'engine: giving up' },
      });
      expect(statuses).toEqual(['starting', 'ready', 'crashed']);
      expect(await host.call('info', {})).toEqual({ echo: {} });
      expect(utility.forks).toHaveLength(2);
    } finally {
      await host.stop();
    }
  });

  it('passes extra environment on top of the current one', () => {
    const utility = fakeUtilityProcess();
    const spawn = utilityProcessEngine(utility, script, { env: { TS_EXTRA: '1' }, log: new PassThrough().resume() });
    const engine = spawn();
    engine.kill();
    expect(utility.forks[0]?.options?.env).toMatchObject({ TS_EXTRA: '1', PATH: process.env.PATH });
  });
});
