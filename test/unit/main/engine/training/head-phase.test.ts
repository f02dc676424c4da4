/**
 * Phase 1 on synthetic cached features: learning, seeded determinism, early stopping with
 * best-weights restore, per-epoch checkpoints (atomic folders + run.json) and restore, cancel
 * after the current batch, class weights / label smoothing, and no tensor leaks.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../../../../../main/engine/training/wasm-setup';
import { fitHead, type FeatureSet } from '../../../../../main/engine/training/head-phase';
import { bestWeightsFor } from '../../../../../main/engine/training/phase-runner';
import { classWeightsFor, resolveConfig, smoothedOneHot } from '../../../../../main/engine/training/config';
import { buildSeededHead } from '../../../../../main/engine/training/head';
import { BackupAndRestoreCallback } from '../../../../../main/engine/training/callbacks/backup-and-restore';
import { ProgressCallback } from '../../../../../main/engine/training/callbacks/progress';
import { readRunState, writeRunState, type RunState } from '../../../../../main/engine/run-folder/run-file';
import { loadWeightsFor, restoreCheckpoint } from '../../../../../main/engine/training/checkpoint';
import { createRandom } from '../../../../../main/engine/training/seed';
import { TrainRequest, type TrainProgress } from '../../../../../shared/contract/training';
import { RUN_FILE_VERSION } from '../../../../../shared/contract/run-file';

const DIM = 32;
const CLASSES = 3;

/** Gaussian blobs: class c has mean +4 on feature c; `noise` controls overlap. */
function blobs(n: number, seed: number, noise = 1): FeatureSet {
  const random = createRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
  const features = new Float32Array(n * DIM);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % CLASSES;
    for (let d = 0; d < DIM; d++) features[i * DIM + d] = gauss() * noise + (d === labels[i] ? 4 : 0);
  }
  return { features, labels, dim: DIM };
}

function newState(): RunState {
  return {
    version: RUN_FILE_VERSION,
    status: 'running',
    request: TrainRequest.parse({ dirs: ['unused'] }),
    base: 'test',
    backend: 'wasm',
    classes: ['a', 'b', 'c'],
    history: [],
    headDone: false,
    durationMs: 0,
    startedAt: new Date().toISOString(),
    updatedAt: '',
  };
}

async function train(options: {
  config?: Parameters<typeof resolveConfig>[0];
  signal?: AbortSignal;
  runDir?: string;
  noise?: number;
  onBatch?: (p: TrainProgress) => void;
}) {
  const config = resolveConfig({ epochs: 8, batchSize: 16, seed: 5, learningRate: 0.01, ...options.config });
  const head = buildSeededHead(undefined, [DIM], CLASSES, config.seed);
  const best = bestWeightsFor(config);
  const state = newState();
  const progress: TrainProgress[] = [];
  const callbacks: tf.Callback[] = [
    new ProgressCallback({
      phase: 'head',
      epochs: config.epochs,
      batchesPerEpoch: 10,
      intervalMs: 0,
      report: (p) => {
        progress.push(p);
        options.onBatch?.(p);
      },
    }),
  ];
  if (options.runDir)
    callbacks.unshift(new BackupAndRestoreCallback({ runDir: options.runDir, state, phase: 'head', best }));
  try {
    const result = await fitHead({
      head,
      train: blobs(150, 1, options.noise),
      val: blobs(60, 2, options.noise),
      numClasses: CLASSES,
      config,
      best,
      signal: options.signal ?? new AbortController().signal,
      callbacks,
    });
    return { head, result, progress, state, best };
  } finally {
    best.dispose();
  }
}

function disposeHead(head: tf.LayersModel): void {
  head.optimizer?.dispose();
  head.dispose();
}

