/**
 * The lean phase-1 loop: trains a compiled head on feature rows already in memory, without
 * `model.fit`'s per-batch machinery (dataset iterators, class-weight look-ups with a read-back per
 * batch, scalar logs read after every batch).
 *
 * Per batch: the rows of the seeded epoch order copied into one upload (on wasm, `tf.gather` from a
 * resident tensor costs ~1 ms per 32×1280 batch, the copy + upload ~0.03 ms), one `optimizer.minimize` of the same loss
 * `fit` minimises (categorical cross-entropy × class weight per sample, mean, + regulariser
 * penalties; dropout via the layers' own training-mode call), and the loss/accuracy sums added to
 * device-side accumulators. Those are read back only every `metricsEvery` batches (for progress)
 * and at the end of the epoch. Validation runs once per epoch in inference mode.
 *
 * The callbacks are the ones `fit` gets (early stopping / best weights, checkpoint, progress,
 * cancel), called at the same points with logs of the same meaning: `loss` and `acc` (batch-size
 * weighted epoch means), `val_loss`, `val_acc`; batch logs carry `size` and, when read back, the
 * running `loss`/`acc` of the epoch. Randomness (batch order, dropout) depends only on the seed
 * and the epoch number, exactly as in {@link runFit}.
 */
import * as tf from '@tensorflow/tfjs';
import { CancelCallback } from './callbacks/cancel';
import type { BestWeightsCallback } from './callbacks/early-stopping';
import { finishFit, type FitLoopResult } from './fit-loop';
import { createRandom, deriveSeed, epochOrder, withSeededRandom } from './seed';
import { useFastWasmMatMul } from './wasm-matmul';

/** Rows in memory: features row-major, targets row-major (`rows × classes`). */
export interface RowSet {
  features: Float32Array;
  /** One-hot (possibly label-smoothed) targets. */
  targets: Float32Array;
  /** Shape of one row's features, e.g. [1280]. */
  featureShape: readonly number[];
  /** Loss weight of each row (its class weight). Default: none (all 1). */
  weights?: Float32Array;
}

/** Options of {@link trainHeadLoop}. */
export interface HeadLoopOptions {
  train: RowSet;
  /** Evaluated once per finished epoch in inference mode; weights are ignored (as fit does). */
  validation: RowSet;
  /** First epoch (global numbering across resumes). Default: 0. */
  initialEpoch?: number;
  /** Epoch to stop before (exclusive). */
  epochs: number;
  batchSize: number;
  seed: number;
  /** Tracks the best epoch and its weights. */
  best: BestWeightsCallback;
  /** Restore the best weights at the end. Default: true. */
  restoreBestWeights?: boolean;
  /** Further callbacks (progress, checkpoint...), run after `best`. Default: none. */
  callbacks?: tf.Callback[];
  /** Read the running loss/accuracy back every this many batches (each read is a device sync). Default: 16. */
  metricsEvery?: number;
  /** Rows per inference chunk in validation. Default: 512. */
  validationBatchSize?: number;
  signal: AbortSignal;
}

/** Trains `model` (compiled: its optimizer is used and checkpointed) on in-memory rows; see the file comment. */
export async function trainHeadLoop(model: tf.LayersModel, options: HeadLoopOptions): Promise<FitLoopResult> {
  if (tf.getBackend() === 'wasm') useFastWasmMatMul();
  const initialEpoch = options.initialEpoch ?? 0;
  const train = options.train;
  const width = rowSize(train);
  const n = train.features.length / width;
  const classes = train.targets.length / n;
  const batchSize = options.batchSize;
  const steps = Math.ceil(n / batchSize);
  const metricsEvery = Math.max(1, options.metricsEvery ?? 16);
  const cancel = new CancelCallback(options.signal);
  const callbacks: tf.Callback[] = [options.best, ...(options.callbacks ?? []), cancel];
  const optimizer = model.optimizer;
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);

  if (initialEpoch < options.epochs && !options.signal.aborted) {
    for (const callback of callbacks) {
      callback.setModel(model);
      callback.setParams({ epochs: options.epochs, initialEpoch, samples: n, steps, batchSize, verbose: 0, doValidation: true, metrics: ['loss', 'acc', 'val_loss', 'val_acc'] });
    }
    model.stopTraining = false;
    await withSeededRandom(deriveSeed(options.seed, 'fit', initialEpoch), async () => {
      for (const callback of callbacks) await callback.onTrainBegin();
      for (let epoch = initialEpoch; epoch < options.epochs; epoch++) {
        // Dropout masks depend only on the seed and the epoch, as in runFit (resume-safe).
        Math.random = createRandom(deriveSeed(options.seed, 'epoch', epoch));
        for (const callback of callbacks) await callback.onEpochBegin(epoch);
        const order = epochOrder(n, options.seed, epoch);
        let sums = tf.zeros([2]); // [Σ loss·size, Σ correct]
        let rows = 0;
        let finished = false;
        try {
          for (let batch = 0; batch < steps; batch++) {
            const start = batch * batchSize;
            const size = Math.min(batchSize, n - start);
            const batchRows = order.subarray(start, start + size);
            const next = tf.tidy(() => trainStep(model, optimizer, variables, gatherRows(train, batchRows, width, classes), sums));
            sums.dispose();
            sums = next;
            rows += size;
            const logs: Record<string, number> = { batch, size };
            if ((batch + 1) % metricsEvery === 0 || batch + 1 === steps) Object.assign(logs, readMeans(sums, rows));
            for (const callback of callbacks) await callback.onBatchEnd(batch, logs);
            if (model.stopTraining) break;
            if (batch + 1 === steps) finished = true;
          }
          const epochLogs: Record<string, number> = readMeans(sums, rows);
          if (finished) Object.assign(epochLogs, evaluate(model, options.validation, options.validationBatchSize ?? 512, width, classes));
          for (const callback of callbacks) await callback.onEpochEnd(epoch, epochLogs);
        } finally {
          sums.dispose();
        }
        if (model.stopTraining) break;
      }
      for (const callback of callbacks) await callback.onTrainEnd();
    });
  }
  return finishFit(model, options.best, cancel.cancelled || options.signal.aborted, options.restoreBestWeights ?? true);
}

