/**
 * Phase 2: end-to-end fine-tuning of the top of the base, the Keras way — unfreeze the top N
 * blocks/layers, keep every base BatchNormalization in inference mode (frozen-batchnorm.ts),
 * recompile with a low learning rate, and train with tfjs fit's numerics (fit-steps.ts) on the frozen prefix's
 * outputs stored once per image and variant (prefix-activations.ts, activation-batches.ts) — or, without a store or
 * without a prefix, on (augmented) images streamed from disk (image-batches.ts) through the prefix every epoch.
 */
import type * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from '../../../shared/contract/training';
import { applyFreeze, isBaseLayer, type FreezeReport } from '../models/freeze';
import type { BestWeightsCallback } from './callbacks/early-stopping';
import { createOptimizer, fineTuneBatchSize } from './config';
import { FitSteps } from './fit-steps';
import { lockBatchNormInference } from './frozen-batchnorm';
import { batchesPerEpoch } from './head-phase';
import { activationBatches, activationValidation } from './activation-batches';
import { imageBatches, validationDataset, type ImageBatchOptions } from './image-batches';
import type { LabelledImage } from './extract';
import type { ClassWeights, Phase } from './phase';
import type { PrefixActivations } from './prefix-activations';
import { compileClassifier } from './phase-runner';
import { deriveSeed } from './seed';
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
export function prepareFineTune(
  model: tf.LayersModel,
  config: TrainConfig,
  baseLayerNames?: ReadonlySet<string>,
): FineTuneSetup {
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

/** Options of {@link fineTunePhase}. */
export interface FineTunePhaseOptions {
  /** What {@link prepareFineTune} returned: `suffix` trains on `prefix` outputs. */
  setup: TrainableSplit;
  config: TrainConfig;
  train: readonly LabelledImage[];
  validation: readonly LabelledImage[];
  /** How images become batches (base input, preprocessing, pixel cache...), images and augmentation aside. */
  batches: Omit<
    ImageBatchOptions,
    'images' | 'augment' | 'prefix' | 'shuffle' | 'batchSize' | 'labelSmoothing' | 'seed' | 'augmentOptions'
  >;
  /** First epoch (global: phase 2 continues phase 1's numbering; a resumed phase keeps it, see BackupAndRestore). */
  initialEpoch: number;
  /**
   * Stored outputs of `setup.prefix` (made for it): every epoch reads them instead of running the prefix; epochs
   * cycle through `config.augment` + 1 variants (activation-batches.ts). Ignored without a prefix. Default: none
   * (images streamed through the prefix every epoch, augmented afresh each epoch when `config.augment` > 0).
   */
  activations?: PrefixActivations;
  best: BestWeightsCallback;
  /** Default: none. */
  classWeights?: ClassWeights;
  /** Default: none. */
  callbacks?: tf.Callback[];
  signal: AbortSignal;
}

/** Phase 2 for the phase runner: `config.fineTune.epochs` epochs from `initialEpoch`. */
export function fineTunePhase(options: FineTunePhaseOptions): Phase<unknown> {
  const { setup, config } = options;
  const common = {
    ...options.batches,
    batchSize: fineTuneBatchSize(config),
    labelSmoothing: config.labelSmoothing,
    augmentOptions: config.augmentation ?? {},
    seed: config.seed,
    signal: options.signal,
    ...(setup.prefix ? { prefix: setup.prefix } : {}),
  };
  const store = setup.prefix ? options.activations : undefined;
  const stored = store && {
    store,
    numClasses: options.batches.numClasses,
    batchSize: fineTuneBatchSize(config),
    labelSmoothing: config.labelSmoothing,
    seed: config.seed,
  };
  return {
    model: setup.suffix,
    steps: new FitSteps({
      batches: (epoch) =>
        stored
          ? activationBatches(
              {
                ...stored,
                images: options.train,
                augment: config.augment,
                firstEpoch: options.initialEpoch,
              },
              epoch,
            )
          : imageBatches({ ...common, images: options.train, augment: config.augment > 0 }, epoch),
      validation: stored
        ? activationValidation({ ...stored, images: options.validation })
        : validationDataset({ ...common, images: options.validation }),
      samples: options.train.length,
      batchesPerEpoch: batchesPerEpoch(options.train.length, fineTuneBatchSize(config)),
    }),
    initialEpoch: options.initialEpoch,
    epochs: options.initialEpoch + config.fineTune.epochs,
    seed: deriveSeed(config.seed, 'fine-tune'),
    ...(options.classWeights ? { classWeights: options.classWeights } : {}),
    best: options.best,
    restoreBestWeights: config.earlyStopping.restoreBestWeights,
    callbacks: options.callbacks ?? [],
    signal: options.signal,
  };
}