describe('fitHead on cached features', () => {
  let baseline = 0;
  let tmp = '';

  beforeAll(async () => {
    await useWasmBackend();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'fit-head-'));
    // Warm-up: tfjs-layers caches a few scalar constants on first use; count from after that.
    const { head } = await train({ config: { epochs: 1 } });
    disposeHead(head);
    baseline = tf.memory().numTensors;
  });

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('learns separable features, reports progress, and leaks nothing', async () => {
    const { head, result, progress } = await train({});
    expect(result.bestValAccuracy).toBeGreaterThan(0.9);
    expect(result.cancelled).toBe(false);
    const last = progress.at(-1)!;
    expect(last.phase).toBe('head');
    expect(last.valAccuracy).toBeGreaterThan(0.9);
    expect(last.numTensors).toBeGreaterThan(0);
    expect(last.rssBytes).toBeGreaterThan(0);
    expect(progress.some((p) => p.imagesPerSecond! > 0 && p.etaSeconds !== undefined)).toBe(true);
    disposeHead(head);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('same seed ⇒ same metrics; another seed ⇒ different ones', async () => {
    const a = await train({ config: { epochs: 3 } });
    const b = await train({ config: { epochs: 3 } });
    const c = await train({ config: { epochs: 3, seed: 6 } });
    const losses = (r: typeof a) => r.progress.filter((p) => p.valLoss !== undefined).map((p) => p.valLoss);
    expect(losses(a)).toEqual(losses(b));
    expect(losses(a)).not.toEqual(losses(c));
    [a, b, c].forEach((r) => disposeHead(r.head));
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('early stopping restores the best epoch and stops after `patience` epochs without improvement', async () => {
    // Heavily overlapping classes + a large learning rate: val_loss soon gets worse.
    const { head, result, state } = await train({
      noise: 4,
      config: { epochs: 40, learningRate: 0.05, earlyStopping: { patience: 2 } },
      runDir: path.join(tmp, 'es'),
    });
    expect(result.stoppedEarly).toBe(true);
    expect(state.history.length).toBe(result.bestEpoch + 1 + 2);
    const bestLoss = Math.min(...state.history.map((h) => h.valLoss));
    expect(result.bestValLoss).toBe(bestLoss);
    // The weights in the head now are the best epoch's: evaluating gives that epoch's val_loss.
    const val = blobs(60, 2, 4);
    const [loss] = tf.tidy(() => {
      const out = head.evaluate(
        tf.tensor2d(val.features, [60, DIM]),
        tf.tensor2d(smoothedOneHot(val.labels, CLASSES, 0), [60, CLASSES]),
      ) as tf.Scalar[];
      return out.map((t) => t.dataSync()[0]!);
    });
    expect(loss).toBeCloseTo(bestLoss, 4);
    disposeHead(head);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('writes a checkpoint per epoch (model + optimizer) and run.json; a fresh head restores it exactly', async () => {
    const runDir = path.join(tmp, 'ckpt');
    const { head, state } = await train({ config: { epochs: 3 }, runDir });
    const saved = await readRunState(runDir);
    expect(saved.history.map((h) => h.epoch)).toEqual([0, 1, 2]);
    expect(saved.checkpoint).toMatchObject({ folder: 'checkpoint-2', epoch: 2, phase: 'head' });
    const entries = (await readdir(runDir)).sort();
    expect(entries).toContain('checkpoint-2');
    expect(entries).toContain(state.best!.folder);
    expect(entries.filter((e) => e.startsWith('checkpoint-'))).toEqual(['checkpoint-2']); // older ones pruned
    // A fresh head (different seed) gets the checkpoint's weights and Adam state back.
    const fresh = buildSeededHead(undefined, [DIM], CLASSES, 999);
    fresh.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    expect(await restoreCheckpoint(fresh, path.join(runDir, 'checkpoint-2'))).toBe(true);
    const weights = await loadWeightsFor(head, path.join(runDir, 'checkpoint-2'));
    fresh.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(weights[i]!.dataSync())));
    const optimizerWeights = await fresh.optimizer.getWeights();
    expect(optimizerWeights.length).toBeGreaterThan(1); // iterations + moments
    expect(optimizerWeights[0]!.name).toBe('iter');
    expect(optimizerWeights[0]!.tensor.dataSync()[0]).toBe(30); // 3 epochs × 10 batches
    optimizerWeights[0]!.tensor.dispose();
    tf.dispose(weights);
    disposeHead(fresh);
    disposeHead(head);
    await writeRunState(runDir, saved); // round-trips
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('cancel stops after the current batch, keeps the best weights, and leaks nothing', async () => {
    const controller = new AbortController();
    let batchesSeen = 0;
    let abortedAt = -1;
    const { head, result, progress } = await train({
      config: { epochs: 20 },
      signal: controller.signal,
      onBatch: (p) => {
        batchesSeen++;
        if (p.epoch === 2 && p.batch === 3 && abortedAt < 0) {
          abortedAt = batchesSeen;
          controller.abort();
        }
      },
    });
    expect(result.cancelled).toBe(true);
    // Stopped right after the batch during which cancel arrived.
    expect(batchesSeen).toBe(abortedAt);
    expect(progress.at(-1)).toMatchObject({ epoch: 2, batch: 3 });
    expect(result.bestEpoch).toBe(1); // the last finished epoch's weights (val_loss still falling)
    disposeHead(head);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('class weights: balanced from counts, explicit, or none', () => {
    expect(classWeightsFor('auto', [10, 10])).toBeUndefined();
    expect(classWeightsFor('auto', [30, 10])).toEqual({ 0: 40 / 60, 1: 2 });
    expect(classWeightsFor('none', [30, 10])).toBeUndefined();
    expect(classWeightsFor([1, 3], [30, 10])).toEqual({ 0: 1, 1: 3 });
    expect(() => classWeightsFor([1], [30, 10])).toThrow(/Expected 2 class weights/);
    expect(Array.from(smoothedOneHot([1], 4, 0.2))).toEqual([0.05, 0.85, 0.05, 0.05].map((v) => Math.fround(v)));
    expect(() => resolveConfig({ epochs: 0 })).toThrow(/epochs/);
    expect(resolveConfig({}).fineTune).toMatchObject({ top: 0, learningRate: 1e-5, optimizer: 'adam' });
  });
});