/** A batch: the rows `rows` of `set`, copied in JS and uploaded (on wasm this is ~50× faster than tf.gather). */
interface Batch {
  xs: tf.Tensor;
  ys: tf.Tensor2D;
  weights?: tf.Tensor1D;
  size: number;
}

/** Copies rows `rows` (indices) of `set` into new tensors. Call inside tf.tidy. */
function gatherRows(set: RowSet, rows: ArrayLike<number>, width: number, classes: number): Batch {
  const size = rows.length;
  const features = new Float32Array(size * width);
  const targets = new Float32Array(size * classes);
  const weights = set.weights ? new Float32Array(size) : undefined;
  for (let i = 0; i < size; i++) {
    const row = rows[i]!;
    features.set(set.features.subarray(row * width, (row + 1) * width), i * width);
    targets.set(set.targets.subarray(row * classes, (row + 1) * classes), i * classes);
    if (weights) weights[i] = set.weights![row]!;
  }
  return {
    xs: tf.tensor(features, [size, ...set.featureShape]),
    ys: tf.tensor2d(targets, [size, classes]),
    ...(weights ? { weights: tf.tensor1d(weights) } : {}),
    size,
  };
}

/** One gradient step on `batch`; returns the new [Σ loss·size, Σ correct]. Call inside tf.tidy. */
function trainStep(model: tf.LayersModel, optimizer: tf.Optimizer, variables: tf.Variable[], batch: Batch, sums: tf.Tensor): tf.Tensor {
  const { xs, ys, weights, size } = batch;
  let correct: tf.Tensor | undefined;
  const cost = optimizer.minimize(
    () => {
      const output = model.apply(xs, { training: true }) as tf.Tensor;
      // The loss model.compile({loss: 'categoricalCrossentropy'}) builds, weighted as fit weights it.
      let perSample: tf.Tensor = tf.metrics.categoricalCrossentropy(ys, output);
      if (weights) perSample = tf.mul(perSample, weights);
      let total = tf.mean(perSample) as tf.Scalar;
      for (const penalty of model.calculateLosses()) total = tf.add(total, penalty);
      correct = tf.keep(tf.sum(tf.metrics.categoricalAccuracy(ys, output)));
      return total;
    },
    true,
    variables,
  )!;
  const next = tf.add(sums, tf.stack([tf.mul(cost, size), correct!]));
  correct!.dispose(); // kept out of minimize's scope, so no tidy frees it
  return next;
}

/** Means of the accumulated sums (one read-back). */
function readMeans(sums: tf.Tensor, rows: number): { loss: number; acc: number } {
  const [loss, correct] = sums.dataSync();
  return { loss: loss! / rows, acc: correct! / rows };
}

/** val_loss (unweighted cross-entropy against the given targets) and val_acc, inference mode, in chunks of `chunk` rows. */
function evaluate(model: tf.LayersModel, set: RowSet, chunk: number, width: number, classes: number): { val_loss: number; val_acc: number } {
  const n = set.features.length / width;
  let sums = tf.zeros([2]);
  for (let start = 0; start < n; start += chunk) {
    const size = Math.min(chunk, n - start);
    const next = tf.tidy(() => {
      const xs = tf.tensor(set.features.subarray(start * width, (start + size) * width), [size, ...set.featureShape]);
      const ys = tf.tensor2d(set.targets.subarray(start * classes, (start + size) * classes), [size, classes]);
      const output = model.apply(xs, { training: false }) as tf.Tensor;
      return tf.add(sums, tf.stack([tf.sum(tf.metrics.categoricalCrossentropy(ys, output)), tf.sum(tf.metrics.categoricalAccuracy(ys, output))]));
    });
    sums.dispose();
    sums = next;
  }
  const [loss, correct] = sums.dataSync();
  sums.dispose();
  return { val_loss: loss! / n, val_acc: correct! / n };
}

/** Floats per row. */
function rowSize(set: RowSet): number {
  return set.featureShape.reduce((a, b) => a * b, 1);
}
