/**
 * The one training loop both phases use: `model.fitDataset` with our callbacks (early stopping
 * with best weights, checkpoint, progress, cancel), seeded randomness, and best-weights restore at
 * the end — whether training finished, stopped early or was cancelled.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from '../../../shared/contract/training';
import { CancelCallback } from './callbacks/cancel';
import { BestWeightsCallback, type BestWeightsOptions } from './callbacks/early-stopping';
import { createRandom, deriveSeed, withSeededRandom } from './seed';
import { useFastWasmMatMul } from './wasm-matmul';

export type BatchData = { xs: tf.Tensor; ys: tf.Tensor };

/** Options of {@link runFit}. */
export interface FitLoopOptions {
  /** Training batches; the factory is called once per epoch with that epoch's number. */
  trainBatches: (epoch: number) => AsyncIterable<BatchData> | Iterable<BatchData>;
  /** Validation data: tensors (evaluated in batches of `batchSize`) or a dataset. */
  validation: [tf.Tensor, tf.Tensor] | tf.data.Dataset<tf.TensorContainer>;
  /** First epoch (global numbering across phases and resumes). Default: 0. */
  initialEpoch?: number;
  /** Epoch to stop before (exclusive). */
  epochs: number;
  batchSize: number;
  /** Per-class loss weights (see config.classWeightsFor). Default: none. */
  classWeight?: Record<number, number>;
  seed: number;
  /** Tracks the best epoch and its weights; created by the caller so it can carry state across phases. */
  best: BestWeightsCallback;
  /** Restore the best weights at the end. Default: true. */
  restoreBestWeights?: boolean;
  /** Further callbacks run after early stopping (progress, checkpoint...). Default: none. */
  callbacks?: tf.Callback[];
  signal: AbortSignal;
}

export interface FitLoopResult {
  cancelled: boolean;
  stoppedEarly: boolean;
  /** Best epoch (global), -1 when no epoch finished. */
  bestEpoch: number;
  bestValLoss: number;
  bestValAccuracy: number;
}

/** Compiles for classification with categorical cross-entropy and accuracy. */
export function compileClassifier(model: tf.LayersModel, optimizer: tf.Optimizer): void {
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
}

/** Trains a compiled model; see {@link FitLoopOptions}. */
export async function runFit(model: tf.LayersModel, options: FitLoopOptions): Promise<FitLoopResult> {
  if (tf.getBackend() === 'wasm') useFastWasmMatMul();
  const initialEpoch = options.initialEpoch ?? 0;
  let epoch = initialEpoch;
  const tracker = new (class extends tf.Callback {
    override async onEpochBegin(e: number): Promise<void> {
      epoch = e;
      // Each epoch's randomness (dropout masks) depends only on the seed and the epoch number,
      // so a run resumed at epoch e draws exactly what the uninterrupted run drew.
      Math.random = createRandom(deriveSeed(options.seed, 'epoch', e));
    }
  })();
  const dataset = tf.data.generator(() => iterate(options.trainBatches(epoch)) as unknown as Iterator<tf.TensorContainer>);
  const cancel = new CancelCallback(options.signal);
  if (initialEpoch < options.epochs && !options.signal.aborted) {
    await withSeededRandom(deriveSeed(options.seed, 'fit', initialEpoch), async () => {
      await model.fitDataset(dataset as tf.data.Dataset<tf.TensorContainer>, {
        epochs: options.epochs,
        initialEpoch,
        verbose: 0,
        validationData: options.validation as never,
        ...(options.classWeight ? { classWeight: options.classWeight } : {}),
        callbacks: [tracker, options.best, ...(options.callbacks ?? []), cancel],
      });
    });
  }
  return finishFit(model, options.best, cancel.cancelled || options.signal.aborted, options.restoreBestWeights ?? true);
}

/**
 * How a training loop ended, read from its best-weights tracker; puts the best epoch's weights back
 * into `model` first unless told not to. Shared by {@link runFit} and the lean head loop.
 */
export function finishFit(model: tf.LayersModel, best: BestWeightsCallback, cancelled: boolean, restoreBestWeights: boolean): FitLoopResult {
  if (restoreBestWeights) best.restoreBest(model);
  return {
    cancelled,
    stoppedEarly: best.stoppedEarly,
    bestEpoch: best.bestEpoch,
    bestValLoss: best.bestValLoss,
    bestValAccuracy: best.bestValAccuracy,
  };
}

/** Adapts a sync or async iterable to the iterator tf.data.generator expects (next() may return a promise). */
function iterate(source: AsyncIterable<BatchData> | Iterable<BatchData>): { next: () => unknown } {
  if (Symbol.asyncIterator in source) {
    const it = source[Symbol.asyncIterator]();
    return { next: () => it.next() };
  }
  const it = source[Symbol.iterator]();
  return { next: () => it.next() };
}

/** Early-stopping options for a config. */
export function bestWeightsFor(config: TrainConfig, initial?: BestWeightsOptions['initial']): BestWeightsCallback {
  return new BestWeightsCallback({ patience: config.earlyStopping.patience, minDelta: config.earlyStopping.minDelta, ...(initial ? { initial } : {}) });
}
