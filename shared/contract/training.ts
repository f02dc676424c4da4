import { z } from 'zod';
import { job } from './define';
import { HeadSpec } from '../layer-spec';
import { AugmentOptions, DatasetSpec, ProblemKind } from './data';
import { EarlyStoppingConfig, FineTuneConfig, OptimizerName } from './training-options';

export { EarlyStoppingConfig, FineTuneConfig, OptimizerName };

/** Everything that shapes training, with Keras-style defaults. */
export const TrainConfig = z
  .object({
    /** Head-training epochs (phase 1). Default: 20. */
    epochs: z.number().int().min(1).max(10_000).default(20),
    /**
     * Feature rows per head-training step (fine-tuning: see `fineTune.batchSize`). Default: 128 (with the learning
     * rate 0.003: the accuracy of batch 32 at 0.001, in a quarter of the steps; see bench/train.bench.ts).
     */
    batchSize: z.number().int().min(1).max(4096).default(128),
    /** Learning rate of the head optimizer. Default: 0.003. */
    learningRate: z.number().positive().max(10).default(3e-3),
    /** Optimizer of the head phase. Default: adam. */
    optimizer: OptimizerName.default('adam'),
    /** Momentum of `sgd` (and of `rmsprop`). Default: 0.9 for sgd, 0 for rmsprop. */
    momentum: z.number().min(0).max(1).optional(),
    /** Label smoothing ε: targets become (1-ε)·onehot + ε/C, as Keras' CategoricalCrossentropy(label_smoothing). Default: 0. */
    labelSmoothing: z.number().min(0).max(0.99).default(0),
    /** 'auto': weight each class by n/(C·n_c) (Keras/sklearn "balanced"); 'none': all 1; or one weight per class. Default: auto. */
    classWeights: z.union([z.enum(['auto', 'none']), z.array(z.number().positive())]).default('auto'),
    earlyStopping: EarlyStoppingConfig.default({ patience: 5, restoreBestWeights: true, minDelta: 0 }),
    /** Fraction of each class held out for validation (stratified, seeded). Default: 0.2. */
    validationSplit: z.number().min(0.05).max(0.5).default(0.2),
    /** Seed of the split, initialisers, shuffling, dropout and augmentation. Default: 42. */
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(42),
    /**
     * Augmented variants per training image (0 = none). Phase 1 caches features of the image and each variant; phase 2
     * trains its epoch e on variant e mod (augment + 1) (0 = plain; docs/fine-tuning.md). Default: 0.
     */
    augment: z.number().int().min(0).max(100).default(0),
    /** How augmented variants are drawn (flip, rotation, zoom, colour, noise). Default: the data pipeline's defaults. */
    augmentation: AugmentOptions.optional(),
    fineTune: FineTuneConfig.default({ top: 0, unit: 'blocks', epochs: 5, learningRate: 1e-5, optimizer: 'adam' }),
    /**
     * Fit a temperature on the validation split after training and bake it into the output layer, so the final
     * model's probabilities are calibrated (main/engine/training/calibrate-step.ts); false keeps raw outputs.
     * Optional rather than defaulted, so configs written before it read back unchanged. Default: true.
     */
    calibrate: z.boolean().optional(),
  })
  .strict();
export type TrainConfig = z.output<typeof TrainConfig>;
export type TrainConfigInput = z.input<typeof TrainConfig>;

/**
 * A run's train/validation/test split, as the Data step has it (per-image content-hash thresholds,
 * stable when images are added; small classes get one validation / test image, see data.split).
 * Test images are held out of training and validation entirely (recorded in run.json for Evaluate).
 */
export const TrainSplit = z
  .object({
    /** Fraction of each class used for training (> 0). */
    train: z.number().gt(0).max(1),
    /** Fraction held out for validation (> 0: early stopping and the best epoch need validation images). */
    validation: z.number().gt(0).max(1),
    /** Fraction held out for the final test. */
    test: z.number().min(0).max(1),
    /** Seed of the assignment (the Data step's split seed). Default: the config's `seed`. */
    seed: z.number().int().optional(),
  })
  .strict()
  .refine((f) => Math.abs(f.train + f.validation + f.test - 1) < 1e-6, {
    message: 'train + validation + test must add up to 1',
  });
