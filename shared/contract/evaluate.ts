/**
 * Evaluate and Predict: the held-out metrics of a run (evaluation.json in the run folder), predictions of a
 * run's model or an exported TF.js folder on any images, and one run read as plain data for the runs list.
 * Thumbnails of the images named here come from `data.thumbnail` (shared/contract/data.ts).
 */
import { z } from 'zod';
import { call, job } from './define';
import { EvaluationRecord, ExportRecord, RunStatus, SavedPoint } from './run-file';
import { EpochRecord, TrainConfig } from './training';

/** The evaluation.json format version this build writes. */
export const EVALUATION_FILE_VERSION = 1;

/** Fewer test images than this in a class is reported as a small test set. */
export const SMALL_TEST_SET_SUPPORT = 5;

/**
 * A metric that can be undefined: null when it has no meaning (0/0), e.g. the precision of a class never
 * predicted, the recall of a class absent from the images evaluated, any metric of an empty set.
 */
const MaybeMetric = z.number().nullable();

/** A two-sided confidence interval of a proportion. */
export const Interval = z.object({
  low: z.number().min(0).max(1),
  high: z.number().min(0).max(1),
  /** Confidence level, e.g. 0.95. */
  level: z.number().gt(0).lt(1),
  /** How it was computed. */
  method: z.literal('wilson'),
});
export type Interval = z.infer<typeof Interval>;

/** Precision, recall and F1 of one class, one-vs-rest. */
export const ClassMetrics = z.object({
  /** Class name (index in `classes` = position in `perClass`). */
  name: z.string(),
  /** TP / (TP + FP); null when the class was never predicted. */
  precision: MaybeMetric,
  /** TP / (TP + FN); null when no image of the class was evaluated (support 0). */
  recall: MaybeMetric,
  /** 2·TP / (2·TP + FP + FN); null only when the class is neither in the images nor in the predictions. */
  f1: MaybeMetric,
  /** Images of this class evaluated (TP + FN). */
  support: z.number().int().min(0),
  /** Images predicted as this class (TP + FP). */
  predicted: z.number().int().min(0),
});
export type ClassMetrics = z.infer<typeof ClassMetrics>;

/**
 * Averages over classes. `macro`: plain mean over the classes present in the images or in the predictions
 * (scikit-learn's labels), an undefined (null) value counted as 0; `weighted`: mean weighted by support.
 * All null when nothing was evaluated.
 */
export const AveragedMetrics = z.object({
  precision: MaybeMetric,
  recall: MaybeMetric,
  f1: MaybeMetric,
});
export type AveragedMetrics = z.infer<typeof AveragedMetrics>;

/** Off-diagonal cell of the confusion matrix: `count` images of `actual` predicted as `predicted` (indices into classes). */
export const ConfusedPair = z.object({
  actual: z.number().int().min(0),
  predicted: z.number().int().min(0),
  count: z.number().int().min(1),
});
export type ConfusedPair = z.infer<typeof ConfusedPair>;

export const Confusion = z.object({
  /** `matrix[actual][predicted]` = image count; rows are the true classes, columns the predicted ones. */
  matrix: z.array(z.array(z.number().int().min(0))),
  /** Off-diagonal cells with a count, most images first (ties: by actual, then predicted index); at most 20. */
  mostConfused: z.array(ConfusedPair),
});
export type Confusion = z.infer<typeof Confusion>;

/** One bin of a reliability diagram: images whose top probability is in [lower, upper) (the last bin includes 1). */
export const CalibrationBin = z.object({
  lower: z.number(),
  upper: z.number(),
  count: z.number().int().min(0),
  /** Mean top probability of the bin's images; null when the bin is empty. */
  confidence: MaybeMetric,
  /** Fraction of the bin's images predicted right; null when the bin is empty. */
  accuracy: MaybeMetric,
});
export type CalibrationBin = z.infer<typeof CalibrationBin>;

export const Calibration = z.object({
  /** Expected calibration error: Σ (count/N)·|accuracy − confidence| over the bins; null when N = 0. */
  ece: MaybeMetric,
  /** Equal-width bins over [0, 1] (10 of them). */
  bins: z.array(CalibrationBin),
});
export type Calibration = z.infer<typeof Calibration>;

