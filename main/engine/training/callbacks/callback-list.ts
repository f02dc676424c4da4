import type * as tf from '@tensorflow/tfjs';

/** Parameters every callback of a phase sees (tfjs' `Params`: epochs, initialEpoch, steps, samples, metrics...). */
export type CallbackParams = Record<string, number | string | boolean | number[] | string[]>;

/**
 * The callbacks of one phase, called in order at each point of training — the shape of
 * tfjs-layers' `CallbackList` (base_callbacks.ts): every callback shares one `params` object and
 * the model, and is awaited in turn; logs reach them as numbers (the runner reads tensors once). A callback may set `params.initialEpoch` in `onTrainBegin`
 * (BackupAndRestoreCallback does, to resume); the phase runner reads it after.
 */
export class CallbackList {
  readonly params: CallbackParams = {};

  constructor(readonly callbacks: tf.Callback[]) {}

  /** Adds a callback at the end. */
  append(callback: tf.Callback): void {
    this.callbacks.push(callback);
  }

  /** Shares `params` (one object, kept by reference) with every callback. */
  setParams(params: CallbackParams): void {
    Object.assign(this.params, params);
    for (const callback of this.callbacks) callback.setParams(this.params);
  }

  setModel(model: tf.LayersModel): void {
    for (const callback of this.callbacks) callback.setModel(model);
  }

  async onTrainBegin(logs: Record<string, number> = {}): Promise<void> {
    for (const callback of this.callbacks) await callback.onTrainBegin(logs);
  }

  async onEpochBegin(epoch: number, logs: Record<string, number> = {}): Promise<void> {
    for (const callback of this.callbacks) await callback.onEpochBegin(epoch, logs);
  }

  async onBatchEnd(batch: number, logs: Record<string, number> = {}): Promise<void> {
    for (const callback of this.callbacks) await callback.onBatchEnd(batch, logs);
  }

  async onEpochEnd(epoch: number, logs: Record<string, number> = {}): Promise<void> {
    for (const callback of this.callbacks) await callback.onEpochEnd(epoch, logs);
  }

  async onTrainEnd(logs: Record<string, number> = {}): Promise<void> {
    for (const callback of this.callbacks) await callback.onTrainEnd(logs);
  }
}
