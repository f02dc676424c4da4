/**
 * Phase 2: end-to-end fine-tuning of the top of the base, the Keras way — unfreeze the top N
 * blocks/layers, keep every base BatchNormalization in inference mode (frozen-batchnorm.ts),
 * recompile with a low learning rate, and train on (augmented) images streamed from disk.
 */
import * as tf from '@tensorflow/tfjs';
import type { AugmentOptionsInput } from '../../../shared/contract/data';
import type { TrainConfig } from '../../../shared/contract/training';
import { StudioError } from '../../../shared/errors';
import { augment, augmentSeed } from '../data/augment';
import type { CacheStore } from '../data/cache';
import { preprocessStream } from '../data/pipeline';
import type { ResolvedPreprocessOptions } from '../data/preprocess';
import { applyFreeze, isBaseLayer, type FreezeReport } from '../models/freeze';
import { scalePixels } from '../models/scale';
import type { BaseInfo } from '../../../shared/contract/models';
import { createOptimizer, smoothedOneHot } from './config';
import type { LabelledImage } from './extract';
import { compileClassifier, type BatchData } from './fit-loop';
import { lockBatchNormInference } from './frozen-batchnorm';
import { deriveSeed, epochOrder } from './seed';
import { splitAtTrainable, type TrainableSplit } from './split-trainable';

/** What {@link prepareFineTune} set up. */
export interface FineTuneSetup extends TrainableSplit {
  freeze: FreezeReport;
}

/**
 * Unfreezes the top of the base of an assembled model per `config.fineTune`, locks every base BN
 * layer in inference mode, splits off the frozen prefix (see split-trainable.ts) and compiles the
 * trainable suffix with the fine-tuning optimizer. Train `suffix` on `prefix` outputs.
 * @param baseLayerNames names of the base's layers, for a model not made by assembleModel. Default: assembleModel's record.
 */
export function prepareFineTune(model: tf.LayersModel, config: TrainConfig, baseLayerNames?: ReadonlySet<string>): FineTuneSetup {
  const { top, unit, optimizer, learningRate } = config.fineTune;
  const isBase = (name: string) => (baseLayerNames ? baseLayerNames.has(name) : isBaseLayer(model, name));
  let report: FreezeReport;
  if (baseLayerNames) {
    // A model loaded from a checkpoint: trainable flags came back with it; report them.
    report = { trainable: [], frozen: [] };
    for (const layer of model.layers) {
      if (!isBase(layer.name) || layer.getClassName() === 'InputLayer') continue;
      (layer.trainable ? report.trainable : report.frozen).push(layer.name);
    }
  } else {
    report = applyFreeze(model, { mode: unit === 'blocks' ? 'topBlocks' : 'topLayers', n: top });
  }
  lockBatchNormInference(model.layers.filter((layer) => isBase(layer.name)));
  const split = splitAtTrainable(model);
  compileClassifier(split.suffix, createOptimizer(optimizer, learningRate, config.momentum));
  return { ...split, freeze: report };
}

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
  const order = options.shuffle === false ? Int32Array.from(images.keys()) : epochOrder(images.length, deriveSeed(options.seed, 'fine-tune'), epoch);
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
export function validationDataset(options: Omit<ImageBatchOptions, 'augment' | 'shuffle'>): tf.data.Dataset<tf.TensorContainer> {
  return tf.data.generator(() => {
    const it = imageBatches({ ...options, augment: false, shuffle: false }, 0);
    return { next: () => it.next() } as unknown as Iterator<tf.TensorContainer>;
  });
}
