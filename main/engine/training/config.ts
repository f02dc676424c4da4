/**
 * Training configuration: parsing with defaults (the schema lives in shared/contract/training.ts),
 * optimizers, class weights and label smoothing.
 */
import * as tf from '@tensorflow/tfjs';
import { TrainConfig, type OptimizerName, type TrainConfigInput } from '../../../shared/contract/training';
import { StudioError, quote } from '../../../shared/errors';
import { LeanAdamOptimizer } from './lean-adam';
import { withStateFlush } from './subnormal-flush';

export type { TrainConfig } from '../../../shared/contract/training';

/** Parses a partial config, filling Keras-style defaults. @throws StudioError BAD_INPUT naming the field. */
export function resolveConfig(input: TrainConfigInput = {}): TrainConfig {
  const parsed = TrainConfig.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new StudioError(
      'BAD_INPUT',
      `Invalid training config ${issue.path.join('.') || '(config)'}: ${issue.message}.`,
      {
        issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
      },
    );
  }
  return parsed.data;
}

/** Images per fine-tuning step: `fineTune.batchSize`, else the head's `batchSize` capped at 32 (images through the base). */
export function fineTuneBatchSize(config: Pick<TrainConfig, 'batchSize' | 'fineTune'>): number {
  return config.fineTune.batchSize ?? Math.min(config.batchSize, 32);
}

/**
 * Creates an optimizer (Adam: {@link LeanAdamOptimizer}, tfjs' update with fewer kernels).
 * @param name adam | sgd (with momentum) | rmsprop.
 * @param learningRate step size.
 * @param momentum momentum for sgd and rmsprop. Default: 0.9 for sgd, 0 for rmsprop.
 */
export function createOptimizer(name: OptimizerName, learningRate: number, momentum?: number): tf.Optimizer {
  switch (name) {
    case 'adam':
      return new LeanAdamOptimizer(learningRate);
    case 'sgd':
      return withStateFlush(tf.train.momentum(learningRate, momentum ?? 0.9));
    case 'rmsprop':
      return withStateFlush(tf.train.rmsprop(learningRate, 0.9, momentum ?? 0));
    default:
      throw new StudioError('BAD_INPUT', `Expected optimizer adam, sgd or rmsprop, received ${quote(name)}.`);
  }
}

/**
 * Class weights for the loss.
 * 'auto' is Keras/sklearn "balanced": w_c = n / (C · n_c), so every class contributes equally;
 * 'none' gives 1 to each class; an array is used as given (one weight per class).
 * @param counts training examples per class.
 * @returns weight per class index, or undefined when all weights are 1 (no weighting needed).
 */
export function classWeightsFor(
  setting: TrainConfig['classWeights'],
  counts: number[],
): Record<number, number> | undefined {
  if (setting === 'none') return undefined;
  if (Array.isArray(setting)) {
    if (setting.length !== counts.length) {
      throw new StudioError(
        'BAD_INPUT',
        `Expected ${counts.length} class weights (one per class), received ${setting.length}: ${quote(setting)}.`,
      );
    }
    return Object.fromEntries(setting.map((w, c) => [c, w]));
  }
  const total = counts.reduce((a, b) => a + b, 0);
  const weights = counts.map((n) => (n > 0 ? total / (counts.length * n) : 0));
  if (weights.every((w) => Math.abs(w - 1) < 1e-9)) return undefined;
  return Object.fromEntries(weights.map((w, c) => [c, w]));
}

/**
 * The class weights of a run, computed once from its training labels and passed to every phase
 * (see {@link classWeightsFor}).
 * @param labels class index of each training example.
 */
export function classWeightsOfLabels(
  setting: TrainConfig['classWeights'],
  labels: Iterable<number>,
  numClasses: number,
): Record<number, number> | undefined {
  const counts = new Array<number>(numClasses).fill(0);
  for (const label of labels) counts[label]!++;
  return classWeightsFor(setting, counts);
}

/**
 * One-hot targets with label smoothing: (1-ε)·onehot + ε/C (Keras' CategoricalCrossentropy
 * label_smoothing). Argmax is unchanged, so accuracy and class weights still read the true class.
 */
export function smoothedOneHot(labels: ArrayLike<number>, numClasses: number, smoothing: number): Float32Array {
  const out = new Float32Array(labels.length * numClasses).fill(smoothing / numClasses);
  const hot = 1 - smoothing + smoothing / numClasses;
  for (let i = 0; i < labels.length; i++) out[i * numClasses + labels[i]!] = hot;
  return out;
}
