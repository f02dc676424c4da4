/**
 * Phase 1: train only the head on cached base features (rows of `dim` floats), in seeded batch
 * order, with class weights, label smoothing and the shared callbacks.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from '../../../shared/contract/training';
import { StudioError } from '../../../shared/errors';
import { classWeightsFor, createOptimizer, smoothedOneHot } from './config';
import type { BestWeightsCallback } from './callbacks/early-stopping';
import { compileClassifier, runFit, type BatchData, type FitLoopResult } from './fit-loop';
import { epochOrder } from './seed';

/** Feature rows and their class indices. */
export interface FeatureSet {
  /** Row-major, `labels.length × dim`. */
  features: Float32Array;
  labels: Int32Array;
  dim: number;
}

/** Options of {@link fitHead}. */
export interface FitHeadOptions {
  /** The head: input [null, dim], output [null, numClasses] softmax. */
  head: tf.LayersModel;
  train: FeatureSet;
  val: FeatureSet;
  numClasses: number;
  config: TrainConfig;
  best: BestWeightsCallback;
  /** Extra callbacks (progress, checkpoint). Default: none. */
  callbacks?: tf.Callback[];
  /** First epoch, when resuming. Default: 0. */
  initialEpoch?: number;
  /** Skip compiling: the head was loaded from a checkpoint with its optimizer. Default: false. */
  compiled?: boolean;
  signal: AbortSignal;
}

/** Trains the head; returns how it ended. Weights of the best epoch are in `head` afterwards. */
export async function fitHead(options: FitHeadOptions): Promise<FitLoopResult> {
  const { head, train, val, numClasses, config } = options;
  checkSet('training', train, numClasses);
  checkSet('validation', val, numClasses);
  if (!options.compiled) compileClassifier(head, createOptimizer(config.optimizer, config.learningRate, config.momentum));
  const counts = new Array<number>(numClasses).fill(0);
  for (const label of train.labels) counts[label]!++;
  const n = train.labels.length;
  const x = tf.tensor2d(train.features, [n, train.dim]);
  const y = tf.tensor2d(smoothedOneHot(train.labels, numClasses, config.labelSmoothing), [n, numClasses]);
  const xVal = tf.tensor2d(val.features, [val.labels.length, val.dim]);
  const yVal = tf.tensor2d(smoothedOneHot(val.labels, numClasses, config.labelSmoothing), [val.labels.length, numClasses]);
  try {
    const classWeight = classWeightsFor(config.classWeights, counts);
    return await runFit(head, {
      trainBatches: (epoch) => featureBatches(x, y, config.batchSize, config.seed, epoch),
      validation: [xVal, yVal],
      initialEpoch: options.initialEpoch ?? 0,
      epochs: config.epochs,
      batchSize: config.batchSize,
      ...(classWeight ? { classWeight } : {}),
      seed: config.seed,
      best: options.best,
      restoreBestWeights: config.earlyStopping.restoreBestWeights,
      callbacks: options.callbacks ?? [],
      signal: options.signal,
    });
  } finally {
    tf.dispose([x, y, xVal, yVal]);
  }
}

/** Batches of rows in the seeded order of `epoch`. */
export function* featureBatches(x: tf.Tensor2D, y: tf.Tensor2D, batchSize: number, seed: number, epoch: number): Generator<BatchData> {
  const order = epochOrder(x.shape[0], seed, epoch);
  for (let start = 0; start < order.length; start += batchSize) {
    const batch = tf.tidy(() => {
      const index = tf.tensor1d(order.subarray(start, start + batchSize), 'int32');
      return { xs: tf.gather(x, index), ys: tf.gather(y, index) };
    });
    yield batch;
  }
}

/** Number of batches in one epoch. */
export function batchesPerEpoch(rows: number, batchSize: number): number {
  return Math.ceil(rows / batchSize);
}

function checkSet(name: string, set: FeatureSet, numClasses: number): void {
  if (set.labels.length === 0) {
    throw new StudioError('BAD_INPUT', `The ${name} set is empty: every class needs images in it.`);
  }
  if (set.features.length !== set.labels.length * set.dim) {
    throw new StudioError(
      'BAD_INPUT',
      `Expected ${set.labels.length} × ${set.dim} ${name} features, received ${set.features.length} values.`,
    );
  }
  for (const label of set.labels) {
    if (label < 0 || label >= numClasses) {
      throw new StudioError('BAD_INPUT', `Expected ${name} labels in 0..${numClasses - 1}, received ${label}.`);
    }
  }
}
