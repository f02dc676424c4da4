/**
 * Trains a head on feature rows with the product's own phase (buildSeededHead → headPhase → runPhase: the lean row
 * loop, early stopping with best-weights restore, class weights, label smoothing) and predicts probabilities.
 */
import * as tf from '@tensorflow/tfjs';
import { TrainConfig, type TrainConfigInput } from '../../shared/contract/training';
import type { HeadSpec } from '../../shared/layer-spec';
import { buildSeededHead } from '../../main/engine/training/head';
import { fitHead, type FeatureSet } from '../../main/engine/training/head-phase';
import { bestWeightsFor } from '../../main/engine/training/phase-runner';
import { createRandom } from '../../main/engine/random';
import type { FeatureMatrix } from './features';
import type { Probabilities } from './metrics';

/** Stratified, seeded split of image indices into training and validation (`fraction` of each class). */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  fraction: number,
  seed: number,
): { train: number[]; val: number[] } {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) byClass.set(labels[i]!, [...(byClass.get(labels[i]!) ?? []), i]);
  const random = createRandom(seed);
  const train: number[] = [];
  const val: number[] = [];
  for (const indices of [...byClass.entries()].sort((x, y) => x[0] - y[0]).map((e) => e[1])) {
    for (let i = indices.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [indices[i], indices[j]] = [indices[j]!, indices[i]!];
    }
    const n = Math.max(1, Math.round(indices.length * fraction));
    val.push(...indices.slice(0, n));
    train.push(...indices.slice(n));
  }
  return { train: train.sort((x, y) => x - y), val: val.sort((x, y) => x - y) };
}

/**
 * Feature rows of the images at `indices`, one row per (image, matrix): `matrices` are variants of the same image
 * list (the plain pixels, augmented copies), all with the same columns.
 */
export function rowsOf(
  matrices: readonly FeatureMatrix[],
  labels: ArrayLike<number>,
  indices: readonly number[],
): FeatureSet {
  const dim = matrices[0]!.dim;
  const features = new Float32Array(indices.length * matrices.length * dim);
  const out = new Int32Array(indices.length * matrices.length);
  let row = 0;
  for (const i of indices) {
    for (const m of matrices) {
      features.set(m.data.subarray(i * dim, (i + 1) * dim), row * dim);
      out[row++] = labels[i]!;
    }
  }
  return { features, labels: out, dim };
}

/** A trained head and what training it took. */
export interface TrainedHead {
  head: tf.LayersModel;
  seconds: number;
  epochs: number;
  bestEpoch: number;
}

/**
 * Trains a head (default: the product's default head and config) on `train`, early-stopping on `val`.
 * @param head spec or CLI string; `{ layers: [] }` is a linear probe (softmax regression). Default: the product's.
 */
export async function trainHead(
  train: FeatureSet,
  val: FeatureSet,
  numClasses: number,
  options: { head?: HeadSpec | string; config?: TrainConfigInput } = {},
): Promise<TrainedHead> {
  const config = TrainConfig.parse(options.config ?? {});
  const started = performance.now();
  const head = buildSeededHead(options.head, [train.dim], numClasses, config.seed);
  const best = bestWeightsFor(config);
  let epochs = 0;
  const counter = new (class extends tf.Callback {
    override async onEpochEnd(): Promise<void> {
      epochs++;
    }
  })();
  try {
    const result = await fitHead({
      head,
      train,
      val,
      numClasses,
      config,
      best,
      callbacks: [counter],
      signal: new AbortController().signal,
    });
    return { head, seconds: (performance.now() - started) / 1000, epochs, bestEpoch: result.bestEpoch };
  } finally {
    best.dispose();
  }
}

/** The head's probabilities for every row of `set` (batches of 512, every tensor disposed). */
export function predict(
  head: tf.LayersModel,
  set: Pick<FeatureSet, 'features' | 'dim'>,
  numClasses: number,
): Probabilities {
  const rows = set.features.length / set.dim;
  const values = new Float32Array(rows * numClasses);
  for (let start = 0; start < rows; start += 512) {
    const n = Math.min(512, rows - start);
    const out = tf.tidy(() => {
      const x = tf.tensor2d(set.features.subarray(start * set.dim, (start + n) * set.dim), [n, set.dim]);
      return head.predict(x) as tf.Tensor;
    });
    values.set(out.dataSync() as Float32Array, start * numClasses);
    out.dispose();
  }
  return { values, classes: numClasses };
}
