/**
 * The head's training steps: feature rows already in memory, without `model.fit`'s per-batch
 * machinery (dataset iterators, class-weight look-ups with a read-back per batch, scalar logs
 * read after every batch).
 *
 * Per batch: the rows of the seeded epoch order copied into one upload (on wasm, `tf.gather` from a
 * resident tensor costs ~1 ms per 32×1280 batch, the copy + upload ~0.03 ms), one `optimizer.minimize` of the same loss
 * `fit` minimises (categorical cross-entropy × class weight per sample, mean, + regulariser
 * penalties; dropout via the layers' own training-mode call), and the loss/accuracy sums added to
 * device-side accumulators. Those are read back only every `metricsEvery` batches (for progress)
 * and at the end of the epoch. Validation runs once per epoch in inference mode.
 *
 * Logs have the meaning of `fit`'s: `loss` and `acc` (batch-size weighted epoch means), `val_loss`,
 * `val_acc`; batch logs carry `size` and, when read back, the running `loss`/`acc` of the epoch.
 */
import * as tf from '@tensorflow/tfjs';
import type { ClassWeights, StepLogs, TrainingSteps } from './phase';
import { epochOrder } from './seed';

/** Rows in memory: features row-major, targets row-major (`rows × classes`). */
export interface RowSet {
  features: Float32Array;
  /** One-hot (possibly label-smoothed) targets. */
  targets: Float32Array;
  /** Shape of one row's features, e.g. [1280]. */
  featureShape: readonly number[];
}

/** Options of {@link RowSteps}. */
export interface RowStepsOptions {
  train: RowSet;
  /** Class index of each training row (for its class weight). */
  labels: Int32Array;
  /** Evaluated once per finished epoch in inference mode; unweighted (as fit does). */
  validation: RowSet;
  batchSize: number;
  /** Seeds the batch order of each epoch. */
  seed: number;
  /** Read the running loss/accuracy back every this many batches (each read is a device sync). Default: 16. */
  metricsEvery?: number;
  /** Rows per inference chunk in validation. Default: 512. */
  validationBatchSize?: number;
}

/** Training steps on in-memory feature rows; a batch is the indices of its rows. See the file comment. */
export class RowSteps implements TrainingSteps<Int32Array> {
  readonly samples: number;
  readonly batchesPerEpoch: number;
  private readonly width: number;
  private readonly classes: number;
  private readonly metricsEvery: number;
  private sums: tf.Tensor | undefined; // [Σ loss·size, Σ correct]
  private rows = 0;
  private rowWeights: Float32Array | undefined;
  private weightsOf: ClassWeights | undefined;

  constructor(private readonly options: RowStepsOptions) {
    const train = options.train;
    this.width = rowSize(train);
    this.samples = train.features.length / this.width;
    this.classes = train.targets.length / this.samples;
    this.batchesPerEpoch = Math.ceil(this.samples / options.batchSize);
    this.metricsEvery = Math.max(1, options.metricsEvery ?? 16);
  }

  *batches(epoch: number): Generator<Int32Array> {
    const order = epochOrder(this.samples, this.options.seed, epoch);
    for (let start = 0; start < this.samples; start += this.options.batchSize)
      yield order.subarray(start, start + this.options.batchSize);
  }

  beginEpoch(): void {
    this.sums?.dispose();
    this.sums = tf.zeros([2]);
    this.rows = 0;
  }

  async trainBatch(
    model: tf.LayersModel,
    rows: Int32Array,
    index: number,
    classWeights: ClassWeights | undefined,
  ): Promise<StepLogs> {
    const weights = this.rowWeightsFor(classWeights);
    const sums = this.sums!;
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.sums = tf.tidy(() => trainStep(model, variables, this.gatherRows(rows, weights), sums));
    sums.dispose();
    this.rows += rows.length;
    const logs: StepLogs = { batch: index, size: rows.length };
    if ((index + 1) % this.metricsEvery === 0 || index + 1 === this.batchesPerEpoch)
      Object.assign(logs, this.readMeans());
    return logs;
  }

