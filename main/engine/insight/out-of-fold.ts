/**
 * Out-of-fold class probabilities: k multinomial logistic regressions (softmax on standardized features, Adam,
 * L2), each trained on k − 1 folds of the cached features and predicting the fold it never saw, so every image
 * gets probabilities from a model that did not train on it — the input confident learning needs.
 */
import * as tf from '@tensorflow/tfjs';
import { throwIfCancelled } from '../cancel';
import { deriveSeed, epochOrder, withSeededRandomSync } from '../training/seed';
import { stratifiedFolds } from './folds';

/** Options of {@link outOfFoldProbabilities}. */
export interface OutOfFoldOptions {
  /** Number of folds (≥ 2). Default: 5. */
  folds?: number;
  /** Seed of the folds, the initial weights and the batch order. Default: 42. */
  seed?: number;
  /** Passes over each fold's training images. Default: 20. */
  epochs?: number;
  /** Images per gradient step. Default: 128. */
  batchSize?: number;
  /** Adam's learning rate. Default: 0.01. */
  learningRate?: number;
  /** L2 penalty on the weights. Default: 0.001. */
  l2?: number;
  /** Checked between steps. Default: never cancelled. */
  signal?: AbortSignal;
  /** Folds done / total, after each fold. Default: none. */
  onProgress?: (done: number, total: number) => void;
}

export interface OutOfFold {
  /** n × classes probabilities, row-major; row i from the model that did not train on image i. */
  probabilities: Float32Array;
  /** Share of images whose most probable class is their label. */
  accuracy: number;
  /** Fold of each image. */
  folds: Int32Array;
}

/** Per-dimension mean and standard deviation of the rows (a constant dimension gets deviation 1). */
function standardize(features: Float32Array, n: number, dim: number): Float32Array {
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < dim; j++) {
      const v = features[i * dim + j]!;
      mean[j]! += v;
      sq[j]! += v * v;
    }
  const out = new Float32Array(n * dim);
  for (let j = 0; j < dim; j++) {
    mean[j]! /= n;
    const sd = Math.sqrt(Math.max(0, sq[j]! / n - mean[j]! ** 2));
    sq[j] = sd > 1e-6 ? 1 / sd : 1;
  }
  for (let i = 0; i < n; i++)
    for (let j = 0; j < dim; j++) out[i * dim + j] = (features[i * dim + j]! - mean[j]!) * sq[j]!;
  return out;
}

/**
 * Trains one softmax regression on `train` rows and returns its probabilities for `test` rows.
 * Every tensor it makes is disposed before it returns.
 */
async function fitAndPredict(
  x: tf.Tensor2D,
  labels: Int32Array,
  classes: number,
  train: number[],
  test: number[],
  options: Required<Omit<OutOfFoldOptions, 'signal' | 'onProgress' | 'folds'>> & { signal: AbortSignal; fold: number },
): Promise<Float32Array> {
  const dim = x.shape[1];
  const weights = withSeededRandomSync(deriveSeed(options.seed, 'weights', options.fold), () =>
    tf.variable(tf.randomNormal([dim, classes], 0, 0.01)),
  );
  const bias = tf.variable(tf.zeros([classes]));
  const optimizer = tf.train.adam(options.learningRate);
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const order = epochOrder(train.length, deriveSeed(options.seed, 'fold', options.fold), epoch);
      for (let start = 0; start < train.length; start += options.batchSize) {
        throwIfCancelled(options.signal);
        const rows = Array.from(order.subarray(start, start + options.batchSize), (k) => train[k]!);
        tf.tidy(() => {
          const batch = tf.gather(x, rows);
          const target = tf.oneHot(
            tf.tensor1d(
              rows.map((r) => labels[r]!),
              'int32',
            ),
            classes,
          );
          optimizer.minimize(() => {
            const logits = tf.add(tf.matMul(batch, weights), bias);
            const loss = tf.losses.softmaxCrossEntropy(target, logits);
            return tf.add(loss, tf.mul(options.l2, tf.sum(tf.square(weights)))) as tf.Scalar;
          });
        });
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const probabilities = tf.tidy(() => tf.softmax(tf.add(tf.matMul(tf.gather(x, test), weights), bias)));
    const values = (await probabilities.data()) as Float32Array;
    probabilities.dispose();
    return values;
  } finally {
    optimizer.dispose();
    weights.dispose();
    bias.dispose();
  }
}

/**
 * Out-of-fold probabilities of n images (features: n × dim, row-major; labels: class index per image).
 * A class with fewer images than folds still works: folds without it simply never predict it from training data.
 * @throws StudioError CANCELLED when `signal` aborts.
 */
export async function outOfFoldProbabilities(
  features: Float32Array,
  dim: number,
  labels: Int32Array,
  classes: number,
  options: OutOfFoldOptions = {},
): Promise<OutOfFold> {
  const n = labels.length;
  const folds = Math.max(2, Math.min(options.folds ?? 5, n));
  const seed = options.seed ?? 42;
  const signal = options.signal ?? new AbortController().signal;
  const foldOf = stratifiedFolds(labels, folds, seed);
  const probabilities = new Float32Array(n * classes);
  const settings = {
    seed,
    epochs: options.epochs ?? 20,
    batchSize: options.batchSize ?? 128,
    learningRate: options.learningRate ?? 0.01,
    l2: options.l2 ?? 0.001,
    signal,
  };
  const x = tf.tensor2d(standardize(features, n, dim), [n, dim]);
  try {
    for (let fold = 0; fold < folds; fold++) {
      const train: number[] = [];
      const test: number[] = [];
      for (let i = 0; i < n; i++) (foldOf[i] === fold ? test : train).push(i);
      if (test.length > 0) {
        const predicted = await fitAndPredict(x, labels, classes, train, test, { ...settings, fold });
        test.forEach((image, row) =>
          probabilities.set(predicted.subarray(row * classes, (row + 1) * classes), image * classes),
        );
      }
      options.onProgress?.(fold + 1, folds);
    }
  } finally {
    x.dispose();
  }
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++)
      if (probabilities[i * classes + c]! > probabilities[i * classes + best]!) best = c;
    if (best === labels[i]) correct++;
  }
  return { probabilities, accuracy: n > 0 ? correct / n : 0, folds: foldOf };
}
