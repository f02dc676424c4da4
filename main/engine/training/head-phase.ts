/**
 * Phase 1: train only the head on cached base features (rows of `dim` floats), in seeded batch
 * order, with class weights and label smoothing — the head's {@link Phase} for the phase runner.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from '../../../shared/contract/training';
import { StudioError } from '../../../shared/errors';
import type { BestWeightsCallback } from './callbacks/early-stopping';
import { classWeightsOfLabels, createOptimizer, smoothedOneHot } from './config';
import { FitSteps, type BatchData } from './fit-steps';
import type { ClassWeights, Phase, PhaseResult } from './phase';
import { runPhase } from './phase-runner';
import { RowSteps } from './row-steps';
import { epochOrder } from './seed';
import type { LabelledImage } from './extract';

/** Feature rows and their class indices. */
export interface FeatureSet {
  /** Row-major, `labels.length × dim`. */
  features: Float32Array;
  labels: Int32Array;
  dim: number;
  /** Images left out while extracting (deleted or damaged since the scan), with why. Default: none. */
  skipped?: { image: LabelledImage; message: string }[];
}

/** Options of {@link headPhase}. */
export interface HeadPhaseOptions {
  /** The head: input [null, dim], output [null, numClasses] softmax. */
  head: tf.LayersModel;
  train: FeatureSet;
  val: FeatureSet;
  numClasses: number;
  config: TrainConfig;
  best: BestWeightsCallback;
  /** Default: from `config.classWeights` and the training labels (config.classWeightsOfLabels). */
  classWeights?: ClassWeights;
  /** Extra callbacks (checkpoint, progress). Default: none. */
  callbacks?: tf.Callback[];
  /** First epoch. Default: 0. */
  initialEpoch?: number;
  /** Skip compiling: the head has its optimizer already. Default: false. */
  compiled?: boolean;
  /**
   * 'lean': {@link RowSteps} (rows uploaded once, one gather + one optimizer step per batch, metrics read
   * back every few batches); 'fit': {@link FitSteps}, tfjs' own train function on gathered batches (the
   * reference, kept for comparison). Same losses, metrics, callbacks and seeded randomness. Default: 'lean'.
   */
  loop?: 'lean' | 'fit';
  signal: AbortSignal;
}

/** The head's phase; see {@link HeadPhaseOptions}. */
export function headPhase(options: HeadPhaseOptions): Phase<unknown> {
  const { head, train, val, numClasses, config } = options;
  checkSet('training', train, numClasses);
  checkSet('validation', val, numClasses);
  const targets = smoothedOneHot(train.labels, numClasses, config.labelSmoothing);
  const valTargets = smoothedOneHot(val.labels, numClasses, config.labelSmoothing);
  const classWeights =
    'classWeights' in options
      ? options.classWeights
      : classWeightsOfLabels(config.classWeights, train.labels, numClasses);
  const featureShape = [train.dim];
  const steps =
    (options.loop ?? 'lean') === 'lean'
      ? new RowSteps({
          train: { features: train.features, targets, featureShape },
          labels: train.labels,
          validation: { features: val.features, targets: valTargets, featureShape },
          batchSize: config.batchSize,
          seed: config.seed,
        })
      : fitReferenceSteps(train, targets, val, valTargets, numClasses, config);
  return {
    model: head,
    ...(options.compiled ? {} : { optimizer: createOptimizer(config.optimizer, config.learningRate, config.momentum) }),
    steps,
    initialEpoch: options.initialEpoch ?? 0,
    epochs: config.epochs,
    seed: config.seed,
    ...(classWeights ? { classWeights } : {}),
    best: options.best,
    restoreBestWeights: config.earlyStopping.restoreBestWeights,
    callbacks: options.callbacks ?? [],
    signal: options.signal,
  };
}

/** Trains the head; returns how it ended. Weights of the best epoch are in `head` afterwards. */
export async function fitHead(options: HeadPhaseOptions): Promise<PhaseResult> {
  return runPhase(headPhase(options));
}

/** tfjs fit's steps on the rows, gathered from resident tensors and validated by `evaluate`. */
function fitReferenceSteps(
  train: FeatureSet,
  targets: Float32Array,
  val: FeatureSet,
  valTargets: Float32Array,
  numClasses: number,
  config: TrainConfig,
): FitSteps {
  const n = train.labels.length;
  const x = tf.tensor2d(train.features, [n, train.dim]);
  const y = tf.tensor2d(targets, [n, numClasses]);
  const xVal = tf.tensor2d(val.features, [val.labels.length, val.dim]);
  const yVal = tf.tensor2d(valTargets, [val.labels.length, numClasses]);
  return new FitSteps({
    batches: (epoch) => featureBatches(x, y, config.batchSize, config.seed, epoch),
    validation: [xVal, yVal],
    samples: n,
    batchesPerEpoch: batchesPerEpoch(n, config.batchSize),
    owned: [x, y, xVal, yVal],
  });
}

/** Batches of rows in the seeded order of `epoch`. */
export function* featureBatches(
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  batchSize: number,
  seed: number,
  epoch: number,
): Generator<BatchData> {
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
