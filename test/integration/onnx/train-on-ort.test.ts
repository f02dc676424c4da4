/**
 * A real phase-1 run with features from ONNX Runtime: the progress names the engine, the history is
 * identical on a second run with an empty feature cache (deterministic for a given engine), and the same
 * run with tfjs features reaches the same validation accuracy within noise.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fashionMnistFolders } from '../../fixtures/fashion-mnist';
import { trainRun } from '../../../main/engine/training/run';
import { backendReady } from '../../../main/engine/runtime';
import type { TrainProgress, TrainRequest, TrainResponse } from '../../../shared/contract/training';

let tmp = '';
let data = '';

beforeAll(async () => {
  process.env.TRANSFER_STUDIO_BACKEND = 'wasm';
  expect((await backendReady()).name).toBe('wasm');
  tmp = await mkdtemp(path.join(os.tmpdir(), 'train-on-ort-'));
  data = await fashionMnistFolders({ perClass: 20, classes: ['Trouser', 'Bag', 'Sneaker'], offset: 300 });
});

afterAll(async () => {
  delete process.env.TRANSFER_STUDIO_EXTRACTOR;
  await rm(tmp, { recursive: true, force: true });
});

async function run(name: string, engine: 'auto' | 'tfjs'): Promise<{ response: TrainResponse; engines: string[] }> {
  process.env.TRANSFER_STUDIO_EXTRACTOR = engine;
  const engines: string[] = [];
  const progress = (p: TrainProgress) => p.extractor && engines.push(p.extractor.engine);
  const request = {
    dirs: [data],
    runDir: path.join(tmp, name),
    cacheDir: path.join(tmp, `cache-${name}`),
    config: { epochs: 6, seed: 5, batchSize: 16 },
  };
  const response = await trainRun(request as TrainRequest, { signal: new AbortController().signal, progress });
  return { response, engines };
}

describe('training on ORT features', () => {
  it('is deterministic and matches tfjs features in accuracy', async () => {
    const a = await run('ort-a', 'auto');
    const b = await run('ort-b', 'auto');
    expect(a.engines[0]).toBe('onnxruntime');
    expect(b.response.history).toEqual(a.response.history);
    const t = await run('tfjs', 'tfjs');
    expect(t.engines[0]).toBe('tfjs');
    console.log(`val accuracy: ORT ${a.response.valAccuracy}, tfjs ${t.response.valAccuracy}`);
    expect(Math.abs(a.response.valAccuracy - t.response.valAccuracy)).toBeLessThanOrEqual(0.1);
  });
});
