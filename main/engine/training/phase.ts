/**
 * A phase of training, described once for {@link runPhase}: which model trains, on what batches,
 * validated how, for which epochs, with which optimizer, seed and class weights, and which
 * callbacks watch it. What differs between phases is only the {@link TrainingSteps}: feature rows
 * in memory for the head (row-steps.ts), images streamed through a frozen prefix for fine-tuning
 * (fit-steps.ts on image-batches.ts).
 */
import type * as tf from '@tensorflow/tfjs';
import type { BestWeightsCallback } from './callbacks/early-stopping';

/** Per-class loss weights: class index → weight (see config.classWeightsFor). */
export type ClassWeights = Record<number, number>;

/** Logs of a batch or an epoch: numbers, or scalar tensors the runner reads once. */
export type StepLogs = Record<string, number | tf.Tensor>;

/**
 * How one phase turns batches into training steps. The runner owns the epoch loop; these own the
 * data of one epoch and the arithmetic of a step.
 */
export interface TrainingSteps<Batch> {
  /** Training examples per epoch. */
  readonly samples: number;
  /** Batches per epoch. */
  readonly batchesPerEpoch: number;
  /** The batches of epoch `epoch`, in that epoch's seeded order. */
  batches(epoch: number): Iterable<Batch> | AsyncIterable<Batch>;
  /** Starts an epoch's running metrics. */
  beginEpoch(): void;
  /** One optimizer step on `batch` (which it disposes); logs carry `size` and, when read, running `loss`/`acc`. */
  trainBatch(
    model: tf.LayersModel,
    batch: Batch,
    index: number,
    classWeights: ClassWeights | undefined,
  ): Promise<StepLogs>;
  /** The epoch's `loss`/`acc`, and `val_loss`/`val_acc` when `finished` (all its batches ran). */
  endEpoch(model: tf.LayersModel, finished: boolean): Promise<StepLogs>;
  /** Frees everything the steps hold (called once, when the phase ends, however it ends). */
  dispose(): void;
}

/** One phase of training, run by {@link runPhase}. */
export interface Phase<Batch> {
  /** Trains (its optimizer is the one checkpointed); shares layers with the run's other models. */
  model: tf.LayersModel;
  /** Compile `model` with this first. Default: none (the model is compiled already). */
  optimizer?: tf.Optimizer;
  steps: TrainingSteps<Batch>;
  /** First epoch (global numbering across phases); BackupAndRestoreCallback moves it on resume. Default: 0. */
  initialEpoch?: number;
  /** Epoch to stop before (exclusive, global). */
  epochs: number;
  /** Seeds each epoch's randomness (dropout masks): the same for an epoch whether resumed or not. */
  seed: number;
  /** Default: none (every class weighs 1). */
  classWeights?: ClassWeights;
  /** Early stopping and the best weights; created by the caller so it can carry state across phases. */
  best: BestWeightsCallback;
  /** Put the best epoch's weights back at the end. Default: true. */
  restoreBestWeights?: boolean;
  /** Further callbacks (checkpoint, progress...), called after `best`. Default: none. */
  callbacks?: tf.Callback[];
  signal: AbortSignal;
}

/** How a phase ended. */
export interface PhaseResult {
  cancelled: boolean;
  stoppedEarly: boolean;
  /** Best epoch (global), -1 when no epoch finished. */
  bestEpoch: number;
  bestValLoss: number;
  bestValAccuracy: number;
}
