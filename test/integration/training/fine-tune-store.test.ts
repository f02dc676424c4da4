/**
 * A real run's fine-tune phase trains on the stored prefix activations (ONNX Runtime computes them, the engine's
 * default): the one-off 'prefix' step is reported once, before the first fine-tune epoch, and later epochs only read;
 * a second run on the same split with another learning rate, and a run cancelled mid-epoch then resumed, reuse the
 * stored files (no 'prefix' step); with augmentation, the first augmented epoch computes its variant once. Tensors
 * return to their baseline.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fashionMnistFolders } from '../../fixtures/fashion-mnist';
import { resumeRun, trainRun } from '../../../main/engine/training/run';
import { backendReady } from '../../../main/engine/runtime';
import type { TrainProgress, TrainRequest } from '../../../shared/contract/training';

let tmp = '';
let data = '';

/** Progress as "phase" entries in order (consecutive repeats merged), and the 'prefix' reports themselves. */
function recorder(cancelAt?: { epoch: number; batch: number }) {
  const controller = new AbortController();
  const phases: string[] = [];
  const prefix: TrainProgress[] = [];
  return {
    phases,
    prefix,
    context: {
      signal: controller.signal,
      progress: (p: TrainProgress) => {
        const label = p.phase === 'fine-tune' ? `fine-tune:${p.epoch}` : p.phase;
        if (phases.at(-1) !== label) phases.push(label);
        if (p.phase === 'prefix') prefix.push(p);
        if (cancelAt && p.phase === 'fine-tune' && p.epoch === cancelAt.epoch && (p.batch ?? 0) >= cancelAt.batch) {
          controller.abort();
        }
      },
    },
  };
}

const request = (name: string, config: object, cache = 'cache'): TrainRequest =>
  ({ dirs: [data], runDir: path.join(tmp, name), cacheDir: path.join(tmp, cache), config }) as TrainRequest;

const config = (learningRate: number, augment = 0) => ({
  epochs: 1,
  seed: 21,
  batchSize: 8,
  augment,
  fineTune: { top: 2, epochs: 3, learningRate },
});

beforeAll(async () => {
  process.env.TRANSFER_STUDIO_BACKEND = 'wasm';
  delete process.env.TRANSFER_STUDIO_EXTRACTOR;
  expect((await backendReady()).name).toBe('wasm');
  tmp = await mkdtemp(path.join(os.tmpdir(), 'fine-tune-store-'));
  data = await fashionMnistFolders({ perClass: 12, classes: ['Trouser', 'Bag', 'Sneaker'], offset: 700 });
}, 60_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('fine-tuning on stored prefix activations', () => {
  it('computes them once per run step, then reads them every epoch; another run and a resume reuse them', async () => {
    const before = tf.memory().numTensors;
    const first = recorder();
    const response = await trainRun(request('first', config(1e-4)), first.context);
    expect(response.history.map((h) => h.phase)).toEqual(['head', 'fine-tune', 'fine-tune', 'fine-tune']);
    // The one-off step sits between the head and the first fine-tune epoch, and nowhere else.
    const at = first.phases.indexOf('prefix');
    expect(at).toBeGreaterThan(first.phases.indexOf('head'));
    expect(first.phases.slice(at + 1, at + 2)).toEqual(['fine-tune:1']);
    expect(first.phases.filter((p) => p === 'prefix')).toHaveLength(1);
    const images = response.trainImages + response.valImages;
    expect(first.prefix.at(-1)).toMatchObject({ done: images, total: images });
    expect(first.prefix.find((p) => p.extractor)?.extractor?.engine).toBe('onnxruntime');
    const files = await readdir(path.join(tmp, 'cache', 'activations'));
    expect(files.filter((f) => f.endsWith('.act'))).toHaveLength(2); // training, validation
    expect(tf.memory().numTensors).toBe(before);

    // Another learning rate on the same split: nothing to compute.
    const second = recorder();
    const other = await trainRun(request('second', config(3e-4)), second.context);
    expect(second.prefix).toEqual([]);
    expect(other.history.filter((h) => h.phase === 'fine-tune')).toHaveLength(3);
    expect(other.history.at(-1)!.loss).not.toBe(response.history.at(-1)!.loss);

    // Cancelled inside fine-tune epoch 2, resumed: the same files, and the same history as the uninterrupted run.
    const cancelled = recorder({ epoch: 2, batch: 1 });
    await expect(trainRun(request('third', config(1e-4)), cancelled.context)).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    const resumed = recorder();
    const done = await resumeRun(path.join(tmp, 'third'), resumed.context);
    expect(resumed.prefix).toEqual([]);
    expect(done.history).toEqual(response.history);
    expect(tf.memory().numTensors).toBe(before);
  }, 600_000);

  it('cancelled during the prepare step: nothing half-written is left, and the resumed run computes it', async () => {
    const controller = new AbortController();
    const context = {
      signal: controller.signal,
      progress: (p: TrainProgress) => {
        if (p.phase === 'prefix' && p.done > 0) controller.abort();
      },
    };
    await expect(trainRun(request('cancel-prefix', config(1e-4), 'cache-cancel'), context)).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    const folder = path.join(tmp, 'cache-cancel', 'activations');
    expect((await readdir(folder)).filter((f) => !f.endsWith('.act'))).toEqual([]); // no temp files
    const resumed = recorder();
    const done = await resumeRun(path.join(tmp, 'cancel-prefix'), resumed.context);
    expect(done.history.filter((h) => h.phase === 'fine-tune')).toHaveLength(3);
    expect(resumed.prefix.at(-1)).toMatchObject({ done: done.trainImages + done.valImages });
  }, 600_000);

  it('with augment 1, the first augmented epoch computes its variant once; the next plain epoch only reads', async () => {
    const run = recorder();
    const response = await trainRun(request('augmented', config(1e-4, 1), 'cache-augmented'), run.context);
    expect(response.history.filter((h) => h.phase === 'fine-tune')).toHaveLength(3);
    // Plain (train + validation) before epoch 1; variant 1 of the training images at the start of epoch 2 (the
    // fine-tune epochs are 1–3: variants 0, 1, 0).
    const steps = run.phases.filter((p) => p === 'prefix' || p.startsWith('fine-tune'));
    expect(steps).toEqual(['prefix', 'fine-tune:1', 'prefix', 'fine-tune:2', 'fine-tune:3']);
    expect(run.prefix.at(-1)).toMatchObject({ done: response.trainImages, total: response.trainImages });
  }, 600_000);
});
