/**
 * Phase 2's data: (augmented) images streamed from disk in a seeded per-epoch order, decoded with
 * bounded concurrency, scaled for the base and — when the lower base is frozen — run through the
 * frozen prefix, as batches with smoothed one-hot targets.
 */
import * as tf from '@tensorflow/tfjs';
import type { AugmentOptionsInput } from '../../../shared/contract/data';
import { StudioError } from '../../../shared/errors';
import { augment, augmentSeed } from '../data/augment';
import type { CacheStore } from '../data/cache';
import { preprocessStream } from '../data/pipeline';
import type { ResolvedPreprocessOptions } from '../data/preprocess';
import { scalePixels } from '../models/scale';
import type { BaseInfo } from '../../../shared/contract/models';
import { smoothedOneHot } from './config';
import type { LabelledImage } from './extract';
import type { BatchData } from './fit-steps';
import { deriveSeed, epochOrder } from './seed';

/** Options of {@link imageBatches}. */
export interface ImageBatchOptions {
  images: readonly LabelledImage[];
  info: Pick<BaseInfo, 'inputSize' | 'scaling'>;
  numClasses: number;
  batchSize: number;
  labelSmoothing: number;
  preprocess: ResolvedPreprocessOptions;
  pixelCache?: CacheStore;
  /** Augment each image afresh every epoch (seeded by image, epoch and seed). Default: false. */
  augment: boolean;
  augmentOptions?: AugmentOptionsInput;
  seed: number;
  /** Shuffle in a seeded per-epoch order. Default: true. */
  shuffle?: boolean;
  /** Frozen prefix: batches carry its outputs instead of pixels. Default: none. */
  prefix?: tf.LayersModel;
  signal?: AbortSignal;
}

/**
 * Batches of one epoch, streamed from disk: decoded with bounded concurrency (overlapping the
 * training step), augmented, scaled for the base, with smoothed one-hot targets.
 */
export async function* imageBatches(options: ImageBatchOptions, epoch: number): AsyncGenerator<BatchData> {
  const { images, info, batchSize, numClasses } = options;
  const order =
    options.shuffle === false
      ? Int32Array.from(images.keys())
      : epochOrder(images.length, deriveSeed(options.seed, 'fine-tune'), epoch);
  const items = Array.from(order, (i) => ({ path: images[i]!.path, hash: images[i]!.hash, index: i }));
  const side = info.inputSize;
  const bytes = side * side * 3;
  let pixels = new Uint8Array(Math.min(batchSize, items.length) * bytes);
  let labels: number[] = [];
  const frozen = (x: tf.Tensor4D): tf.Tensor => (options.prefix ? (options.prefix.predict(x) as tf.Tensor) : x);
  const make = (): BatchData => {
    const n = labels.length;
    const batch = tf.tidy(() => ({
      xs: frozen(scalePixels(pixels.subarray(0, n * bytes), info)),
      ys: tf.tensor2d(smoothedOneHot(labels, numClasses, options.labelSmoothing), [n, numClasses]),
    }));
    labels = [];
    pixels = new Uint8Array(pixels.length);
    return batch;
  };
  const stream = preprocessStream(items, options.preprocess, {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.pixelCache ? { cache: options.pixelCache } : {}),
  });
  for await (const item of stream) {
    if (!item.ok) throw new StudioError('BAD_INPUT', item.error.message, { path: item.item.path });
    const image = images[item.item.index]!;
    const data = options.augment
      ? augment(item, options.augmentOptions ?? {}, augmentSeed(image.hash, 1_000_000 + epoch, options.seed)).data
      : item.data;
    pixels.set(data, labels.length * bytes);
    labels.push(image.label);
    if (labels.length === batchSize) yield make();
  }
  if (labels.length > 0) yield make();
}

/** A dataset of validation batches (no augmentation, fixed order), re-read from the pixel cache each epoch. */
export function validationDataset(
  options: Omit<ImageBatchOptions, 'augment' | 'shuffle'>,
): tf.data.Dataset<tf.TensorContainer> {
  return tf.data.generator(() => {
    const it = imageBatches({ ...options, augment: false, shuffle: false }, 0);
    return { next: () => it.next() } as unknown as Iterator<tf.TensorContainer>;
  });
}
