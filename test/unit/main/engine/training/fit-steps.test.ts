/**
 * FitSteps run by the phase runner against tfjs' own `model.fitDataset` on the same seeded batches
 * (the path phase 2 took before the phase runner): with dropout, class weights, label smoothing,
 * a partial last batch and tensor validation, the epoch logs and the final weights are identical
 * bit for bit; nothing leaks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../../../../../main/engine/training/wasm-setup';
import { FitSteps } from '../../../../../main/engine/training/fit-steps';
import { featureBatches } from '../../../../../main/engine/training/head-phase';
import { bestWeightsFor, compileClassifier, runPhase } from '../../../../../main/engine/training/phase-runner';
import { resolveConfig, smoothedOneHot } from '../../../../../main/engine/training/config';
import { buildSeededHead } from '../../../../../main/engine/training/head';
import { resolveLogs, type RawLogs } from '../../../../../main/engine/training/callbacks/logs';
import { createRandom, deriveSeed, withSeededRandom } from '../../../../../main/engine/training/seed';

const DIM = 12;
const CLASSES = 3;
const ROWS = 50; // batch 8: 7 batches, the last one of 2 rows
const SEED = 21;
const EPOCHS = 3;
const CLASS_WEIGHTS = { 0: 0.5, 1: 1.5, 2: 2 };

function data(n: number, seed: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const random = createRandom(seed);
  const labels = Array.from({ length: n }, (_, i) => i % CLASSES);
  const features = Float32Array.from(
    { length: n * DIM },
    (_, k) => (random() - 0.5) * 2 + (k % DIM === labels[Math.floor(k / DIM)] ? 1 : 0),
  );
  return { x: tf.tensor2d(features, [n, DIM]), y: tf.tensor2d(smoothedOneHot(labels, CLASSES, 0.1), [n, CLASSES]) };
}

/** Epoch logs as the callbacks receive them. */
class EpochLogs extends tf.Callback {
  epochs: Record<string, number>[] = [];
  override async onEpochEnd(epoch: number, logs?: RawLogs): Promise<void> {
    this.epochs.push({ epoch, ...(await resolveLogs(logs)) });
  }
}

async function train(path: 'fitDataset' | 'runPhase') {
  const config = resolveConfig({
    epochs: EPOCHS,
    batchSize: 8,
    seed: SEED,
    learningRate: 0.05,
    earlyStopping: { patience: 0 },
  });
  const head = buildSeededHead(undefined, [DIM], CLASSES, SEED);
  compileClassifier(head, tf.train.adam(config.learningRate));
  const train = data(ROWS, 1);
  const val = data(20, 2);
  const recorder = new EpochLogs();
  const best = bestWeightsFor(config);
  const batches = (epoch: number) => featureBatches(train.x, train.y, config.batchSize, SEED, epoch);
  if (path === 'runPhase') {
    const steps = new FitSteps({ batches, validation: [val.x, val.y], samples: ROWS, batchesPerEpoch: 7 });
    await runPhase({
      model: head,
      steps,
      epochs: EPOCHS,
      seed: SEED,
      classWeights: CLASS_WEIGHTS,
      best,
      restoreBestWeights: false,
      callbacks: [recorder],
      signal: new AbortController().signal,
    });
  } else {
    // What the fine-tune phase did before the phase runner: fitDataset with per-epoch seeded randomness.
    let epoch = 0;
    const reseed = new (class extends tf.Callback {
      override async onEpochBegin(e: number): Promise<void> {
        epoch = e;
        Math.random = createRandom(deriveSeed(SEED, 'epoch', e));
      }
    })();
    const dataset = tf.data.generator(() => batches(epoch) as unknown as Iterator<tf.TensorContainer>);
    await withSeededRandom(deriveSeed(SEED, 'fit', 0), () =>
      head.fitDataset(dataset, {
        epochs: EPOCHS,
        verbose: 0,
        validationData: [val.x, val.y],
        classWeight: CLASS_WEIGHTS,
        callbacks: [reseed, best, recorder],
      }),
    );
  }
  const weights = head.getWeights().map((w) => Array.from(w.dataSync()));
  best.dispose();
  tf.dispose([train.x, train.y, val.x, val.y]);
  head.optimizer.dispose();
  head.dispose();
  return { epochs: recorder.epochs, weights };
}

describe('FitSteps: fitDataset numerics in the phase runner', () => {
  let baseline = 0;

  beforeAll(async () => {
    await useWasmBackend();
    await train('fitDataset');
    await train('runPhase');
    baseline = tf.memory().numTensors;
  });

  it('gives the same epoch logs and weights as model.fitDataset, bit for bit', async () => {
    const reference = await train('fitDataset');
    const ours = await train('runPhase');
    expect(reference.epochs).toHaveLength(EPOCHS);
    expect(ours.epochs.map((e) => Object.keys(e).sort())).toEqual(reference.epochs.map((e) => Object.keys(e).sort()));
    expect(ours.epochs).toEqual(reference.epochs);
    expect(ours.weights).toEqual(reference.weights);
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
