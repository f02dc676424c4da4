/**
 * The lean phase-1 steps against tfjs' own fit numerics (the 'fit' steps: the model's train function as
 * `model.fitDataset` calls it, bit-identical to it — see fit-steps.test.ts) on a tiny problem
 * with dropout, class weights, label smoothing and a partial last batch: same epoch metrics and
 * weights within float tolerance; seeded determinism; metrics read back every `metricsEvery`
 * batches; cancel after the current batch; no tensor leaks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../../../../../main/engine/training/wasm-setup';
import { fitHead, type FeatureSet } from '../../../../../main/engine/training/head-phase';
import { bestWeightsFor } from '../../../../../main/engine/training/phase-runner';
import { resolveConfig } from '../../../../../main/engine/training/config';
import { buildSeededHead } from '../../../../../main/engine/training/head';
import { resolveLogs, type RawLogs } from '../../../../../main/engine/training/callbacks/logs';
import { createRandom } from '../../../../../main/engine/training/seed';
import type { TrainConfigInput } from '../../../../../shared/contract/training';

const DIM = 16;
const CLASSES = 3;

/** Imbalanced overlapping blobs (class 0 twice as frequent), so class weights and val_loss matter. */
function blobs(n: number, seed: number): FeatureSet {
  const random = createRandom(seed);
  const features = new Float32Array(n * DIM);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 4 === 3 ? 0 : i % 4 === 0 ? 0 : ((i % 4) as 1 | 2);
    for (let d = 0; d < DIM; d++) features[i * DIM + d] = (random() - 0.5) * 3 + (d === labels[i] ? 1.5 : 0);
  }
  return { features, labels, dim: DIM };
}

/** Records what the loop tells its callbacks. */
class Recorder extends tf.Callback {
  epochs: Record<string, number>[] = [];
  batches: Record<string, number>[] = [];
  constructor(private readonly onBatch?: (batch: number, epoch: number) => void) {
    super();
  }
  private epoch = 0;
  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
  }
  override async onBatchEnd(batch: number, logs?: RawLogs): Promise<void> {
    this.batches.push({ epoch: this.epoch, ...(await resolveLogs(logs)) });
    this.onBatch?.(batch, this.epoch);
  }
  override async onEpochEnd(epoch: number, logs?: RawLogs): Promise<void> {
    this.epochs.push({ epoch, ...(await resolveLogs(logs)) });
  }
}

async function train(
  loop: 'lean' | 'fit',
  config: TrainConfigInput,
  options: { signal?: AbortSignal; onBatch?: (batch: number, epoch: number) => void } = {},
) {
  // 70 rows / batch 8: 9 batches, the last one of 6 rows.
  const resolved = resolveConfig({
    epochs: 3,
    batchSize: 8,
    seed: 7,
    learningRate: 0.02,
    labelSmoothing: 0.1,
    classWeights: 'auto',
    earlyStopping: { patience: 0 },
    ...config,
  });
  const head = buildSeededHead(undefined, [DIM], CLASSES, resolved.seed);
  const best = bestWeightsFor(resolved);
  const recorder = new Recorder(options.onBatch);
  try {
    const result = await fitHead({
      head,
      train: blobs(70, 1),
      val: blobs(30, 2),
      numClasses: CLASSES,
      config: resolved,
      best,
      loop,
      callbacks: [recorder],
      signal: options.signal ?? new AbortController().signal,
    });
    const weights = head.getWeights().map((w) => Array.from(w.dataSync()));
    return { result, recorder, weights };
  } finally {
    best.dispose();
    head.optimizer?.dispose();
    head.dispose();
  }
}

describe('lean head-training loop', () => {
  let baseline = 0;

  beforeAll(async () => {
    await useWasmBackend();
    await train('lean', { epochs: 1 });
    await train('fit', { epochs: 1 });
    baseline = tf.memory().numTensors;
  });

  it('matches model.fit: same epoch loss/accuracy/val metrics and weights (dropout, class weights, smoothing)', async () => {
    const lean = await train('lean', {});
    const fit = await train('fit', {});
    expect(lean.recorder.epochs).toHaveLength(3);
    for (const [i, reference] of fit.recorder.epochs.entries()) {
      const ours = lean.recorder.epochs[i]!;
      for (const key of ['loss', 'acc', 'val_loss', 'val_acc']) {
        expect(ours[key], `epoch ${i} ${key}`).toBeCloseTo(reference[key]!, 4);
      }
    }
    lean.weights.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - fit.weights[i]![j]!)).toBeLessThan(1e-4)));
    expect(lean.result.bestEpoch).toBe(fit.result.bestEpoch);
    expect(lean.result.bestValLoss).toBeCloseTo(fit.result.bestValLoss, 4);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('same seed ⇒ identical metrics and weights; another seed ⇒ different ones', async () => {
    const a = await train('lean', {});
    const b = await train('lean', {});
    const c = await train('lean', { seed: 8 });
    expect(a.recorder.epochs).toEqual(b.recorder.epochs);
    expect(a.weights).toEqual(b.weights);
    expect(c.recorder.epochs).not.toEqual(a.recorder.epochs);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('reads metrics back every metricsEvery batches (16: only the last batch of 9) with the epoch running mean', async () => {
    const { recorder } = await train('lean', { epochs: 1 });
    expect(recorder.batches.map((b) => b.size)).toEqual([8, 8, 8, 8, 8, 8, 8, 8, 6]);
    expect(recorder.batches.slice(0, 8).every((b) => b.loss === undefined)).toBe(true);
    const last = recorder.batches.at(-1)!;
    expect(last.loss).toBe(recorder.epochs[0]!.loss);
    expect(last.acc).toBe(recorder.epochs[0]!.acc);
  });

  it('cancel stops after the current batch; the unfinished epoch gets no validation', async () => {
    const controller = new AbortController();
    const { result, recorder } = await train(
      'lean',
      { epochs: 5 },
      {
        signal: controller.signal,
        onBatch: (batch, epoch) => {
          if (epoch === 1 && batch === 4) controller.abort();
        },
      },
    );
    expect(result.cancelled).toBe(true);
    expect(recorder.batches.length).toBe(9 + 5); // epoch 0, then batches 0–4 of epoch 1
    expect(recorder.epochs.map((e) => e.epoch)).toEqual([0, 1]);
    expect(recorder.epochs[1]!.val_loss).toBeUndefined();
    expect(recorder.epochs[1]!.loss).toBeGreaterThan(0); // the mean over the 5 batches done
    expect(result.bestEpoch).toBe(0);
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
