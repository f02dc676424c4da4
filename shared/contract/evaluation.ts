/**
 * evaluation.json: the Evaluate step's result in the run folder (docs/run-folder.md), also the answer of
 * `evaluation.evaluate` (shared/contract/evaluate.ts). Written by main/engine/evaluate/evaluation-file.ts.
 */
import { z } from 'zod';
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
  /**
   * The temperature T baked into the model evaluated (run.json `calibration`); the bins and `ece` are of its
   * calibrated probabilities. Absent when the model is not temperature-scaled.
   */
  temperature: z.number().positive().optional(),
  /** ECE of the same images' raw probabilities, softmax(T · log p): the model before calibration. Absent with T. */
  eceBefore: MaybeMetric.optional(),
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