  async endEpoch(model: tf.LayersModel, finished: boolean): Promise<StepLogs> {
    const logs: StepLogs = this.readMeans();
    this.dispose(); // the sums; beginEpoch makes new ones
    if (finished) Object.assign(logs, this.evaluate(model));
    return logs;
  }

  dispose(): void {
    this.sums?.dispose();
    this.sums = undefined;
  }

  private rowWeightsFor(classWeights: ClassWeights | undefined): Float32Array | undefined {
    if (classWeights !== this.weightsOf) {
      this.weightsOf = classWeights;
      this.rowWeights = classWeights
        ? Float32Array.from(this.options.labels, (label) => classWeights[label]!)
        : undefined;
    }
    return this.rowWeights;
  }

  /** Copies rows `rows` of the training set into new tensors (on wasm ~50× faster than tf.gather). Call inside tf.tidy. */
  private gatherRows(rows: Int32Array, rowWeights: Float32Array | undefined): Batch {
    const { width, classes } = this;
    const set = this.options.train;
    const size = rows.length;
    const features = new Float32Array(size * width);
    const targets = new Float32Array(size * classes);
    const weights = rowWeights ? new Float32Array(size) : undefined;
    for (let i = 0; i < size; i++) {
      const row = rows[i]!;
      features.set(set.features.subarray(row * width, (row + 1) * width), i * width);
      targets.set(set.targets.subarray(row * classes, (row + 1) * classes), i * classes);
      if (weights) weights[i] = rowWeights![row]!;
    }
    return {
      xs: tf.tensor(features, [size, ...set.featureShape]),
      ys: tf.tensor2d(targets, [size, classes]),
      ...(weights ? { weights: tf.tensor1d(weights) } : {}),
      size,
    };
  }

  /** Means of the accumulated sums (one read-back). */
  private readMeans(): { loss: number; acc: number } {
    const [loss, correct] = this.sums!.dataSync();
    return { loss: loss! / this.rows, acc: correct! / this.rows };
  }

  /** val_loss (unweighted cross-entropy against the given targets) and val_acc, inference mode, in chunks. */
  private evaluate(model: tf.LayersModel): { val_loss: number; val_acc: number } {
    const { width, classes } = this;
    const set = this.options.validation;
    const chunk = this.options.validationBatchSize ?? 512;
    const n = set.features.length / width;
    let sums = tf.zeros([2]);
    for (let start = 0; start < n; start += chunk) {
      const size = Math.min(chunk, n - start);
      const next = tf.tidy(() => {
        const xs = tf.tensor(set.features.subarray(start * width, (start + size) * width), [size, ...set.featureShape]);
        const ys = tf.tensor2d(set.targets.subarray(start * classes, (start + size) * classes), [size, classes]);
        const output = model.apply(xs, { training: false }) as tf.Tensor;
        return tf.add(
          sums,
          tf.stack([
            tf.sum(tf.metrics.categoricalCrossentropy(ys, output)),
            tf.sum(tf.metrics.categoricalAccuracy(ys, output)),
          ]),
        );
      });
      sums.dispose();
      sums = next;
    }
    const [loss, correct] = sums.dataSync();
    sums.dispose();
    return { val_loss: loss! / n, val_acc: correct! / n };
  }
}

/** A batch of rows, uploaded. */
interface Batch {
  xs: tf.Tensor;
  ys: tf.Tensor2D;
  weights?: tf.Tensor1D;
  size: number;
}

/** One gradient step on `batch`; returns the new [Σ loss·size, Σ correct]. Call inside tf.tidy. */
function trainStep(model: tf.LayersModel, variables: tf.Variable[], batch: Batch, sums: tf.Tensor): tf.Tensor {
  const { xs, ys, weights, size } = batch;
  let correct: tf.Tensor | undefined;
  const cost = model.optimizer.minimize(
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

/** Floats per row. */
function rowSize(set: RowSet): number {
  return set.featureShape.reduce((a, b) => a * b, 1);
}
