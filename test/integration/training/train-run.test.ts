/**
 * Real runs on Fashion-MNIST through the bundled MobileNetV2 on wasm, in-process:
 * phase 1 learns (validation accuracy far above chance), re-runs reuse the feature cache and
 * give identical metrics, phase 2 fine-tunes with the base's BN statistics untouched, cancel
 * keeps the best weights and the run resumes, and no run (finished, cancelled, failed) leaks tensors.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { fashionMnistFolders } from '../../fixtures/fashion-mnist';
import { resumeRun, trainRun } from '../../../main/engine/training/run';
import { readRunState } from '../../../main/engine/run-folder/run-file';
import { loadModel } from '../../../main/engine/training/checkpoint';
import { readMovingStatistics } from '../../../main/engine/training/frozen-batchnorm';
import { backendReady } from '../../../main/engine/runtime';
import { loadBase } from '../../../main/engine/models/bases/registry';
import { DEFAULT_BASE_ID } from '../../../main/engine/models/bases/bundled';
import type { TrainProgress, TrainRequest, TrainResponse } from '../../../shared/contract/training';

/** Floor for 10-class Fashion-MNIST, 100 images a class, linear-ish head on frozen pooled features (chance: 10%). */
const PHASE1_FLOOR = 0.6;

const quiet = { signal: new AbortController().signal, progress: () => undefined };

describe('training runs on real images (MobileNetV2, wasm)', () => {
  let tmp = '';
  let fashion10 = '';
  let fashion3 = '';
  let baseline = -1;
  let first: TrainResponse;

  beforeAll(async () => {
    process.env.TRANSFER_STUDIO_BACKEND = 'wasm';
    expect((await backendReady()).name).toBe('wasm');
    tmp = await mkdtemp(path.join(os.tmpdir(), 'train-run-'));
    fashion10 = await fashionMnistFolders({ perClass: 100 });
    fashion3 = await fashionMnistFolders({ perClass: 24, classes: ['Trouser', 'Bag', 'Sneaker'], offset: 200 });
  });

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  const request = (name: string, dirs: string[], config: TrainRequest['config'] | object = {}): TrainRequest =>
    ({ dirs, runDir: path.join(tmp, name), cacheDir: path.join(tmp, 'cache'), config }) as TrainRequest;

  it(`phase 1 on 100 Fashion-MNIST images per class reaches validation accuracy ≥ ${PHASE1_FLOOR}`, async () => {
    const progress: TrainProgress[] = [];
    first = await trainRun(request('p1', [fashion10], { epochs: 20, seed: 3 }), {
      ...quiet,
      progress: (p) => progress.push(p),
    });
    console.log(
      `phase 1 Fashion-MNIST 10×100: valAccuracy ${first.valAccuracy.toFixed(4)} (best epoch ${first.bestEpoch}, ${first.history.length} epochs, ${first.trainImages}/${first.valImages} train/val, ${first.durationMs} ms)`,
    );
    expect(first.classes).toHaveLength(10);
    expect(first.cache).toEqual({ hits: 0, misses: 1000 });
    expect(first.valAccuracy).toBeGreaterThanOrEqual(PHASE1_FLOOR);
    expect(first.history[0]!.phase).toBe('head');
    expect(new Set(progress.map((p) => p.phase))).toEqual(new Set(['scan', 'extract', 'head', 'save']));
    const state = await readRunState(first.runDir);
    expect(state.status).toBe('completed');
    expect(existsSync(path.join(first.runDir, 'model', 'model.json'))).toBe(true);
    // tfjs-layers caches a few scalar constants on first use: the baseline is taken after one run.
    baseline = tf.memory().numTensors;
  });

  it('a re-run with the same data, base and seed reuses every cached feature and gives the same metrics', async () => {
    const again = await trainRun(request('p1-again', [fashion10], { epochs: 20, seed: 3 }), quiet);
    expect(again.cache).toEqual({ hits: 1000, misses: 0 });
    expect(again.history).toEqual(first.history);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('phase 2: cancel keeps the best weights, resume finishes, base BN statistics stay bit-identical', async () => {
    const base = await loadBase(DEFAULT_BASE_ID);
    const before = readMovingStatistics(base.model);
    base.model.dispose();
    const controller = new AbortController();
    const config = { epochs: 4, seed: 1, batchSize: 8, fineTune: { top: 2, epochs: 3 } };
    let cancelAt: { epoch: number; batch: number } | undefined;
    const error = await trainRun(request('ft', [fashion3], config), {
      signal: controller.signal,
      progress: (p) => {
        // Cancel in the middle of the second fine-tuning epoch (the first one is checkpointed).
        if (p.phase === 'fine-tune' && p.epoch === 5 && (p.batch ?? 0) >= 2 && !cancelAt) {
          cancelAt = { epoch: p.epoch, batch: p.batch! };
          controller.abort();
        }
      },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CANCELLED' });
    expect(cancelAt).toBeDefined();
    const cancelled = await readRunState(path.join(tmp, 'ft'));
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.checkpoint).toMatchObject({ phase: 'fine-tune', epoch: 4 });
    expect(cancelled.history.map((h) => h.phase)).toEqual(['head', 'head', 'head', 'head', 'fine-tune']);
    expect(tf.memory().numTensors).toBe(baseline);

    const resumed = await resumeRun(path.join(tmp, 'ft'), quiet);
    expect(resumed.resumed).toBe(true);
    expect(resumed.history.map((h) => h.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(resumed.history.slice(0, 5)).toEqual(cancelled.history);
    expect(resumed.valAccuracy).toBeGreaterThan(0.9); // trousers, bags and sneakers
    // T is fitted after fine-tuning on the validation images through the whole fine-tuned classifier.
    expect((await readRunState(resumed.runDir)).calibration).toMatchObject({
      status: 'applied',
      images: resumed.valImages,
    });
    expect(tf.memory().numTensors).toBe(baseline);

    // The final classifier carries the base's BN layers: their moving statistics never moved.
    const final = await loadModel(path.join(resumed.runDir, 'model'));
    const after = readMovingStatistics(final);
    expect(after.size).toBe(before.size);
    for (const [name, stats] of before) {
      expect(Buffer.from(after.get(name)!.mean.buffer).equals(Buffer.from(stats.mean.buffer)), name).toBe(true);
      expect(Buffer.from(after.get(name)!.variance.buffer).equals(Buffer.from(stats.variance.buffer)), name).toBe(true);
    }
    final.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('a failed run reports why, is marked failed, and leaks nothing', async () => {
    const error = await trainRun(
      { ...request('bad', [fashion3], { epochs: 2 }), head: 'dense:many' } as TrainRequest,
      quiet,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_INPUT' });
    expect(String((error as Error).message)).toMatch(/dense:many/);
    expect((await readRunState(path.join(tmp, 'bad'))).status).toBe('failed');
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