/** One evaluated image (the mistakes gallery and the confusion-matrix cells read these). */
export const ScoredImage = z.object({
  path: z.string(),
  /** Given (true) class, index into `classes`. */
  label: z.number().int().min(0),
  /** Predicted class (arg-max), index into `classes`. */
  predicted: z.number().int().min(0),
  /** Probability of every class, in the order of `classes`. */
  probabilities: z.array(z.number()),
  /** Cross-entropy −ln p(label) (p clamped to 1e-7, so at most ≈ 16.1). */
  loss: z.number(),
});
export type ScoredImage = z.infer<typeof ScoredImage>;

/** What was evaluated. */
export const EvaluationSource = z.discriminatedUnion('kind', [
  /** The run's held-out test split (run.json `test`): never trained or validated on. */
  z.object({ kind: z.literal('test-split') }),
  /** A labelled folder (one sub-folder per class); images the run trained or validated on are skipped. */
  z.object({ kind: z.literal('folder'), dir: z.string() }),
]);
export type EvaluationSource = z.infer<typeof EvaluationSource>;

/** The content of evaluation.json (and the answer of `evaluation.evaluate`). */
export const Evaluation = z.object({
  version: z.literal(EVALUATION_FILE_VERSION),
  writtenAt: z.iso.datetime(),
  runDir: z.string(),
  /** The model folder evaluated, inside the run folder (e.g. "model"). */
  model: z.string(),
  source: EvaluationSource,
  classes: z.array(z.string()),
  /** Images scored (those that could not be read are in `failed`, not counted). */
  count: z.number().int().min(0),
  /** Fraction predicted right; null when nothing was evaluated. */
  accuracy: MaybeMetric,
  /** Wilson 95% interval of the accuracy; null when nothing was evaluated. */
  accuracyInterval: Interval.nullable(),
  /** Mean cross-entropy; null when nothing was evaluated. */
  loss: MaybeMetric,
  perClass: z.array(ClassMetrics),
  macro: AveragedMetrics,
  weighted: AveragedMetrics,
  confusion: Confusion,
  calibration: Calibration,
  /** Every scored image, highest loss first: the top losses (mistakes first, then the least sure right answers). */
  images: z.array(ScoredImage),
  /** Classes with fewer than SMALL_TEST_SET_SUPPORT images evaluated (absent classes too); empty when none. */
  smallClasses: z.array(z.object({ name: z.string(), support: z.number().int().min(0) })),
  /**
   * Plain-words notices for the user: the small test set (with the interval), an empty test split, images
   * skipped because the run trained on them. Empty when there is nothing to say.
   */
  notices: z.array(z.string()),
  /** Images that could not be decoded, with the reason (never scored). */
  failed: z.array(z.object({ path: z.string(), error: z.string() })),
  /** Folder evaluations only: images skipped because they were in the run's training or validation split. */
  skippedTrained: z.number().int().min(0),
  durationMs: z.number().min(0),
});
export type Evaluation = z.infer<typeof Evaluation>;

export const EvaluateRequest = z
  .object({
    /** The run folder (its `model/` is evaluated; the run must have completed). */
    runDir: z.string().min(1),
    /**
     * A labelled folder to evaluate instead of the test split: one sub-folder per class, names matched to the
     * run's classes (an unknown class is an error naming it). Default: the run's held-out test split. Only a
     * test-split evaluation is written to evaluation.json and recorded in run.json.
     */
    dataDir: z.string().min(1).optional(),
    /** Images per inference batch. Default: 32. */
    batchSize: z.number().int().min(1).max(1024).default(32),
  })
  .strict();
export type EvaluateRequest = z.output<typeof EvaluateRequest>;

/** Progress of evaluate and predict: images done of total (plain numbers and a phase label). */
export const InferenceProgress = z.object({
  phase: z.enum(['load', 'predict', 'metrics', 'save']),
  done: z.number(),
  total: z.number(),
  imagesPerSecond: z.number().optional(),
  numTensors: z.number(),
});
export type InferenceProgress = z.infer<typeof InferenceProgress>;

/** One class and its probability. */
export const LabelProbability = z.object({ label: z.string(), probability: z.number() });
export type LabelProbability = z.infer<typeof LabelProbability>;

/** A prediction of one image, or why it has none (not an image, unreadable). */
export const PredictionRow = z.union([
  z.object({
    path: z.string(),
    /** Top class and its probability. */
    label: z.string(),
    probability: z.number(),
    /** The `top` most probable classes, most probable first. */
    top: z.array(LabelProbability),
  }),
  z.object({ path: z.string(), error: z.string() }),
]);
export type PredictionRow = z.infer<typeof PredictionRow>;

