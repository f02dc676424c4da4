/**
 * BackupAndRestoreCallback on the head phase: a run cancelled mid-epoch and resumed by a fresh
 * head (other initial weights, fresh optimizer) from run.json restores weights, optimizer state,
 * best weights, the early-stopping record and the initial epoch, and ends exactly where the run
 * never interrupted ends: same history, same best epoch, same weights. No tensor leaks.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../../../../../main/engine/training/wasm-setup';
import { BackupAndRestoreCallback } from '../../../../../main/engine/training/callbacks/backup-and-restore';
import { resolveConfig } from '../../../../../main/engine/training/config';
import { buildSeededHead } from '../../../../../main/engine/training/head';
import { fitHead, type FeatureSet } from '../../../../../main/engine/training/head-phase';
import { bestWeightsFor } from '../../../../../main/engine/training/phase-runner';
import { readRunState, type RunState } from '../../../../../main/engine/run-folder/run-file';
import { RUN_FILE_VERSION } from '../../../../../shared/contract/run-file';
import { TrainRequest } from '../../../../../shared/contract/training';
import { createRandom } from '../../../../../main/engine/training/seed';

const DIM = 16;
const CLASSES = 3;

function blobs(n: number, seed: number): FeatureSet {
  const random = createRandom(seed);
  const labels = Int32Array.from({ length: n }, (_, i) => i % CLASSES);
  const features = Float32Array.from(
    { length: n * DIM },
    (_, k) => (random() - 0.5) * 4 + (k % DIM === labels[Math.floor(k / DIM)] ? 1 : 0),
  );
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

/** Stops training (as a cancel does) after batch `batch` of epoch `epoch`. */
class CancelAt extends tf.Callback {
  private epoch = -1;
  constructor(
    private readonly controller: AbortController,
    private readonly at: { epoch: number; batch: number },
  ) {
    super();
  }
  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
  }
  override async onBatchEnd(batch: number): Promise<void> {
    if (this.epoch === this.at.epoch && batch === this.at.batch) this.controller.abort();
  }
}

describe('BackupAndRestoreCallback', () => {
  let tmp = '';
  let baseline = 0;
  const config = resolveConfig({
    epochs: 6,
    batchSize: 16,
    seed: 3,
    learningRate: 0.02,
    labelSmoothing: 0.1,
    earlyStopping: { patience: 0 },
  });
  const train = blobs(120, 1);
  const val = blobs(45, 2);

  async function session(
    runDir: string,
    state: RunState,
    headSeed: number,
    cancelAt?: { epoch: number; batch: number },
  ) {
    const head = buildSeededHead(undefined, [DIM], CLASSES, headSeed);
    const best = bestWeightsFor(config);
    const controller = new AbortController();
    const callbacks: tf.Callback[] = [new BackupAndRestoreCallback({ runDir, state, phase: 'head', best })];
    if (cancelAt) callbacks.push(new CancelAt(controller, cancelAt));
    try {
      const result = await fitHead({
        head,
        train,
        val,
        numClasses: CLASSES,
        config,
        best,
        callbacks,
        signal: controller.signal,
      });
      return { result, weights: head.getWeights().map((w) => Array.from(w.dataSync())) };
    } finally {
      best.dispose();
      head.optimizer?.dispose();
      head.dispose();
    }
  }

  beforeAll(async () => {
    await useWasmBackend();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'backup-and-restore-'));
    await session(path.join(tmp, 'warm-up'), newState(), config.seed);
    baseline = tf.memory().numTensors;
  });

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('resumes a cancelled run where it stopped and ends exactly as the uninterrupted run', async () => {
    const whole = newState();
    const uninterrupted = await session(path.join(tmp, 'whole'), whole, config.seed);
    expect(whole.history.map((h) => h.epoch)).toEqual([0, 1, 2, 3, 4, 5]);

    const runDir = path.join(tmp, 'resumed');
    const cancelled = await session(runDir, newState(), config.seed, { epoch: 3, batch: 2 });
    expect(cancelled.result.cancelled).toBe(true);
    const saved = await readRunState(runDir);
    expect(saved.checkpoint).toMatchObject({ phase: 'head', epoch: 2 });
    expect(saved.history.map((h) => h.epoch)).toEqual([0, 1, 2]);

    // A head with other initial weights: everything must come from the checkpoint.
    const resumed = await session(runDir, saved, 999);
    expect(resumed.result.cancelled).toBe(false);
    expect(saved.history).toEqual(whole.history);
    expect(resumed.result).toEqual(uninterrupted.result);
    expect(resumed.weights).toEqual(uninterrupted.weights);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('does nothing on train begin when run.json names no checkpoint of its phase', async () => {
    const state = { ...newState(), checkpoint: { folder: 'checkpoint-9', epoch: 9, phase: 'fine-tune' as const } };
    const { result } = await session(path.join(tmp, 'other-phase'), state, config.seed);
    expect(state.history.map((h) => h.epoch)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(result.cancelled).toBe(false);
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