export type TrainSplit = z.output<typeof TrainSplit>;

/**
 * How automatic settings were chosen (Train step "Auto", CLI `--budget`), recorded with the request in run.json.
 * The budget is also honoured while training: fine-tuning stops early (best weights kept) when the run would exceed it.
 */
export const AutoRecord = z
  .object({
    /** Time budget of the whole run, in seconds (10 s … 48 h). */
    budgetSeconds: z
      .number()
      .int()
      .min(10)
      .max(48 * 3600),
    /** The one plain sentence of why these settings. */
    reason: z.string().max(1000),
    /** Estimated duration when the settings were chosen, in seconds. Default: unknown. */
    estimatedSeconds: z.number().min(0).optional(),
    /** Config fields the automatic choice set (e.g. "epochs", "fineTune.top"); the others were set by hand. Default: unknown. */
    fields: z.array(z.string().max(100)).max(50).optional(),
  })
  .strict();
export type AutoRecord = z.infer<typeof AutoRecord>;

export const TrainRequest = z
  .object({
    /**
     * Folders of images: one sub-folder per class, or several class folders. Ignored when `dataset`
     * is given. One of `dirs` and `dataset` is required.
     */
    dirs: z.array(z.string().min(1)).min(1).max(100).optional(),
    /**
     * The dataset exactly as the Data step shows it: sources with their modes, class renames, merges
     * and exclusions. Wins over `dirs`. Default: none (the classes are the folders of `dirs`).
     */
    dataset: DatasetSpec.optional(),
    /**
     * Train/validation/test fractions and seed. Default: validation = `config.validationSplit`, no
     * test images, seed = `config.seed`.
     */
    split: TrainSplit.optional(),
    /** Base model id (see `models.bases`). Default: the bundled MobileNetV2 ("nsfwjs-mobilenet-v2"). */
    base: z.string().min(1).max(200).optional(),
    /** Head spec (shared/layer-spec.ts) or its CLI string form ("dense:128:relu,dropout:0.2"). Default: Dense(128, relu) → Dropout(0.2) → Dense(C, softmax). */
    head: z.union([HeadSpec, z.string().max(2000)]).optional(),
    /** Run folder for checkpoints, the final model and run.json. Default: `<projectDir>/runs/<timestamp>` with a project, else a new folder under the app's data runs folder. */
    runDir: z.string().min(1).optional(),
    /** Feature cache folder. Default: `<projectDir>/cache` with a project, else the app's cache folder. */
    cacheDir: z.string().min(1).optional(),
    /**
     * Project folder (made by project.create): the run is recorded in its project.json (status, best
     * validation accuracy and epoch, error) and its folder defaults to `<projectDir>/runs/<run id>`.
     * Default: none (the run is not part of a project).
     */
    projectDir: z.string().min(1).max(4096).optional(),
    config: TrainConfig.default(TrainConfig.parse({})),
    /** Automatic settings and their time budget. Default: none (no budget; settings by hand). */
    auto: AutoRecord.optional(),
  })
  .strict()
  .refine((request) => request.dataset !== undefined || (request.dirs?.length ?? 0) > 0, {
    message:
      "Give the images to train on: `dataset` (the Data step's sources and class edits) or `dirs` (image folders); neither was given.",
    path: ['dataset'],
  });
export type TrainRequest = z.output<typeof TrainRequest>;

export const ResumeRequest = z
  .object({
    /** The run folder of a run that stopped before finishing (engine killed, cancelled). */
    runDir: z.string().min(1),
    /**
     * Continue even when the images changed since the run started (the change is recorded in run.json and
     * the history then mixes two validation sets). Default: false (the resume is refused, naming what changed).
     */
    allowChangedData: z.boolean().optional(),
  })
  .strict();

/** One epoch of history; `phase` tells head training from fine-tuning (epochs are numbered across both). */
export const EpochRecord = z.object({
  epoch: z.number().int(),
  phase: z.enum(['head', 'fine-tune']),
  loss: z.number(),
  accuracy: z.number(),
  valLoss: z.number(),
  valAccuracy: z.number(),
});
export type EpochRecord = z.infer<typeof EpochRecord>;

