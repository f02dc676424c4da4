import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  configuredBackend,
  explainLoadFailure,
  selectBackend,
  type BackendCandidate,
} from '../../../../main/engine/backend';
import { StudioError } from '../../../../shared/errors';

const fail = (message: string, code?: string) => () => {
  const error = new Error(message) as Error & { code?: string };
  if (code) error.code = code;
  return Promise.reject(error);
};

/** tfjs-node-gpu failing the CUDA ways, tfjs-node missing, then wasm (stub) and the real cpu backend. */
function candidates(gpuError: () => Promise<void>, loaded: string[]): BackendCandidate[] {
  return [
    { name: '@tensorflow/tfjs-node-gpu', backend: 'tensorflow', load: gpuError },
    {
      name: '@tensorflow/tfjs-node',
      backend: 'tensorflow',
      load: fail(
        "Cannot find package '@tensorflow/tfjs-node' imported from /app/out/engine/entry.js",
        'ERR_MODULE_NOT_FOUND',
      ),
    },
    { name: 'wasm', backend: 'wasm', load: async () => void loaded.push('wasm') },
    { name: 'cpu', backend: 'cpu', load: async () => void (await tf.setBackend('cpu')) },
  ];
}

describe('selectBackend', () => {
  it('falls back past a GPU build without CUDA 11.2 and says why in plain words', async () => {
    const loaded: string[] = [];
    const report = await selectBackend(
      '',
      candidates(fail('libcudart.so.11.0: cannot open shared object file: No such file or directory'), loaded),
    );
    expect(report.name).toBe('wasm');
    expect(report.forced).toBe(false);
    expect(loaded).toEqual(['wasm']);
    expect(report.tried.map((t) => [t.name, t.ok])).toEqual([
      ['@tensorflow/tfjs-node-gpu', false],
      ['@tensorflow/tfjs-node', false],
      ['wasm', true],
    ]);
    expect(report.tried[0]!.reason).toBe(
      'CUDA 11.2 runtime (libcudart.so.11.0) not found: @tensorflow/tfjs-node-gpu 4.x needs CUDA 11.2 and cuDNN 8.1.',
    );
    expect(report.tried[1]!.reason).toMatch(/^@tensorflow\/tfjs-node is not installed/);
  });

  it('explains a missing cuDNN and other native libraries', async () => {
    const report = await selectBackend('auto', candidates(fail('libcudnn.so.8: cannot open shared object file'), []));
    expect(report.tried[0]!.reason).toBe(
      'cuDNN 8.1 (libcudnn.so.8) not found: @tensorflow/tfjs-node-gpu 4.x needs CUDA 11.2 and cuDNN 8.1.',
    );
    expect(explainLoadFailure('x', new Error('libtensorflow.so.2: undefined symbol: foo'))).toMatch(
      /^x could not load the native library libtensorflow\.so\.2/,
    );
    expect(explainLoadFailure('x', 'weird')).toBe('x failed to load: weird');
  });

  it('uses only the forced backend', async () => {
    const loaded: string[] = [];
    const report = await selectBackend('cpu', candidates(fail('never called'), loaded));
    expect(report).toEqual({ name: 'cpu', forced: true, tried: [{ name: 'cpu', ok: true }] });
    expect(tf.getBackend()).toBe('cpu');
    expect(loaded).toEqual([]);
  });

  it('runs on cpu and says so when the forced backend fails', async () => {
    const report = await selectBackend('tensorflow', candidates(fail('libcudart.so.11.0: cannot open'), []));
    expect(report.name).toBe('cpu');
    expect(report.forced).toBe(true);
    expect(report.tried.at(-1)).toEqual({
      name: 'cpu',
      ok: true,
      reason: 'Forced backend "tensorflow" failed to load.',
    });
  });

  it('rejects an unknown value, quoting it', async () => {
    const error = await selectBackend('gpu', candidates(fail('x'), [])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).message).toBe(
      'TRANSFER_STUDIO_BACKEND (or the "backend" setting) must be one of tensorflow, wasm, cpu or auto; received "gpu".',
    );
  });
});

describe('configuredBackend', () => {
  it('prefers the environment variable, then settings.json', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ts-settings-'));
    const file = path.join(dir, 'settings.json');
    expect(configuredBackend({}, file)).toBeUndefined();
    writeFileSync(file, JSON.stringify({ backend: 'wasm' }));
    expect(configuredBackend({}, file)).toBe('wasm');
    expect(configuredBackend({ TRANSFER_STUDIO_BACKEND: 'cpu' }, file)).toBe('cpu');
    writeFileSync(file, 'not json');
    expect(configuredBackend({}, file)).toBeUndefined();
  });
});