export const PredictRequest = z
  .object({
    /** A run folder (its final `model/`) or an exported TF.js folder (model.json + metadata.json). */
    model: z.string().min(1),
    /** Image files and folders (folders are walked recursively for images). */
    paths: z.array(z.string().min(1)).min(1).max(10_000),
    /** How many classes to list per image. Default: 3 (at most the number of classes). */
    top: z.number().int().min(1).max(1000).default(3),
    /** Images per inference batch. Default: 32. */
    batchSize: z.number().int().min(1).max(1024).default(32),
  })
  .strict();
export type PredictRequest = z.output<typeof PredictRequest>;

export const PredictResponse = z.object({
  /** What the model was loaded from. */
  source: z.enum(['run', 'tfjs-export']),
  classes: z.array(z.string()),
  /** One row per image file, in the order given (folders: sorted paths); failures are rows with `error`. */
  predictions: z.array(PredictionRow),
  durationMs: z.number().min(0),
  /** Images predicted per second (excluding model loading). */
  imagesPerSecond: z.number().min(0),
});
export type PredictResponse = z.infer<typeof PredictResponse>;

/** A run as the runs list, compare and Open need it: plain data from run.json (no tensors). */
export const RunSummary = z.object({
  runDir: z.string(),
  /** The folder name (the run id for runs of a project). */
  id: z.string(),
  status: RunStatus,
  startedAt: z.string(),
  updatedAt: z.string(),
  base: z.string(),
  backend: z.string(),
  /** The head as its CLI string ("dense:128:relu,dropout:0.2,…"). */
  head: z.string(),
  config: TrainConfig,
  /** Dataset source folders trained from. */
  sources: z.array(z.string()),
  split: z
    .object({ train: z.number(), validation: z.number(), test: z.number(), seed: z.number().optional() })
    .optional(),
  classes: z.array(z.string()),
  history: z.array(
    EpochRecord.extend({
      loss: z.number().nullable(),
      accuracy: z.number().nullable(),
      valLoss: z.number().nullable(),
      valAccuracy: z.number().nullable(),
    }),
  ),
  /** The best epoch (the weights kept); valLoss/valAccuracy null when NaN. */
  best: SavedPoint.extend({ valLoss: z.number().nullable(), valAccuracy: z.number().nullable() }).optional(),
  durationMs: z.number(),
  /** Images of the held-out test split. */
  testCount: z.number().int().min(0),
  /** True when `model/` is there (a completed run): it can be evaluated, tried and exported. */
  hasModel: z.boolean(),
  error: z.string().optional(),
  /** The project record, when the run belongs to one. */
  project: z.object({ dir: z.string(), runId: z.string() }).optional(),
  /** run.json's evaluation record plus evaluation.json's headline figures; null before any evaluation. */
  evaluation: EvaluationRecord.extend({
    accuracy: z.number().nullable(),
    accuracyInterval: Interval.nullable(),
    macroF1: z.number().nullable(),
  }).nullable(),
  exports: z.record(z.string(), ExportRecord),
});
export type RunSummary = z.infer<typeof RunSummary>;

const RunDirRequest = z.object({ runDir: z.string().min(1) }).strict();

/** Calls and jobs of Evaluate, Predict (Try) and the runs list. */
export const evaluateContract = {
  'evaluation.evaluate': job({
    summary:
      "Evaluates a completed run's model on its held-out test split (written to evaluation.json) or on a labelled folder.",
    request: EvaluateRequest,
    response: Evaluation,
    progress: InferenceProgress,
    paths: (request) => [request.runDir, ...(request.dataDir ? [request.dataDir] : [])],
  }),
  'evaluation.read': call({
    summary: "A run's evaluation.json, or null when the run has not been evaluated.",
    request: RunDirRequest,
    response: Evaluation.nullable(),
    paths: (request) => [request.runDir],
  }),
  'prediction.predict': job({
    summary: 'Top-k predictions of a run folder or exported TF.js model on image files and folders (batched).',
    request: PredictRequest,
    response: PredictResponse,
    progress: InferenceProgress,
    paths: (request) => [request.model, ...request.paths],
  }),
  'runs.read': call({
    summary: 'One run as plain data for the runs list and compare: config, classes, history, best, status, evaluation.',
    request: RunDirRequest,
    response: RunSummary,
    paths: (request) => [request.runDir],
  }),
} as const;