/** A file a run left out, and why (a scan problem of severity 'error'). */
export const SkippedFile = z
  .object({
    path: z.string(),
    kind: ProblemKind,
    message: z.string(),
  })
  .strict();
export type SkippedFile = z.infer<typeof SkippedFile>;

export const TrainResponse = z.object({
  runDir: z.string(),
  base: z.string(),
  backend: z.string(),
  classes: z.array(z.string()),
  history: z.array(EpochRecord),
  /** Validation accuracy of the weights kept (the best epoch when restoring best weights). */
  valAccuracy: z.number(),
  durationMs: z.number(),
  /** Epoch (0-based, across phases) whose weights were kept. */
  bestEpoch: z.number().int(),
  /** 'completed', 'early-stopped'. */
  stoppedBy: z.enum(['completed', 'early-stopping']),
  /** True when this run continued from a checkpoint. */
  resumed: z.boolean(),
  /** Images in the training and validation splits. */
  trainImages: z.number().int(),
  valImages: z.number().int(),
  /** Images held out as the test split (not trained or validated on; listed in run.json). */
  testImages: z.number().int().optional(),
  /** Feature rows read from / written to the cache in phase 1. */
  cache: z.object({ hits: z.number().int(), misses: z.number().int() }),
  /** The run's id in the project's `runs` (only for runs started with `projectDir`). */
  projectRunId: z.string().optional(),
  /** Things the user should know that did not stop the run (e.g. the project record could not be updated). */
  warnings: z.array(z.string()).optional(),
  /** Files left out of the run (damaged, not images, unreadable…), each with its problem kind and plain words. */
  skipped: z.array(SkippedFile).optional(),
});
export type TrainResponse = z.infer<typeof TrainResponse>;

/** Phases a training job reports. 'prefix': the frozen lower base's output stored once before fine-tuning. */
export const TrainPhase = z.enum(['scan', 'extract', 'head', 'prefix', 'fine-tune', 'save', 'evaluate']);
export type TrainPhase = z.infer<typeof TrainPhase>;

/** Progress of a training job (throttled; plain numbers and the phase label). */
export const TrainProgress = z.object({
  phase: TrainPhase,
  /** Work done / total in this phase: images for extract and prefix, batches of all epochs for head/fine-tune. */
  done: z.number(),
  total: z.number(),
  epoch: z.number().optional(),
  epochs: z.number().optional(),
  batch: z.number().optional(),
  batches: z.number().optional(),
  loss: z.number().optional(),
  accuracy: z.number().optional(),
  valLoss: z.number().optional(),
  valAccuracy: z.number().optional(),
  imagesPerSecond: z.number().optional(),
  etaSeconds: z.number().optional(),
  /** Phase 1 (extract): the engine computing features (ONNX Runtime, the fast path, or tfjs) and why. */
  extractor: z
    .object({
      engine: z.enum(['onnxruntime', 'tfjs']),
      /** ONNX Runtime's execution provider, e.g. "cpu". */
      provider: z.string().optional(),
      threads: z.number().optional(),
      /** Why tfjs is used, or why better ORT providers were not. */
      reason: z.string().optional(),
    })
    .optional(),
  numTensors: z.number(),
  rssBytes: z.number(),
});
export type TrainProgress = z.infer<typeof TrainProgress>;

/** Calls and jobs of the training domain. */
export const trainingContract = {
  'training.train': job({
    summary:
      'Trains a classifier: cached base features → head (phase 1), optional fine-tuning (phase 2); checkpoints each epoch.',
    request: TrainRequest,
    response: TrainResponse,
    progress: TrainProgress,
    paths: (request) => [
      ...(request.dirs ?? []),
      ...(request.dataset ? request.dataset.sources.map((source) => source.path) : []),
      ...(request.runDir ? [request.runDir] : []),
      ...(request.cacheDir ? [request.cacheDir] : []),
      ...(request.projectDir ? [request.projectDir] : []),
    ],
  }),
  'training.resume': job({
    summary:
      'Continues a run that stopped before finishing from its last checkpoint (same data, split, config and seed). ' +
      'A run of a project is resumed only if that project lists this run folder as its run.',
    request: ResumeRequest,
    response: TrainResponse,
    progress: TrainProgress,
    paths: (request) => [request.runDir],
  }),
} as const;
