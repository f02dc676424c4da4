/**
 * Phase 2's batches when the lower base is frozen: the prefix's outputs read from the stored activations
 * (prefix-activations.ts) in the seeded per-epoch order the streaming path uses (epochOrder, deriveSeed
 * 'fine-tune'), with smoothed one-hot targets. With `augment` variants, epoch e of the phase (counted from its first
 * epoch) reads variant e mod (augment + 1) — variant 0 the plain images — computed the first time it is needed.
 */
import * as tf from '@tensorflow/tfjs';
import { smoothedOneHot } from './config';
import type { LabelledImage } from './extract';
import type { BatchData } from './fit-steps';
import type { PrefixActivations } from './prefix-activations';
import { deriveSeed, epochOrder } from './seed';

/** Options of {@link activationBatches}. */
export interface ActivationBatchOptions {
  store: PrefixActivations;
  images: readonly LabelledImage[];
  numClasses: number;
  batchSize: number;
  labelSmoothing: number;
  seed: number;
  /** Augmented variants besides the plain images; epochs cycle through them (see the file comment). Default: 0. */
  augment?: number;
  /** The phase's first epoch (variants are counted from it). Default: 0. */
  firstEpoch?: number;
  /** Shuffle in a seeded per-epoch order. Default: true. */
  shuffle?: boolean;
}

/** The variant epoch `epoch` reads: (epoch − firstEpoch) mod (augment + 1). */
export function variantOfEpoch(epoch: number, augment = 0, firstEpoch = 0): number {
  const cycle = augment + 1;
  return (((epoch - firstEpoch) % cycle) + cycle) % cycle;
}

/** Batches of one epoch from the stored activations (the file computed first when missing). */
export async function* activationBatches(options: ActivationBatchOptions, epoch: number): AsyncGenerator<BatchData> {
  const { store, images, batchSize, numClasses } = options;
  const file = await store.open(images, variantOfEpoch(epoch, options.augment, options.firstEpoch));
  const order =
    options.shuffle === false
      ? Int32Array.from(images.keys())
      : epochOrder(images.length, deriveSeed(options.seed, 'fine-tune'), epoch);
  const read = async (start: number) => {
    const indices = order.subarray(start, Math.min(order.length, start + batchSize));
    const rows = new Float32Array(indices.length * store.dim);
    await file.read(indices, rows);
    return { indices, rows };
  };
  // One batch read ahead while the current one trains.
  let next = order.length > 0 ? read(0) : undefined;
  try {
    for (let start = 0; next; start += batchSize) {
      const { indices, rows } = await next;
      next = start + batchSize < order.length ? read(start + batchSize) : undefined;
      const labels = Array.from(indices, (i) => images[i]!.label);
      const n = indices.length;
      yield {
        xs: tf.tensor(rows, [n, ...store.shape]),
        ys: tf.tensor2d(smoothedOneHot(labels, numClasses, options.labelSmoothing), [n, numClasses]),
      };
    }
  } finally {
    // Left early (cancel, early stop): the read ahead settles before the file can be closed.
    await next?.catch(() => undefined);
  }
}

/** Validation batches (plain images, fixed order) read from the store each epoch. */
export function activationValidation(
  options: Omit<ActivationBatchOptions, 'augment' | 'shuffle' | 'firstEpoch'>,
): tf.data.Dataset<tf.TensorContainer> {
  return tf.data.generator(() => {
    const it = activationBatches({ ...options, shuffle: false }, 0);
    return { next: () => it.next() } as unknown as Iterator<tf.TensorContainer>;
  });
}
