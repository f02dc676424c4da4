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
import { trainHeadLoop } from './head-loop';
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
  /**
   * 'lean': {@link trainHeadLoop} (rows uploaded once, one gather + one optimizer step per batch, metrics read
   * back every few batches); 'fit': tfjs `model.fitDataset` through {@link runFit} (the reference, kept for
   * comparison). Same losses, metrics, callbacks and seeded randomness. Default: 'lean'.
   */
  loop?: 'lean' | 'fit';
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
  const targets = smoothedOneHot(train.labels, numClasses, config.labelSmoothing);
  const valTargets = smoothedOneHot(val.labels, numClasses, config.labelSmoothing);
  const classWeight = classWeightsFor(config.classWeights, counts);
  const common = {
    initialEpoch: options.initialEpoch ?? 0,
    epochs: config.epochs,
    batchSize: config.batchSize,
    seed: config.seed,
    best: options.best,
    restoreBestWeights: config.earlyStopping.restoreBestWeights,
    callbacks: options.callbacks ?? [],
    signal: options.signal,
  };
  if ((options.loop ?? 'lean') === 'lean') {
    const featureShape = [train.dim];
    return trainHeadLoop(head, {
      ...common,
      train: {
        features: train.features,
        targets,
        featureShape,
        ...(classWeight ? { weights: Float32Array.from(train.labels, (label) => classWeight[label]!) } : {}),
      },
      validation: { features: val.features, targets: valTargets, featureShape },
    });
  }
  const x = tf.tensor2d(train.features, [n, train.dim]);
  const y = tf.tensor2d(targets, [n, numClasses]);
  const xVal = tf.tensor2d(val.features, [val.labels.length, val.dim]);
  const yVal = tf.tensor2d(valTargets, [val.labels.length, numClasses]);
  try {
    return await runFit(head, {
      trainBatches: (epoch) => featureBatches(x, y, config.batchSize, config.seed, epoch),
      validation: [xVal, yVal],
      ...(classWeight ? { classWeight } : {}),
      ...common,
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
